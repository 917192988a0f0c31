/* h_insight_actions.c: actions agreed at the team's supervision meetings;
 * each becomes a task for the person it is given to. Cases are named by a
 * team-internal reference only. Category team_record. The list page has
 * the form to add one, each action a page to change it; a failed form
 * comes back with what was typed (web/h_form_int.h). */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/insight/records.h"
#include "domain/insight/supervision.h"
#include "domain/trust/access.h"
#include "store/store.h"
#include "web/gate.h"
#include "web/h_form_int.h"
#include "web/insight/h_insight_int.h"
#include "view/i18n.h"
#include "web/web.h"

static const char *str_in(json_t *in, const char *name)
{
	json_t *v = json_object_get(in, name);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int64_t id_in(json_t *in, const char *name)
{
	json_t *v = json_object_get(in, name);
	long n;
	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_string(v) && !str_to_long(json_string_value(v), 1, 1L << 53, &n))
		return n;
	return 0;
}

static json_t *action_json(struct web_ctx *c, const struct sup_action *x)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:{s:I, s:s}, s:s?, s:I, s:b, s:s}", "id",
			 (json_int_t)x->id, "meeting", (json_int_t)x->meeting_id, "meeting_day",
			 x->meeting_day, "case_ref", x->case_ref, "action", x->action, "assignee",
			 "id", (json_int_t)x->assignee, "name", x->assignee_name, "due", x->due,
			 "task", (json_int_t)x->task_id, "done", x->done, "href",
			 arena_printf(c->a, "/supervision-actions/%lld", (long long)x->id));
}

/* Options for a select: {"value", "label", "selected"}; the typed value
 * after a failed post, else cur. */
static json_t *choices_json(struct web_ctx *c, const struct sup_choice *v, size_t n,
			    const char *field, int64_t cur)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s}", "value", (json_int_t)v[i].id,
						      "label", v[i].label));
	const char *typed = form_typed(c, field);
	form_mark(list, "value", typed ? typed : arena_printf(c->a, "%lld", (long long)cur),
		  "selected");
	return list;
}

/* The form's values: typed ones after a failed post, else the action's. */
static json_t *form_model(struct web_ctx *c, struct tgate *g, const struct sup_action *x)
{
	struct sup_choice *mv, *uv;
	size_t mn, un;
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	if (sup_meetings_list(c->db, g->team, c->a, &mv, &mn) ||
	    sup_members_list(c->db, g->team, today, c->a, &uv, &un))
		return NULL;
	const char *ref = form_typed(c, "case_ref"), *action = form_typed(c, "action"),
		   *due = form_typed(c, "due");
	return json_pack("{s:o, s:o, s:s, s:s, s:s, s:b, s:b}", "meetings",
			 choices_json(c, mv, mn, "meeting", x ? x->meeting_id : 0), "members",
			 choices_json(c, uv, un, "assignee", x ? x->assignee : 0), "case_ref",
			 ref ? ref : x ? x->case_ref : "", "action",
			 action ? action : x ? x->action : "", "due",
			 due ? due : x && x->due ? x->due : "", "has_meetings", mn > 0, "create",
			 x == NULL);
}

/* The team of the route, read allowed, and its actions. */
static int team_actions(struct web_ctx *c, struct tgate *g, struct sup_action **v, size_t *n)
{
	int rc = ig_team_param(c, "id", g);
	if (rc || (rc = ig_allow(c, g, POLICY_TEAM_RECORD, POLICY_READ, false)))
		return rc;
	return sup_actions_list(c->db, g->team, c->a, v, n);
}

int hi_actions_list(struct web_ctx *c)
{
	struct tgate g;
	struct sup_action *v;
	size_t n;
	int rc = team_actions(c, &g, &v, &n);
	if (rc)
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, action_json(c, &v[i]));
	ig_model_team(c, &g);
	json_object_set_new(c->model, "actions", list);
	json_object_set_new(c->model, "has_actions", json_boolean(n > 0));
	if (!c->want_json) {
		json_t *f = form_model(c, &g, NULL);
		if (!f)
			return ERR_INTERNAL;
		json_object_set_new(c->model, "form", f);
	}
	c->template = "insight/actions";
	c->title_key = N_("insight.actions.title");
	return 0;
}

/* The fields from in, each checked; keep: the action's values for fields
 * not given (a PATCH). Records 400 naming the field. */
static int action_read(struct web_ctx *c, struct tgate *g, json_t *in, const struct sup_action *keep,
		       int64_t *meeting, const char **ref, const char **action, int64_t *assignee,
		       const char **due)
{
	/* Every field is checked, so the error summary lists each one wrong. */
	if (!keep) {
		*meeting = id_in(in, "meeting");
		if (!*meeting || sup_meeting_check(c->db, g->team, *meeting))
			web_fail_more(c, ERR_INVALID, "meeting", N_("insight.err.meeting"));
	}
	bool has = json_object_get(in, "case_ref") != NULL;
	*ref = has ? str_in(in, "case_ref") : keep ? keep->case_ref : "";
	if (!*ref || sup_case_ref_check(*ref))
		web_fail_more(c, ERR_INVALID, "case_ref", N_("insight.err.case_ref"));
	has = json_object_get(in, "action") != NULL;
	*action = has || !keep ? str_in(in, "action") : keep->action;
	if (!*action || strspn(*action, " \t\r\n") == strlen(*action) || strlen(*action) > 1000 ||
	    !str_valid_utf8(*action, strlen(*action)))
		web_fail_more(c, ERR_INVALID, "action", N_("insight.err.action"));
	has = json_object_get(in, "assignee") != NULL;
	*assignee = has || !keep ? id_in(in, "assignee") : keep->assignee;
	if (!*assignee || !access_team_role(c->db, g->team, *assignee, clock_today()))
		web_fail_more(c, ERR_INVALID, "assignee", N_("insight.err.assignee"));
	has = json_object_get(in, "due") != NULL;
	*due = has || !keep ? str_in(in, "due") : keep->due;
	day_t d;
	if (has && !json_is_string(json_object_get(in, "due")) &&
	    !json_is_null(json_object_get(in, "due")))
		web_fail_more(c, ERR_INVALID, "due", N_("insight.err.date"));
	else if (*due && **due && date_parse(*due, &d))
		web_fail_more(c, ERR_INVALID, "due", N_("insight.err.date"));
	if (*due && !**due)
		*due = NULL;
	return c->err;
}

static int actions_create(struct web_ctx *c)
{
	struct tgate g;
	json_t *in;
	int rc = ig_team_param(c, "id", &g);
	if (rc || (rc = ig_allow(c, &g, POLICY_TEAM_RECORD, POLICY_CREATE, false)) ||
	    (rc = web_input(c, &in)))
		return rc;
	int64_t meeting, assignee, id;
	const char *ref, *action, *due;
	if ((rc = action_read(c, &g, in, NULL, &meeting, &ref, &action, &assignee, &due)))
		return rc;
	if ((rc = store_begin_write(c->db)) ||
	    (rc = sup_action_create(c->db, g.team, meeting, ref, action, assignee, due, c->actor->id,
				    clock_now(), &id)))
		return rc;
	gate_audit(c, 0, arena_printf(c->a, "team:%lld:supervision_action:%lld", (long long)g.team, (long long)id),
		   "team_record", "create");
	if ((rc = store_commit(c->db)))
		return rc;
	web_set_model(c, json_pack("{s:I, s:I, s:s, s:s, s:I, s:s?}", "id", (json_int_t)id, "meeting",
				   (json_int_t)meeting, "case_ref", ref, "action", action, "assignee",
				   (json_int_t)assignee, "due", due));
	c->status = 201;
	c->redirect = arena_printf(c->a, "/teams/%lld/supervision-actions", (long long)g.team);
	return 0;
}

int hi_actions_create(struct web_ctx *c)
{
	return form_again(c, actions_create(c), "action", hi_actions_list);
}

/* The action named by the route and its team, asked for act. */
static int action_open(struct web_ctx *c, struct sup_action *x, struct tgate *g,
		       enum policy_action act)
{
	int64_t id, team;
	if (!c->model)
		c->model = json_object();
	int rc = gate_param_id(c, "id", &id);
	if (rc)
		return rc;
	rc = sup_action_get(c->db, id, c->a, &team, x);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("insight.err.action_not_found"));
	if (rc || (rc = ig_team(c, team, g)))
		return rc;
	return ig_allow(c, g, POLICY_TEAM_RECORD, act, false);
}

int hi_action_get(struct web_ctx *c)
{
	struct sup_action x;
	struct tgate g;
	int rc = action_open(c, &x, &g, POLICY_READ);
	if (rc)
		return rc;
	json_t *m = action_json(c, &x);
	json_object_set_new(m, "team", json_integer(g.team));
	json_object_set_new(m, "team_name", json_string(g.team_name));
	if (!c->want_json) {
		json_t *f = form_model(c, &g, &x);
		if (!f) {
			json_decref(m);
			return ERR_INTERNAL;
		}
		json_object_set_new(m, "form", f);
	}
	web_set_model(c, m);
	c->template = "insight/action";
	c->title_key = N_("insight.actions.edit_title");
	return 0;
}

static int action_update(struct web_ctx *c)
{
	struct sup_action x;
	struct tgate g;
	json_t *in;
	int rc = action_open(c, &x, &g, POLICY_UPDATE);
	if (rc || (rc = web_input(c, &in)))
		return rc;
	int64_t meeting, assignee;
	const char *ref, *action, *due;
	if ((rc = action_read(c, &g, in, &x, &meeting, &ref, &action, &assignee, &due)))
		return rc;
	if ((rc = store_begin_write(c->db)) ||
	    (rc = sup_action_update(c->db, x.id, ref, action, assignee, due, clock_now())))
		return rc;
	gate_audit(c, 0, arena_printf(c->a, "team:%lld:supervision_action:%lld", (long long)g.team, (long long)x.id),
		   "team_record", "update");
	if ((rc = store_commit(c->db)))
		return rc;
	c->redirect = arena_printf(c->a, "/teams/%lld/supervision-actions", (long long)g.team);
	json_decref(c->model);
	c->model = NULL;
	return hi_action_get(c);
}

int hi_action_update(struct web_ctx *c)
{
	return form_again(c, action_update(c), "action", hi_action_get);
}

int hi_actions_csv(struct web_ctx *c)
{
	struct tgate g;
	struct sup_action *v;
	size_t n;
	int rc = team_actions(c, &g, &v, &n);
	if (rc)
		return rc;
	struct buf b;
	buf_init(&b, 16u << 20);
	static const char *const heads[] = {"id", "meeting_day", "case_ref", "action", "assignee", "due", "done"};
	for (size_t k = 0; k < 7; k++)
		hi_csv_field(&b, heads[k], k == 6);
	for (size_t i = 0; i < n; i++) {
		hi_csv_field(&b, arena_printf(c->a, "%lld", (long long)v[i].id), false);
		hi_csv_field(&b, v[i].meeting_day, false);
		hi_csv_field(&b, v[i].case_ref, false);
		hi_csv_field(&b, v[i].action, false);
		hi_csv_field(&b, v[i].assignee_name, false);
		hi_csv_field(&b, v[i].due, false);
		hi_csv_field(&b, v[i].done ? "true" : "false", true);
	}
	hi_csv_send(c, &b, "supervision-actions.csv");
	return 0;
}
