/* h_insight_svg.h: the numbers behind the insight pages' SVG charts. The
 * templates draw them; every chart also has a text alternative and the
 * table it is drawn from. Colours pass WCAG contrast against their text and
 * never carry meaning alone: every cell also prints its value. */
#ifndef IBBIS_H_INSIGHT_SVG_H
#define IBBIS_H_INSIGHT_SVG_H

#include <jansson.h>

#include "domain/insight/suppress.h"

struct web_ctx;

/* The heat map of the index, rater roles (rows) x rated roles (columns). */
json_t *hi_svg_heatmap(struct web_ctx *c, const struct rc_results *r);

#endif
