/* h_insight_int.h: shared by the insight handlers (web/insight/). */
#ifndef IBBIS_H_INSIGHT_INT_H
#define IBBIS_H_INSIGHT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "policy/policy.h"

struct web_ctx;

/* A team and the actor's standing in it, for policy_check. */
struct tgate {
	struct web_ctx *c; /* the request (gate_ask checks its route) */
	int64_t team;
	const char *team_name; /* arena */
	const char *role;      /* static: membership role today, or NULL */
	int rater;	       /* instr_role index, or -1 */
	struct policy_actor pa;
};

/* Opens the team: 404 when there is none. */
int ig_team(struct web_ctx *c, int64_t team, struct tgate *g);
/* Opens the team named by route parameter param. */
int ig_team_param(struct web_ctx *c, const char *param, struct tgate *g);
/* Asks the policy; records 403 on refusal. own: the actor's own item. */
int ig_allow(struct web_ctx *c, struct tgate *g, enum policy_category cat, enum policy_action act,
	     bool own);
bool ig_may(struct tgate *g, enum policy_category cat, enum policy_action act);
/* The model's team fields ("team", "team_name"). */
void ig_model_team(struct web_ctx *c, struct tgate *g);
/* The label of a rated role in the request's language. static */
const char *ig_role_label(struct web_ctx *c, int role);

/* A survey round as JSON, with its state on today (h_insight.c). */
struct survey_round;
json_t *hi_round_json(struct web_ctx *c, const struct survey_round *r, const char *today);

int hi_instruments(struct web_ctx *c);
int hi_surveys(struct web_ctx *c);
int hi_survey_create(struct web_ctx *c);
int hi_response_get(struct web_ctx *c);
int hi_response_put(struct web_ctx *c);
int hi_results(struct web_ctx *c);
int hi_results_csv(struct web_ctx *c);
int hi_dashboard(struct web_ctx *c);
int hi_pulse(struct web_ctx *c);
int hi_outcomes(struct web_ctx *c);
int hi_dashboard_csv(struct web_ctx *c);
int hi_pulse_csv(struct web_ctx *c);
int hi_outcomes_csv(struct web_ctx *c);

int hi_log_list(struct web_ctx *c);
int hi_log_create(struct web_ctx *c);
int hi_log_get(struct web_ctx *c);
int hi_log_update(struct web_ctx *c);
int hi_log_csv(struct web_ctx *c);
int hi_glossary_list(struct web_ctx *c);
int hi_glossary_create(struct web_ctx *c);
int hi_glossary_get(struct web_ctx *c);
int hi_glossary_update(struct web_ctx *c);
int hi_glossary_csv(struct web_ctx *c);
int hi_actions_list(struct web_ctx *c);
int hi_actions_create(struct web_ctx *c);
int hi_actions_csv(struct web_ctx *c);
int hi_action_get(struct web_ctx *c);
int hi_action_update(struct web_ctx *c);

/* CSV (h_insight_measures.c). */
struct buf;
void hi_csv_field(struct buf *b, const char *s, bool last);
void hi_csv_send(struct web_ctx *c, struct buf *b, const char *name);

#endif
