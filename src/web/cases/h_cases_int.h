/* h_cases_int.h: shared by the cases module's handlers (h_cases*.c). */
#ifndef IBBIS_H_CASES_INT_H
#define IBBIS_H_CASES_INT_H

#include <jansson.h>

#include "domain/cases/case_input.h"
#include "web/gate.h"
#include "web/pagecache.h"

struct web_ctx;

/* Maps a domain error to the answer: ERR_INVALID/ERR_CONFLICT with the
 * field and message of fe, ERR_NOT_FOUND as "no such case". h_cases_util.c */
int cases_fail(struct web_ctx *c, int rc, const struct field_err *fe);

/* h_cases_activation.c */
int h_case_activation(struct web_ctx *c);
int h_activate_page(struct web_ctx *c);
int h_activate_set(struct web_ctx *c);

/* h_cases_assess.c */
int h_assessments_list(struct web_ctx *c);
int h_assessments_create(struct web_ctx *c);

/* h_cases_page.c: the case page's extra model (who is who, summary,
 * timeline, actions) for the actor; inside the request's read transaction. */
void cases_page_model(struct web_ctx *c, struct gate *g, json_t *kase);
/* h_cases_cache.c: the case's answer kept between requests. */
struct case_answer {
	bool keep; /* this answer may be kept */
	struct pagecache_key key;
	struct pagecache_stamp stamp;
};
/* 0 when a kept answer was found and is now the request's; ERR_NOT_FOUND
 * otherwise, with *ans saying whether and how to keep the one built. */
int cases_cached_answer(struct web_ctx *c, const struct gate *g, struct case_answer *ans);
/* Renders the answer from c->model and c->template now and keeps it. */
int cases_keep_answer(struct web_ctx *c, struct case_answer *ans);

/* h_cases_list.c: GET /cases, sorted, filtered and paged. */
int h_cases_list(struct web_ctx *c);

/* GET /cases/new: the referral form. */
int h_cases_new(struct web_ctx *c);

#endif
