/* h_person_goals.c: GET /my/goals, "My goals and plan": the person's goals
 * in their own words (add and edit through goal.h, as the goals endpoints
 * do), the plan's steps and who is responsible for each, and the minutes of
 * held roundtables with who has agreed to them. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/plans/goal.h"
#include "domain/plans/plan.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/h_form_int.h"
#include "web/person/h_person_int.h"
#include "web/web.h"

static const struct {
	const char *name, *key;
} labels[] = {
    {"active", N_("person.goal.status.active")},
    {"reached", N_("person.goal.status.reached")},
    {"dropped", N_("person.goal.status.dropped")},
    {"planned", N_("person.step.status.planned")},
    {"in_progress", N_("person.step.status.in_progress")},
    {"done", N_("person.step.status.done")},
    {"treatment", N_("person.step.kind.treatment")},
    {"return_to_work", N_("person.step.kind.return_to_work")},
};

/* "dropped" reads the same for goals and steps. static */
static const char *label(struct web_ctx *c, const char *name)
{
	for (size_t i = 0; name && i < sizeof labels / sizeof labels[0]; i++)
		if (str_eq(labels[i].name, name))
			return web_t(c, labels[i].key);
	return name ? name : "";
}

static json_t *goals_json(struct web_ctx *c, struct my *my)
{
	struct goal *v;
	size_t n;
	json_t *a = json_array();
	if (goal_list(c->db, my->pc.case_id, c->a, &v, &n))
		return a;
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:b, s:b, s:b}", "id", (json_int_t)v[i].id,
		    "text", v[i].text, "status", v[i].status, "status_label", label(c, v[i].status),
		    "author_name", v[i].author_name ? v[i].author_name : "", "by_me",
		    v[i].author_id == c->actor->id, "edit_action",
		    arena_printf(c->a, "/my/goals/%lld", (long long)v[i].id), "is_active",
		    str_eq(v[i].status, "active"), "is_reached", str_eq(v[i].status, "reached"),
		    "is_dropped", str_eq(v[i].status, "dropped"));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *plan_json(struct web_ctx *c, struct my *my)
{
	struct plan p;
	json_t *steps = json_array();
	int rc = plan_load(c->db, my->pc.case_id, 0, c->a, &p);
	for (size_t i = 0; rc == 0 && i < p.n; i++) {
		const struct plan_step *s = &p.steps[i];
		bool mine = s->responsible_id == c->actor->id;
		json_t *o =
		    json_pack("{s:s, s:s, s:s, s:s, s:b}", "text", s->text, "kind_label",
			      label(c, s->kind), "status_label", label(c, s->status), "responsible",
			      s->responsible_name ? s->responsible_name : "", "mine", mine);
		json_object_set_new(o, "has_responsible", json_boolean(s->responsible_id != 0));
		json_object_set_new(o, "due", s->due ? json_string(s->due) : json_null());
		json_object_set_new(o, "hours_per_week",
				    s->has_hours ? json_real(s->hours_per_week) : json_null());
		json_array_append_new(steps, o);
	}
	json_t *o =
	    json_pack("{s:b, s:o}", "has_steps", json_array_size(steps) > 0, "steps", steps);
	json_object_set_new(o, "version", rc == 0 ? json_integer(p.version) : json_null());
	return o;
}

static json_t *agreements_json(struct web_ctx *c, int64_t meeting_id)
{
	struct meeting_agreement *v;
	size_t n;
	json_t *a = json_array();
	if (meeting_agreements(c->db, meeting_id, c->a, &v, &n))
		return a;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:b, s:s}", "name", v[i].name, "role_label",
				 web_t(c, arena_printf(c->a, "role.%s", v[i].role)), "agreed",
				 v[i].agreed, "comment", v[i].comment ? v[i].comment : ""));
	return a;
}

/* Minutes of the case's held roundtables, newest first. */
static json_t *minutes_json(struct web_ctx *c, struct my *my)
{
	struct meeting *v;
	size_t n;
	json_t *a = json_array();
	if (!gate_may(&my->g, POLICY_JOINT, POLICY_READ) ||
	    meeting_list_case(c->db, my->pc.case_id, c->a, &v, &n))
		return a;
	for (size_t i = n; i > 0; i--) {
		struct meeting *m = &v[i - 1];
		if (m->kind != MEETING_ROUNDTABLE || m->status != MEETING_HELD || !m->minutes)
			continue;
		char d[DATE_STR_LEN], t[MY_HM_LEN];
		my_local(m->starts_at, d, t);
		json_t *ag = agreements_json(c, m->id);
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:s, s:b, s:o, s:s}", "id", (json_int_t)m->id, "date",
				 d, "text", m->minutes, "has_agreements", json_array_size(ag) > 0,
				 "agreements", ag, "href",
				 arena_printf(c->a, "/meetings/%lld#minutes", (long long)m->id)));
	}
	return a;
}

static int goals_fill(struct web_ctx *c, struct my *my)
{
	json_t *g = goals_json(c, my), *mn = minutes_json(c, my);
	json_object_set_new(c->model, "has_goals", json_boolean(json_array_size(g) > 0));
	json_object_set_new(c->model, "goals", g);
	json_object_set_new(c->model, "plan", plan_json(c, my));
	json_object_set_new(c->model, "has_minutes", json_boolean(json_array_size(mn) > 0));
	json_object_set_new(c->model, "minutes", mn);
	json_object_set_new(c->model, "can_add", json_boolean(my->pc.open));
	return 0;
}

static int my_goals_open(struct web_ctx *c, struct my *my)
{
	int rc = my_open(c, my, "person/goals", N_("person.goals.title"));
	if (rc || (rc = gate_allow(c, &my->g, POLICY_JOINT, POLICY_READ, "goals")))
		return rc;
	return 0;
}

int h_my_goals(struct web_ctx *c)
{
	struct my my;
	int rc = my_goals_open(c, &my);
	return rc ? rc : goals_fill(c, &my);
}

/* A failed form: the page again with what was typed, in the new-goal form
 * or (goal_id) in that goal's edit form. */
static int refill(struct web_ctx *c, struct my *my, int64_t goal_id, int err)
{
	if (c->want_json || goals_fill(c, my))
		return err;
	if (goal_id)
		form_mark(json_object_get(c->model, "goals"), "id",
			  arena_printf(c->a, "%lld", (long long)goal_id), "kept_here");
	form_keep(c, goal_id ? "goal_edit" : "goal");
	return err;
}

int h_my_goal_add(struct web_ctx *c)
{
	struct my my;
	json_t *in;
	const char *text = NULL;
	int rc = my_goals_open(c, &my);
	if (rc || (rc = web_input(c, &in)))
		return rc;
	json_t *t = json_object_get(in, "text");
	text = json_is_string(t) ? json_string_value(t) : NULL;
	if (goal_text_check(text, GOAL_TEXT_MAX))
		return refill(c, &my, 0, web_fail(c, ERR_INVALID, "text", N_("person.err.goal_text")));
	int64_t id;
	struct policy_item p = {.category = POLICY_JOINT, .actor_is_author = true};
	if ((rc = store_begin_write(c->db)) ||
	    (rc = gate_allow_item(c, &my.g, POLICY_CREATE, &p, "goal")) ||
	    (rc = goal_create(c->db, my.pc.case_id, text, c->actor->id, clock_now(), &id)) ||
	    (rc = store_commit(c->db)))
		return rc;
	json_object_set_new(c->model, "goal",
			    json_pack("{s:I, s:s}", "id", (json_int_t)id, "text", text));
	c->status = 201;
	c->redirect = "/my/goals#goals";
	return 0;
}

int h_my_goal_edit(struct web_ctx *c)
{
	struct my my;
	struct goal go;
	json_t *in;
	int64_t id;
	int rc = my_goals_open(c, &my);
	if (rc || (rc = gate_param_id(c, "id", &id)))
		return rc;
	rc = goal_get(c->db, id, c->a, &go);
	if (rc == ERR_NOT_FOUND || (!rc && go.case_id != my.pc.case_id))
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("person.err.goal_not_found"));
	if (rc || (rc = web_input(c, &in)))
		return rc;
	json_t *t = json_object_get(in, "text"), *s = json_object_get(in, "status");
	const char *text = json_is_string(t) ? json_string_value(t) : NULL;
	const char *status =
	    json_is_string(s) && *json_string_value(s) ? json_string_value(s) : NULL;
	if (!text && !status)
		return refill(c, &my, id, web_fail(c, ERR_INVALID, "text", N_("person.err.goal_text")));
	if (text && goal_text_check(text, GOAL_TEXT_MAX))
		return refill(c, &my, id, web_fail(c, ERR_INVALID, "text", N_("person.err.goal_text")));
	if (status && !goal_status_valid(status))
		return refill(c, &my, id,
			      web_fail(c, ERR_INVALID, "status", N_("person.err.goal_status")));
	/* The person owns every goal of their case (docs/api-plans.md). */
	struct policy_item p = {.category = POLICY_JOINT, .actor_is_author = true};
	if ((rc = store_begin_write(c->db)) ||
	    (rc = gate_allow_item(c, &my.g, POLICY_UPDATE, &p,
				  arena_printf(c->a, "goal:%lld", (long long)id))) ||
	    (rc = goal_update(c->db, id, text, status, c->actor->id, clock_now())) ||
	    (rc = store_commit(c->db)))
		return rc;
	json_object_set_new(c->model, "goal", json_pack("{s:I}", "id", (json_int_t)id));
	c->redirect = arena_printf(c->a, "/my/goals#goal-%lld", (long long)id);
	return 0;
}
