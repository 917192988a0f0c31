/* h_person_home.c: GET /my, "Where I stand": the person's timeline in
 * plain language (the engine's sentences), the extension grounds and what
 * each needs, job clarification and its benefit level, the right to a
 * hearing and a support person, how to complain, who is who, and the next
 * meeting. */
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "view/i18n.h"
#include "web/cases/case_timeline_page.h"
#include "web/person/h_person_int.h"
#include "web/web.h"

static const char *const ground_title[RULES_GROUNDS] = {
    N_("person.ground.1.title"), N_("person.ground.2.title"), N_("person.ground.3.title"),
    N_("person.ground.4.title"), N_("person.ground.5.title"), N_("person.ground.6.title"),
    N_("person.ground.7.title")};
static const char *const ground_needs[RULES_GROUNDS] = {
    N_("person.ground.1.needs"), N_("person.ground.2.needs"), N_("person.ground.3.needs"),
    N_("person.ground.4.needs"), N_("person.ground.5.needs"), N_("person.ground.6.needs"),
    N_("person.ground.7.needs")};

/* 14808 as "14,808" (en) or "14.808" (da). arena */
static const char *money(struct web_ctx *c, long v)
{
	char digits[32], out[48];
	str_fmt(digits, sizeof digits, "%ld", v < 0 ? -v : v);
	size_t n = strlen(digits), j = 0;
	char sep = str_eq(c->lang, "da") ? '.' : ',';
	if (v < 0)
		out[j++] = '-';
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[j++] = sep;
		out[j++] = digits[i];
	}
	out[j] = '\0';
	return arena_strdup(c->a, out);
}

/* The seven grounds, each with what it needs and whether a document for it
 * is recorded (from the evidence the person may read). */
static json_t *grounds_json(struct web_ctx *c, json_t *tl)
{
	json_t *ev = json_object_get(tl, "evidence_grounds");
	json_t *ext = json_object_get(tl, "extension");
	long current =
	    json_is_object(ext) ? (long)json_integer_value(json_object_get(ext, "ground")) : 0;
	json_t *a = json_array();
	for (int g = 0; g < RULES_GROUNDS; g++) {
		json_t *row = json_array_get(ev, (size_t)g);
		bool rec = json_is_true(json_object_get(row, "supported"));
		json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:b, s:b}", "ground", g + 1,
						   "title", web_t(c, ground_title[g]), "needs",
						   web_t(c, ground_needs[g]), "recorded", rec,
						   "current", current == g + 1));
	}
	return a;
}

/* Job clarification: the profile's rate for this year, never an older
 * year's as today's ("year" says which year is not known). */
static json_t *job_json(struct web_ctx *c)
{
	const struct rules_profile *p = case_timeline_profile();
	json_t *o = json_object();
	if (!p)
		return o;
	json_object_set_new(o, "max_years", json_integer(p->job_clarification_max_years));
	json_object_set_new(o, "rehab_team_days",
			    json_integer(p->job_clarification_rehab_team_days));
	int y, mo, d;
	date_to_ymd(clock_today(), &y, &mo, &d);
	const struct rules_rate *r = NULL;
	for (int i = 0; i < p->n_rates; i++)
		if (p->rates[i].year == y)
			r = &p->rates[i];
	json_object_set_new(o, "year", json_integer(y));
	json_object_set_new(o, "has_rate", json_boolean(r != NULL));
	if (r)
		json_object_set_new(o, "rate",
				    json_pack("{s:i, s:s, s:s}", "year", r->year, "with_children",
					      money(c, r->with_dependants), "without_children",
					      money(c, r->without_dependants)));
	return o;
}

static json_t *people_json(struct web_ctx *c, const struct person_case *pc)
{
	json_t *a = json_array();
	if (pc->cm_id)
		json_array_append_new(a,
				      my_person_json(c, pc->cm_name, "care_manager", pc->cm_org));
	if (pc->ec_id)
		json_array_append_new(
		    a, my_person_json(c, pc->ec_name, "employment_consultant", pc->ec_org));
	return a;
}

/* The first planned meeting that has not ended, with its participants. */
static json_t *next_meeting(struct web_ctx *c, int64_t case_id)
{
	struct meeting *v;
	size_t n;
	int64_t now = clock_now();
	if (meeting_list_case(c->db, case_id, c->a, &v, &n))
		return json_null();
	for (size_t i = 0; i < n; i++) {
		if (v[i].status != MEETING_PLANNED || v[i].ends_at <= now)
			continue;
		struct meeting m;
		if (meeting_get(c->db, v[i].id, c->a, &m))
			return json_null();
		return my_meeting_json(c, &m);
	}
	return json_null();
}

static int timeline_model(struct web_ctx *c, struct my *m)
{
	struct case_timeline_opts o = {
	    .evidence_health_shared = gate_may(&m->g, POLICY_HEALTH_SHARED, POLICY_READ),
	    .evidence_employment = gate_may(&m->g, POLICY_EMPLOYMENT, POLICY_READ),
	};
	json_t *tl = NULL;
	int rc = case_timeline_page(c->db, m->pc.case_id, clock_today(), c->lang, c->app->i18n, &o,
				    c->a, &tl);
	if (rc)
		return web_fail(c, rc, NULL, N_("person.err.timeline"));
	json_t *rd = json_object_get(tl, "reassessment_date");
	json_object_set(c->model, "reassessment_date", rd ? rd : json_null());
	json_object_set_new(c->model, "grounds", grounds_json(c, tl));
	json_object_set_new(c->model, "in_job_clarification",
			    json_boolean(str_eq(json_string_value(json_object_get(tl, "status")),
						"job_clarification")));
	json_object_set_new(c->model, "timeline", tl);
	return 0;
}

/* A message with placeholders from params, in the page's language. arena */
static const char *my_format(struct web_ctx *c, const char *key, json_t *params)
{
	struct buf b;
	buf_init(&b, 4096);
	i18n_format(c->app->i18n, c->lang, key, params, &b);
	const char *out = arena_strdup(c->a, b.data);
	buf_release(&b);
	return out;
}

/* "N weeks and M days" (benefit days are weekdays: five to a week). arena */
static const char *weeks_and_days(struct web_ctx *c, int days)
{
	int w = days / 5, d = days % 5;
	json_t *p = json_pack("{s:i, s:i}", "weeks", w, "days", d);
	const char *key = w && d	? (w == 1 ? (d == 1 ? N_("person.home.dur.w1d1") : N_("person.home.dur.w1dn"))
						  : (d == 1 ? N_("person.home.dur.wnd1") : N_("person.home.dur.wndn")))
			  : d		? (d == 1 ? N_("person.home.dur.d1") : N_("person.home.dur.dn"))
					: (w == 1 ? N_("person.home.dur.w1") : N_("person.home.dur.wn"));
	const char *out = my_format(c, key, p);
	json_decref(p);
	return out;
}

/* "The most important right now": where they are, the next date, what they
 * can do; three sentences at most. */
static json_t *important_json(struct web_ctx *c, json_t *tl, json_t *next)
{
	json_t *a = json_array();
	const char *status = json_string_value(json_object_get(tl, "status"));
	int used = (int)json_integer_value(json_object_get(tl, "benefit_days"));
	const struct rules_profile *p = case_timeline_profile();
	int limit = p ? p->limit_days : 110;
	json_t *v = json_pack("{s:s, s:i}", "used", weeks_and_days(c, used), "limit_weeks",
			      limit / 5);
	json_object_set(v, "status_label", json_object_get(tl, "status_label"));
	json_object_set(v, "reassessment_date", json_object_get(tl, "reassessment_date"));
	if (json_is_object(next)) {
		json_object_set(v, "date", json_object_get(next, "date"));
		json_object_set(v, "time", json_object_get(next, "time"));
		json_object_set(v, "kind_label", json_object_get(next, "kind_label"));
	}
	bool sick = str_eq(status, "sickness_benefit");
	json_array_append_new(a, json_string(my_format(
				     c, sick ? N_("person.home.important.used")
					     : N_("person.home.important.status"), v)));
	if (json_is_object(next))
		json_array_append_new(a, json_string(my_format(c, N_("person.home.important.meeting"), v)));
	else if (json_is_string(json_object_get(tl, "reassessment_date")) && sick)
		json_array_append_new(
		    a, json_string(my_format(c, N_("person.home.important.reassessment"), v)));
	bool roundtable = json_is_object(next) && json_is_true(json_object_get(next, "is_roundtable"));
	json_array_append_new(a, json_string(web_t(c, roundtable ? N_("person.home.important.questions")
								    : N_("person.home.important.contact"))));
	json_decref(v);
	return a;
}

int h_my_home(struct web_ctx *c)
{
	struct my m;
	int rc = my_open(c, &m, "person/home", N_("person.home.title"));
	if (rc || (rc = timeline_model(c, &m)))
		return rc;
	const struct rules_profile *p = case_timeline_profile();
	json_object_set_new(c->model, "complaint_weeks", json_integer(p ? p->complaint_weeks : 4));
	json_object_set_new(c->model, "job_clarification", job_json(c));
	json_t *people = people_json(c, &m.pc);
	json_object_set_new(c->model, "has_people", json_boolean(json_array_size(people) > 0));
	json_object_set_new(c->model, "people", people);
	json_t *next = next_meeting(c, m.pc.case_id);
	json_object_set_new(c->model, "has_next_meeting", json_boolean(!json_is_null(next)));
	json_t *tl = json_object_get(c->model, "timeline");
	json_object_set_new(c->model, "important", important_json(c, tl, next));
	int used = (int)json_integer_value(json_object_get(tl, "benefit_days"));
	json_object_set_new(tl, "used_text", json_string(weeks_and_days(c, used)));
	json_object_set_new(tl, "limit_weeks", json_integer((p ? p->limit_days : 110) / 5));
	json_object_set_new(c->model, "next_meeting", next);
	return 0;
}
