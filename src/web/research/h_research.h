/* h_research.h: helpers shared by the research handlers (web/research/). */
#ifndef IBBIS_H_RESEARCH_H
#define IBBIS_H_RESEARCH_H

#include <stdint.h>

#include "domain/cases/case_input.h"
#include "policy/policy.h"

struct web_ctx;

/* Asks the policy's research row about study `study` for this actor:
 * 0, or records 404 (no study) or 403 and returns it. */
int research_allow(struct web_ctx *c, int64_t study, enum policy_category cat,
		   enum policy_action act);
/* The same for the study named by the route parameter "id". */
int research_open(struct web_ctx *c, enum policy_category cat, enum policy_action act,
		  int64_t *id);
/* Records a domain error with its field and message (400/409/503). */
int research_domain_fail(struct web_ctx *c, int rc, const struct field_err *fe);

#endif
