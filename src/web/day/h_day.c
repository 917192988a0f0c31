/* h_day.c: "My day", the home of a care manager, an employment consultant
 * or a supervisor (GET / and /me/day, /api/v1/me/day): their tasks that are
 * overdue, due today and due in the coming week; today's and tomorrow's
 * meetings with the person's name, the time and the place; the cases whose
 * reassessment comes within 28 days ("in N days"); and, for the cases with
 * a follow-up conversation due, the form that records one held. Every
 * item links to where it is done. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/cases/case.h"
#include "domain/plans/task.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/h_form_int.h"
#include "web/handlers.h"
#include "web/meetings/h_meetings_share.h"
#include "web/plans/h_tasks.h"
#include "web/insight/h_insight.h"
#include "web/gate.h"
#include "web/web.h"

#define DAY_WEEK_DAYS 7     /* "this week": due in the coming seven days */
#define DAY_REASSESS_DAYS 28

static bool is_followup(const char *kind)
{
	return str_eq(kind, "first_followup") || str_eq(kind, "next_followup");
}

/* The open tasks into overdue, today and the coming week; the cases with a
 * follow-up due into followups (one form each). */
static json_t *day_tasks(struct web_ctx *c, day_t today, json_t *followups)
{
	struct task *ts;
	size_t n;
	json_t *o = json_pack("{s:[], s:[], s:[]}", "overdue", "today", "week");
	if (task_list_for_user(c->db, c->actor->id, NULL, clock_now() + 1, c->a, &ts, &n))
		return o;
	json_t *arr = tasks_json(c, ts, n);
	char t0[DATE_STR_LEN], t7[DATE_STR_LEN];
	date_format(today, t0);
	date_format(today + DAY_WEEK_DAYS, t7);
	size_t i;
	json_t *t;
	json_array_foreach(arr, i, t)
	{
		const char *due = json_string_value(json_object_get(t, "due"));
		if (!due || json_is_true(json_object_get(t, "done")) || strcmp(due, t7) > 0)
			continue;
		int cmp = strcmp(due, t0);
		json_array_append(json_object_get(o, cmp < 0 ? "overdue" : cmp == 0 ? "today" : "week"),
				  t);
		json_t *kase = json_object_get(t, "case");
		if (is_followup(json_string_value(json_object_get(t, "kind"))) && json_is_object(kase) &&
		    c->actor->role == ROLE_EMPLOYMENT_CONSULTANT)
			json_array_append_new(followups,
					      json_pack("{s:O, s:O, s:O}", "case", kase, "title",
							json_object_get(t, "title"), "due",
							json_object_get(t, "due")));
	}
	json_decref(arr);
	return o;
}

/* Today's and tomorrow's meetings with the person, time and place. */
static json_t *day_meetings(struct web_ctx *c, day_t today)
{
	json_t *arr = hm_mine_json(c, today, today + 1);
	json_t *o = json_pack("{s:[], s:[]}", "today", "tomorrow");
	char t0[DATE_STR_LEN];
	date_format(today, t0);
	size_t i;
	json_t *m;
	json_array_foreach(arr, i, m)
	{
		json_t *site = json_object_get(m, "site");
		const char *place = json_is_object(site)
					? json_string_value(json_object_get(site, "name"))
					: json_string_value(json_object_get(m, "mode_label"));
		json_object_set_new(m, "place", json_string(place ? place : ""));
		json_t *who = json_object_get(m, "person_name"); /* supervision: the team */
		json_object_set(m, "who", json_is_string(who) ? who : json_object_get(m, "team_name"));
		bool is_today = str_eq(json_string_value(json_object_get(m, "date")), t0);
		json_array_append(json_object_get(o, is_today ? "today" : "tomorrow"), m);
	}
	json_decref(arr);
	return o;
}

/* The open cases reassessed within 28 days, soonest first, "in N days". */
static json_t *day_reassessments(struct web_ctx *c, day_t today)
{
	struct case_filter f = {.status = "open",
				.reassess_days = DAY_REASSESS_DAYS,
				.sort = CASE_SORT_REASSESSMENT,
				.limit = 100};
	json_t *l, *out = json_array();
	if (case_list_json(c->db, c->actor, &f, today, &l))
		return out;
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(l, "cases"), i, k)
	{
		day_t d;
		const char *r = json_string_value(json_object_get(k, "reassessment_date"));
		if (!r || date_parse(r, &d))
			continue;
		json_array_append_new(out, json_pack("{s:O, s:O, s:s, s:i, s:s, s:s}", "id",
						     json_object_get(k, "id"), "name",
						     json_object_get(k, "name"), "reassessment_date", r,
						     "days", (int)(d - today), "href",
						     arena_printf(c->a, "/cases/%lld/decisions",
								  (long long)json_integer_value(
								      json_object_get(k, "id"))),
						     "case_href",
						     json_string_value(json_object_get(k, "href"))));
	}
	json_decref(l);
	return out;
}

/* How many of the actor's cases have an overdue deadline (for a supervisor:
 * the team's). */
static int day_overdue_cases(struct web_ctx *c, day_t today)
{
	struct case_filter f = {.status = "open", .overdue = true, .reassess_days = -1, .limit = 1};
	json_t *l;
	if (case_list_json(c->db, c->actor, &f, today, &l))
		return 0;
	int n = (int)json_integer_value(json_object_get(l, "total"));
	json_decref(l);
	return n;
}

static void day_labels(struct web_ctx *c, json_t *m)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(m, "reassessments"), i, r)
	{
		int d = (int)json_integer_value(json_object_get(r, "days"));
		json_object_set_new(r, "in_days",
				    json_string(web_t(c, d == 0   ? N_("day.reassess.today")
							 : d == 1 ? N_("day.reassess.tomorrow")
								  : N_("day.reassess.in_days"))));
	}
	json_t *t = json_object_get(m, "tasks"), *mt = json_object_get(m, "meetings");
	json_object_set_new(m, "has_overdue", json_boolean(json_array_size(json_object_get(t, "overdue"))));
	json_object_set_new(m, "has_today", json_boolean(json_array_size(json_object_get(t, "today"))));
	json_object_set_new(m, "has_week", json_boolean(json_array_size(json_object_get(t, "week"))));
	json_object_set_new(m, "has_meetings_today",
			    json_boolean(json_array_size(json_object_get(mt, "today"))));
	json_object_set_new(m, "has_meetings_tomorrow",
			    json_boolean(json_array_size(json_object_get(mt, "tomorrow"))));
	json_object_set_new(m, "has_reassessments",
			    json_boolean(json_array_size(json_object_get(m, "reassessments"))));
	json_object_set_new(m, "has_followups",
			    json_boolean(json_array_size(json_object_get(m, "followups"))));
	json_object_set_new(m, "has_overdue_cases",
			    json_boolean(json_integer_value(json_object_get(m, "overdue_cases")) > 0));
	json_object_set_new(m, "is_supervisor", json_boolean(c->actor->role == ROLE_SUPERVISOR));
	/* A failed follow-up form: only its own form shows what was typed. */
	form_mark(json_object_get(m, "followups"), "fu_case", form_typed(c, "case_id"), "kept_here");
}

int h_day(struct web_ctx *c)
{
	int rc = gate_role_allow(c, POLICY_STAFF_WORK, POLICY_READ, N_("day.err.role"));
	if (rc)
		return rc;
	day_t today = clock_today();
	char t0[DATE_STR_LEN];
	date_format(today, t0);
	rc = store_begin_read(c->db);
	if (rc)
		return rc;
	json_t *followups = json_array();
	json_t *m = json_pack("{s:s, s:s, s:o, s:o, s:o, s:i}", "today", t0, "name", c->actor->name,
			      "tasks", day_tasks(c, today, followups), "meetings",
			      day_meetings(c, today), "reassessments", day_reassessments(c, today),
			      "overdue_cases", day_overdue_cases(c, today));
	store_commit(c->db);
	size_t i;
	json_t *f;
	json_array_foreach(followups, i, f) /* the form's case, for the partial and form_mark */
	{
		json_object_set(f, "fu_case", json_object_get(json_object_get(f, "case"), "id"));
		json_object_set_new(f, "fu_from", json_string("day"));
	}
	json_object_set_new(m, "followups", followups);
	if (!c->want_json)
		day_labels(c, m);
	web_set_model(c, m);
	hi_home_links(c); /* the team's survey, records and (supervisors) overview */
	c->template = "day/index";
	c->title_key = N_("day.title");
	return 0;
}

