/* h_plans_int.h: shared by the plans module's handlers (h_plans*.c). */
#ifndef IBBIS_H_PLANS_INT_H
#define IBBIS_H_PLANS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "web/gate.h"

struct web_ctx;

/* {"id", "name"}; new reference. */
json_t *plans_user_json(int64_t id, const char *name);
/* "2016-06-01T09:30:00Z"; new reference. */
json_t *plans_time_json(int64_t t);
/* The Danish calendar day of t, "YYYY-MM-DD"; new reference. */
json_t *plans_day_json(int64_t t);
/* Opens the case, allows reading its core data (with the "viewed" entry)
 * and reading `cat`; adds "case": {"id", "name"} to the model. */
int plans_open_read(struct web_ctx *c, struct gate *g, int64_t case_id,
		    enum policy_category cat, const char *item);
/* Policy only (no audit): may the actor write this joint item? */
bool plans_may(struct gate *g, enum policy_action act, bool author);
/* Policy with 403 and audit, for writes (call inside the transaction). */
int plans_allow(struct web_ctx *c, struct gate *g, enum policy_action act, bool author,
		const char *item);
/* A positive integer from a JSON value (integer or decimal string). */
bool plans_json_id(json_t *v, int64_t *out);

/* Handlers. */
int h_goals_list(struct web_ctx *c);
int h_goals_create(struct web_ctx *c);
int h_goal_get(struct web_ctx *c);
int h_goal_update(struct web_ctx *c);
int h_plan_get(struct web_ctx *c);
int h_plan_put(struct web_ctx *c);
int h_tasks_list(struct web_ctx *c);
int h_task_update(struct web_ctx *c);

/* The plan module's view (h_plans_plan_view.c). */
struct plan;
struct plan_step;
/* One step as JSON (with labels for pages); new reference. */
json_t *plans_step_json(struct web_ctx *c, const struct plan_step *s);
/* The changes from prev (NULL: none) to cur, with who made them. */
json_t *plans_changes_json(struct web_ctx *c, const struct plan *prev, const struct plan *cur);
/* Fills the model for version (0: the latest; ERR_NOT_FOUND when it does not
 * exist): version, author, created_at, steps, changes, versions, history,
 * people, and for pages the edit form's rows. Inside a read transaction. */
int plans_plan_model(struct web_ctx *c, struct gate *g, int version);

#endif
