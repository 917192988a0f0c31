/* h_plans.c: the plans module's routes and goals (its shared helpers are
 * in h_plans_util.c).
 *
 * Goals are the service user's, in their own words (category joint). The
 * person, the assigned CM and the assigned EC add them; the person edits
 * any goal of their case, a professional only the goals they wrote down. */
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/plans/goal.h"
#include "domain/plans/plan.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/h_form_int.h"
#include "web/plans/h_plans_int.h"
#include "web/handlers.h"
#include "web/web.h"

const struct route routes_plans[] = {
	{HTTP_GET, "/cases/{id}/goals", h_goals_list, ROUTE_CASE, "joint,core"},
	{HTTP_POST, "/cases/{id}/goals", h_goals_create, ROUTE_CASE, "joint,core"},
	{HTTP_GET, "/goals/{id}", h_goal_get, ROUTE_CASE, "joint,core"},
	{HTTP_PATCH, "/goals/{id}", h_goal_update, ROUTE_CASE, "joint,core"},
	{HTTP_POST, "/goals/{id}", h_goal_update, ROUTE_CASE, "joint,core"},
	{HTTP_GET, "/cases/{id}/plan", h_plan_get, ROUTE_CASE, "joint,core"},
	{HTTP_PUT, "/cases/{id}/plan", h_plan_put, ROUTE_CASE, "joint,core"},
	{HTTP_POST, "/cases/{id}/plan", h_plan_put, ROUTE_CASE, "joint,core"},
	{HTTP_GET, "/tasks", h_tasks_list, ROUTE_SESSION, "core,joint,clinical"},
	{HTTP_PATCH, "/tasks/{id}", h_task_update, ROUTE_SESSION, "core,joint,clinical"},
	{HTTP_POST, "/tasks/{id}", h_task_update, ROUTE_SESSION, "core,joint,clinical"},
};
const size_t routes_plans_n = sizeof routes_plans / sizeof routes_plans[0];

/* ---- goals ---- */

static const char *const goal_statuses[] = {"active", "reached", "dropped"};

static const char *goal_status_key(const char *s)
{
	if (str_eq(s, "reached"))
		return N_("plans.goal.status.reached");
	if (str_eq(s, "dropped"))
		return N_("plans.goal.status.dropped");
	return N_("plans.goal.status.active");
}

/* The person owns every goal of their case; a professional only their own. */
static bool goal_authored(struct gate *g, const struct goal *go, int64_t actor)
{
	return g->pa.is_case_person || go->author_id == actor;
}

static json_t *goal_json(struct web_ctx *c, struct gate *g, const struct goal *go)
{
	json_t *versions = json_array();
	for (size_t i = 0; i < go->nversions; i++) {
		const struct goal_version *v = &go->versions[i];
		json_array_append_new(
			versions, json_pack("{s:i, s:s, s:s, s:s, s:o, s:o, s:o}", "number", (int)i + 1,
					    "text", v->text, "status", v->status, "status_label",
					    web_t(c, goal_status_key(v->status)), "by",
					    plans_user_json(v->by_id, v->by_name), "at",
					    plans_time_json(v->at), "on", plans_day_json(v->at)));
	}
	json_t *statuses = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(statuses,
				      json_pack("{s:s, s:s, s:b}", "value", goal_statuses[i], "label",
						web_t(c, goal_status_key(goal_statuses[i])),
						"selected", str_eq(go->status, goal_statuses[i])));
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:b, s:o}", "id",
			 (json_int_t)go->id, "case_id", (json_int_t)go->case_id, "text", go->text,
			 "status", go->status, "status_label", web_t(c, goal_status_key(go->status)),
			 "author", plans_user_json(go->author_id, go->author_name), "created_at",
			 plans_time_json(go->created_at), "updated_by",
			 plans_user_json(go->updated_by, go->updated_by_name), "updated_at",
			 plans_time_json(go->updated_at), "versions", versions, "may_edit",
			 plans_may(g, POLICY_UPDATE, goal_authored(g, go, c->actor->id)),
			 "statuses", statuses, "edited", go->nversions > 1, "created_on",
			 plans_day_json(go->created_at));
}

static int goals_model(struct web_ctx *c, struct gate *g)
{
	struct goal *goals;
	size_t n;
	int rc = goal_list(c->db, g->cr.id, c->a, &goals, &n);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, goal_json(c, g, &goals[i]));
	web_model_merge(c, json_pack("{s:o, s:b, s:b, s:I}", "goals", arr, "has_goals", n > 0,
				       "may_add", plans_may(g, POLICY_CREATE, false), "text_max",
				       (json_int_t)GOAL_TEXT_MAX));
	return 0;
}

static int goals_page(struct web_ctx *c, struct gate *g, int64_t case_id)
{
	c->template = "goals/index";
	c->title_key = N_("plans.goals.title");
	int rc = plans_open_read(c, g, case_id, POLICY_JOINT, "goals");
	if (!rc)
		rc = store_begin_read(c->db);
	if (rc)
		return rc;
	rc = goals_model(c, g);
	store_commit(c->db);
	return rc;
}

int h_goals_list(struct web_ctx *c)
{
	struct gate g;
	int64_t id;
	int rc = gate_param_id(c, "id", &id);
	return rc ? rc : goals_page(c, &g, id);
}

int h_goals_create(struct web_ctx *c)
{
	struct gate g;
	int64_t case_id, goal_id;
	json_t *in;
	int rc = gate_param_id(c, "id", &case_id);
	if (!rc)
		rc = web_input(c, &in);
	if (!rc)
		rc = goals_page(c, &g, case_id);
	if (rc)
		return rc;
	if (!plans_may(&g, POLICY_CREATE, false))
		return plans_allow(c, &g, POLICY_CREATE, false, "goal");
	const char *text = web_field(c, "text");
	if (goal_text_check(text, GOAL_TEXT_MAX)) {
		web_fail(c, ERR_INVALID, "text", N_("plans.goal.err.text"));
		form_keep(c, "goal"); /* the page is built: put back what was typed */
		return ERR_INVALID;
	}
	int64_t now = clock_now();
	rc = store_begin_write(c->db);
	if (!rc)
		rc = goal_create(c->db, case_id, text, c->actor->id, now, &goal_id);
	if (!rc)
		rc = plans_allow(c, &g, POLICY_CREATE, false,
				 arena_printf(c->a, "goal:%lld", (long long)goal_id));
	if (!rc)
		rc = store_commit(c->db);
	if (rc)
		return rc;
	struct goal go;
	rc = goal_get(c->db, goal_id, c->a, &go);
	if (rc)
		return rc;
	json_object_set_new(c->model, "goal", goal_json(c, &g, &go));
	c->status = 201;
	c->redirect = arena_printf(c->a, "/cases/%lld/goals", (long long)case_id);
	return 0;
}

/* Loads the goal named by the route and opens its case for reading. */
static int goal_open(struct web_ctx *c, struct gate *g, struct goal *go)
{
	int64_t id;
	int rc = gate_param_id(c, "id", &id);
	if (rc)
		return rc;
	rc = goal_get(c->db, id, c->a, go);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("plans.goal.err.not_found"));
	if (rc)
		return rc;
	c->template = "goals/show";
	c->title_key = N_("plans.goal.title");
	rc = plans_open_read(c, g, go->case_id, POLICY_JOINT,
			     arena_printf(c->a, "goal:%lld", (long long)id));
	if (rc)
		return rc;
	web_model_merge(c, json_pack("{s:o}", "goal", goal_json(c, g, go)));
	return 0;
}

int h_goal_get(struct web_ctx *c)
{
	struct gate g;
	struct goal go;
	return goal_open(c, &g, &go);
}

/* The edit's new text and status; NULL for a field not given. */
static int goal_update_input(struct web_ctx *c, const char **text, const char **status)
{
	json_t *in;
	int rc = web_input(c, &in);
	if (rc)
		return rc;
	json_t *t = json_object_get(in, "text"), *s = json_object_get(in, "status");
	if ((!t || json_is_null(t)) && (!s || json_is_null(s)))
		return web_fail(c, ERR_INVALID, "text", N_("plans.goal.err.nothing"));
	*text = json_is_string(t) ? json_string_value(t) : NULL;
	*status = json_is_string(s) ? json_string_value(s) : NULL;
	if (t && !json_is_null(t) && goal_text_check(*text, GOAL_TEXT_MAX))
		return web_fail(c, ERR_INVALID, "text", N_("plans.goal.err.text"));
	if (s && !json_is_null(s) && !goal_status_valid(*status))
		return web_fail(c, ERR_INVALID, "status", N_("plans.goal.err.status"));
	return 0;
}

int h_goal_update(struct web_ctx *c)
{
	struct gate g;
	struct goal go;
	const char *text = NULL, *status = NULL;
	int rc = goal_open(c, &g, &go);
	if (rc)
		return rc;
	bool author = goal_authored(&g, &go, c->actor->id);
	const char *item = arena_printf(c->a, "goal:%lld", (long long)go.id);
	if (!plans_may(&g, POLICY_UPDATE, author))
		return plans_allow(c, &g, POLICY_UPDATE, author, item);
	rc = goal_update_input(c, &text, &status);
	if (rc) {
		json_t *goal = json_object_get(c->model, "goal");
		form_mark(json_object_get(goal, "statuses"), "value", form_typed(c, "status"),
			  "selected");
		form_keep(c, "goal_edit");
		return rc;
	}
	rc = store_begin_write(c->db);
	if (!rc)
		rc = goal_update(c->db, go.id, text, status, c->actor->id, clock_now());
	if (!rc)
		rc = plans_allow(c, &g, POLICY_UPDATE, author, item);
	if (!rc)
		rc = store_commit(c->db);
	if (!rc)
		rc = goal_get(c->db, go.id, c->a, &go);
	if (rc)
		return rc;
	json_object_set_new(c->model, "goal", goal_json(c, &g, &go));
	c->redirect = arena_printf(c->a, "/cases/%lld/goals", (long long)go.case_id);
	return 0;
}
