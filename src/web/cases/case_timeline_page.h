/* case_timeline_page.h: the model of templates/cases/timeline.mustache (the
 * case page's key "timeline", the timeline page, the person's home): a
 * case's timeline (domain/cases/case_timeline.h) in the reader's language. */
#ifndef IBBIS_WEB_CASE_TIMELINE_PAGE_H
#define IBBIS_WEB_CASE_TIMELINE_PAGE_H

#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "domain/cases/case_timeline.h"

struct arena;
struct i18n;
struct store_conn;

/* The engine's output plus "explanation_texts" (its sentences in lang),
 * "evidence_grounds" (only of the categories o allows), labels and flags.
 * ERR_NOT_FOUND for no case. *out: caller decrefs. */
int case_timeline_page(struct store_conn *c, int64_t case_id, day_t today, const char *lang,
		       const struct i18n *cat, const struct case_timeline_opts *o,
		       struct arena *a, json_t **out);

#endif
