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
/* The network of roles: a tie per rater -> rated role, its width by the
 * index on the scale min..max; hidden ties dashed and marked "< 5". */
json_t *hi_svg_network(struct web_ctx *c, const struct rc_results *r, int min, int max);

#endif

#ifndef IBBIS_H_INSIGHT_SVG_KM
#define IBBIS_H_INSIGHT_SVG_KM
/* The Kaplan-Meier step curve (km: the outcome model's "km" array) with
 * the number at risk (at_risk: "at_risk_table") under the axis. */
json_t *hi_svg_km(struct web_ctx *c, json_t *km, json_t *at_risk);
#endif
