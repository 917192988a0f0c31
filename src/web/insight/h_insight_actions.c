/* h_insight_actions.c: actions agreed at the team's supervision meetings;
 * each becomes a task for the person it is given to. Cases are named by a
 * team-internal reference only. Category team_record. */
#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/insight/records.h"
#include "domain/trust/access.h"
#include "store/store.h"
#include "web/gate.h"
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

int hi_actions_list(struct web_ctx *c)
{
	struct tgate g;
	int rc = ig_team_param(c, "id", &g);
	if (rc || (rc = ig_allow(c, &g, POLICY_TEAM_RECORD, POLICY_READ, false)))
		return rc;
	struct sup_action *v;
	size_t n;
	if ((rc = sup_actions_list(c->db, g.team, c->a, &v, &n)))
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:I, s:I, s:s, s:s, s:s, s:{s:I, s:s}, s:s?, s:I, s:b}", "id",
				    (json_int_t)v[i].id, "meeting", (json_int_t)v[i].meeting_id,
				    "meeting_day", v[i].meeting_day, "case_ref", v[i].case_ref,
				    "action", v[i].action, "assignee", "id", (json_int_t)v[i].assignee,
				    "name", v[i].assignee_name, "due", v[i].due, "task",
				    (json_int_t)v[i].task_id, "done", v[i].done));
	ig_model_team(c, &g);
	json_object_set_new(c->model, "actions", list);
	json_object_set_new(c->model, "has_actions", json_boolean(n > 0));
	c->template = "insight/actions";
	c->title_key = N_("insight.actions.title");
	return 0;
}

int hi_actions_create(struct web_ctx *c)
{
	struct tgate g;
	json_t *in;
	int rc = ig_team_param(c, "id", &g);
	if (rc || (rc = ig_allow(c, &g, POLICY_TEAM_RECORD, POLICY_CREATE, false)) ||
	    (rc = web_input(c, &in)))
		return rc;
	int64_t meeting = id_in(in, "meeting"), assignee = id_in(in, "assignee");
	if (!meeting || sup_meeting_check(c->db, g.team, meeting))
		return web_fail(c, ERR_INVALID, "meeting", N_("insight.err.meeting"));
	const char *ref = str_in(in, "case_ref");
	if (!ref)
		ref = "";
	if (sup_case_ref_check(ref))
		return web_fail(c, ERR_INVALID, "case_ref", N_("insight.err.case_ref"));
	const char *action = str_in(in, "action");
	if (!action || strspn(action, " \t\r\n") == strlen(action) || strlen(action) > 1000 ||
	    !str_valid_utf8(action, strlen(action)))
		return web_fail(c, ERR_INVALID, "action", N_("insight.err.action"));
	if (!assignee || !access_team_role(c->db, g.team, assignee, clock_today()))
		return web_fail(c, ERR_INVALID, "assignee", N_("insight.err.assignee"));
	const char *due = str_in(in, "due");
	day_t d;
	if (due && !*due)
		due = NULL;
	if (due && date_parse(due, &d))
		return web_fail(c, ERR_INVALID, "due", N_("insight.err.date"));
	int64_t id;
	if ((rc = store_begin_write(c->db)) ||
	    (rc = sup_action_create(c->db, g.team, meeting, ref, action, assignee, due, c->actor->id,
				    clock_now(), &id)))
		return rc;
	gate_audit(c, 0, arena_printf(c->a, "team:%lld:supervision_action:%lld", (long long)g.team, (long long)id),
		   "team_record", "create");
	if ((rc = store_commit(c->db)))
		return rc;
	web_set_model(c, json_pack("{s:I, s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "meeting",
				   (json_int_t)meeting, "case_ref", ref, "action", action, "assignee",
				   (json_int_t)assignee));
	c->status = 201;
	c->redirect = arena_printf(c->a, "/teams/%lld/supervision-actions", (long long)g.team);
	return 0;
}
