/* h_cases_page.c: the case page's model beyond the core data: who is who,
 * the handover note, the timeline, next meetings, goals, plan, tasks,
 * recent activity and the actions the actor may take (all decided by the
 * gate's policy answers), and the referral form. */
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/activation.h"
#include "domain/cases/case.h"
#include "domain/cases/case_summary.h"
#include "domain/teams/team.h"
#include "domain/meetings/meeting.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/gate.h"
#include "web/cases/case_timeline_page.h"
#include "web/cases/h_cases_int.h"
#include "web/trust/h_trust.h"
#include "web/h_form_int.h"
#include "web/web.h"

static void label(struct web_ctx *c, json_t *o, const char *field, const char *prefix)
{
	const char *v = json_string_value(json_object_get(o, field));
	if (v)
		json_object_set_new(o, arena_printf(c->a, "%s_label", field),
				    json_string(web_t(c, arena_printf(c->a, "%s%s", prefix, v))));
}

static void labels(struct web_ctx *c, json_t *arr, const char *field, const char *prefix)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) label(c, o, field, prefix);
}

/* Meetings carry unix seconds; pages show the Danish date and time. */
static void meeting_times(json_t *arr)
{
	size_t i;
	json_t *m;
	json_array_foreach(arr, i, m)
	{
		int64_t t = json_integer_value(json_object_get(m, "starts_at"));
		struct clock_dk_local l = clock_dk_local(t);
		char d[DATE_STR_LEN];
		date_format(l.day, d);
		json_object_set_new(m, "date", json_string(d));
		json_object_set_new(m, "time", json_sprintf("%02d:%02d", l.minute / 60, l.minute % 60));
	}
}

/* "Changed shared notes from meetings, 23 November 2026": the access log's
 * words. A consent or emergency access says it all in its action. */
static void activity_lines(struct web_ctx *c, json_t *arr)
{
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e)
	{
		const char *action = json_string_value(json_object_get(e, "action"));
		const char *what = str_eq(action, "create") || str_eq(action, "update")
					   ? json_string_value(json_object_get(e, "category"))
					   : NULL;
		const char *line = trust_label(c, "action", action);
		if (what)
			line = arena_printf(c->a, "%s %s", line, trust_label(c, "category", what));
		json_object_set_new(e, "line", json_string(line));
		json_object_set_new(
			e, "day", json_string(trust_day(c, json_integer_value(json_object_get(e, "at")))));
	}
}

static void summary(struct web_ctx *c, struct gate *g, json_t *k)
{
	struct case_summary_opts o = {
		.joint = gate_may(g, POLICY_JOINT, POLICY_READ),
		.therapy = gate_may(g, POLICY_CLINICAL, POLICY_READ),
		.activity = gate_may(g, POLICY_AUDIT, POLICY_READ),
		.no_clinical = gate_never_clinical(g),
	};
	json_t *s;
	if (case_summary_json(c->db, g->cr.id, clock_now(), &o, &s))
		return;
	labels(c, json_object_get(s, "meetings"), "kind", "cases.meeting.");
	labels(c, json_object_get(s, "plan_steps"), "kind", "cases.step.");
	labels(c, json_object_get(s, "plan_steps"), "status", "cases.step_status.");
	labels(c, json_object_get(s, "activity"), "role", "role.");
	labels(c, json_object_get(s, "tasks"), "kind", "plans.task.kind.");
	activity_lines(c, json_object_get(s, "activity"));
	meeting_times(json_object_get(s, "meetings"));
	json_object_set_new(s, "show_joint", json_boolean(o.joint));
	json_object_set_new(s, "show_activity", json_boolean(o.activity));
	json_object_set_new(k, "summary", s);
}

static void timeline(struct web_ctx *c, struct gate *g, json_t *k)
{
	struct case_timeline_opts o = {
		.evidence_health_shared = gate_may(g, POLICY_HEALTH_SHARED, POLICY_READ),
		.evidence_employment = gate_may(g, POLICY_EMPLOYMENT, POLICY_READ),
	};
	json_t *t;
	if (case_timeline_page(c->db, g->cr.id, clock_today(), c->lang, c->app->i18n, &o, c->a,
			       &t) == 0)
		json_object_set_new(k, "timeline", t);
}

/* Current team members of one role, for the handover form. */
static json_t *candidates(struct web_ctx *c, json_t *team, const char *role, int64_t current)
{
	json_t *out = json_array();
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(team, "members"), i, m)
	{
		json_t *to = json_object_get(m, "to");
		int64_t uid = json_integer_value(json_object_get(m, "user"));
		if (!str_eq(json_string_value(json_object_get(m, "role")), role) || uid == current ||
		    (json_is_string(to) && strcmp(json_string_value(to), today) < 0))
			continue;
		json_array_append_new(out, json_pack("{s:I, s:O}", "id", (json_int_t)uid, "name",
						     json_object_get(m, "name")));
	}
	return out;
}

/* The activation link is offered while the policy lets the actor make one
 * and the person has not yet chosen a password (a change of that bumps
 * the page stamps: migration 0007). */
static bool may_activate(struct web_ctx *c, struct gate *g, json_t *k)
{
	struct policy_item it = {.category = POLICY_CORE, .person_account = true};
	if (!gate_may_item(g, POLICY_CREATE, &it))
		return false;
	bool set = true;
	json_int_t person = json_integer_value(json_object_get(json_object_get(k, "person"), "id"));
	return activation_password_set(c->db, person, &set) == 0 && !set;
}

/* May the actor hand over the role of this side? */
static bool may_hand_over(struct gate *g, enum policy_org side)
{
	struct policy_item it = {.category = POLICY_CORE, .hands_over = side};
	return gate_may_item(g, POLICY_UPDATE, &it);
}

/* The case page's roundtable form: the case's three people (they are
 * invited by themselves), the sites with the team's own chosen, and the
 * failed form's values put back (a failed post comes back here). */
static json_t *roundtable_form(struct web_ctx *c, json_t *k)
{
	static const struct {
		const char *field, *role;
	} people[] = {{"person", "service_user"},
		      {"care_manager", "care_manager"},
		      {"employment_consultant", "employment_consultant"}};
	json_t *who = json_array();
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
		const char *name =
		    json_string_value(json_object_get(json_object_get(k, people[i].field), "name"));
		if (name)
			json_array_append_new(
			    who, json_pack("{s:s, s:s}", "name", name, "role_label",
					   web_t(c, arena_printf(c->a, "role.%s", people[i].role))));
	}
	json_t *sites = NULL, *team = NULL;
	if (team_sites_json(c->db, &sites))
		sites = json_array();
	const char *team_site = NULL;
	if (team_get_json(c->db, json_integer_value(json_object_get(k, "team_id")), &team) == 0)
		team_site = json_string_value(json_object_get(team, "site"));
	const char *typed = form_typed(c, "site");
	size_t i;
	json_t *s;
	json_array_foreach(sites, i, s)
	{
		const char *name = json_string_value(json_object_get(s, "name"));
		char id[24];
		str_fmt(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(s, "id")));
		bool sel = typed ? str_eq(typed, id) : str_eq(name, team_site);
		json_object_set_new(s, "selected", json_boolean(sel));
		json_object_set_new(s, "team_site", json_boolean(str_eq(name, team_site)));
	}
	json_decref(team);
	return json_pack("{s:I, s:o, s:o}", "rt_case", json_integer_value(json_object_get(k, "id")),
			 "people", who, "sites", sites);
}

static void actions(struct web_ctx *c, struct gate *g, json_t *k)
{
	bool open = str_eq(json_string_value(json_object_get(k, "status")), "open");
	bool upd = open && gate_may(g, POLICY_CORE, POLICY_UPDATE);
	json_t *a = json_pack("{s:b, s:b, s:b, s:b, s:b}", "update", upd, "activate",
			      open && may_activate(c, g, k), "assess_clinical",
			      open && gate_may(g, POLICY_CLINICAL, POLICY_CREATE), "assess_employment",
			      open && gate_may(g, POLICY_EMPLOYMENT, POLICY_CREATE), "assessments",
			      gate_may(g, POLICY_CLINICAL, POLICY_READ) ||
				      gate_may(g, POLICY_EMPLOYMENT, POLICY_READ));
	/* Each side hands over its own role only: the form offers those. */
	bool cm = open && may_hand_over(g, POLICY_ORG_HEALTH);
	bool ec = open && may_hand_over(g, POLICY_ORG_JOBCENTRE);
	json_object_set_new(a, "handover", json_boolean(cm || ec));
	json_object_set_new(a, "hand_over_cm", json_boolean(cm));
	json_object_set_new(a, "hand_over_ec", json_boolean(ec));
	json_object_set_new(a, "any", json_boolean(upd || cm || ec ||
						   json_is_true(json_object_get(a, "activate"))));
	if (upd || cm || ec) {
		json_t *team;
		if (team_get_json(c->db, g->cr.team_id, &team) == 0) {
			if (cm)
				json_object_set_new(a, "cm_candidates",
						    candidates(c, team, "care_manager", g->cr.cm_id));
			if (ec)
				json_object_set_new(a, "ec_candidates",
						    candidates(c, team, "employment_consultant",
							       g->cr.ec_id));
			json_decref(team);
		}
		char today[DATE_STR_LEN];
		date_format(clock_today(), today);
		json_object_set_new(a, "today", json_string(today));
	}
	struct policy_item fu = meeting_organise_item(MEETING_FOLLOWUP);
	struct policy_item rt = meeting_organise_item(MEETING_ROUNDTABLE);
	if (open && gate_may_item(g, POLICY_CREATE, &fu)) /* a held follow-up, one form */
		json_object_set_new(a, "followup",
				    json_pack("{s:I, s:s, s:b}", "fu_case", (json_int_t)g->cr.id,
					      "fu_from", "case", "kept_here", 1));
	if (open && gate_may_item(g, POLICY_CREATE, &rt))
		json_object_set_new(a, "roundtable", roundtable_form(c, k));
	json_object_set_new(k, "actions", a);
}

/* The case's other pages, offered only where the policy lets the actor in,
 * so no link leads to a refusal. */
static void sections(struct web_ctx *c, struct gate *g, json_t *k)
{
	static const struct {
		const char *path, *key;
		enum policy_category cat, alt;
	} pages[] = {
		{"timeline", N_("cases.section.timeline"), POLICY_CORE, POLICY_CORE},
		{"meetings", N_("cases.section.meetings"), POLICY_JOINT, POLICY_JOINT},
		{"goals", N_("cases.section.goals"), POLICY_JOINT, POLICY_JOINT},
		{"plan", N_("cases.section.plan"), POLICY_JOINT, POLICY_JOINT},
		{"notes", N_("cases.section.notes"), POLICY_JOINT, POLICY_JOINT},
		{"assessments", N_("cases.section.assessments"), POLICY_CLINICAL, POLICY_EMPLOYMENT},
		{"evidence", N_("cases.section.evidence"), POLICY_HEALTH_SHARED, POLICY_EMPLOYMENT},
		{"decisions", N_("cases.section.decisions"), POLICY_DECISION, POLICY_DECISION},
		{"consents", N_("cases.section.consents"), POLICY_CORE, POLICY_CORE},
		{"access-log", N_("cases.section.access_log"), POLICY_AUDIT, POLICY_AUDIT},
	};
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		if (!gate_may(g, pages[i].cat, POLICY_READ) && !gate_may(g, pages[i].alt, POLICY_READ))
			continue;
		json_array_append_new(
			a, json_pack("{s:s, s:s}", "href",
				     arena_printf(c->a, "/cases/%lld/%s", (long long)g->cr.id,
						  pages[i].path),
				     "label", web_t(c, pages[i].key)));
	}
	json_object_set_new(k, "sections", a);
}

void cases_page_model(struct web_ctx *c, struct gate *g, json_t *k)
{
	json_t *note = NULL;
	if (case_handover_note(c->db, g->cr.id, c->actor->id, clock_today(), &note) == 0 && note) {
		label(c, note, "role", "role.");
		json_object_set_new(k, "handover_note", note);
	}
	if (c->want_json)
		return; /* the API answers the core data only: fast and stable */
	/* A CPR number is read as DDMMYY-XXXX, as on the health card. */
	const char *cpr = json_string_value(json_object_get(k, "cpr"));
	if (cpr && strlen(cpr) == 10)
		json_object_set_new(k, "cpr_shown", json_sprintf("%.6s-%.4s", cpr, cpr + 6));
	label(c, k, "employment", "cases.employment.");
	label(c, k, "status", "cases.status.");
	json_t *out = json_object_get(k, "outcome");
	if (json_is_object(out))
		label(c, out, "kind", "cases.outcome.");
	labels(c, json_object_get(k, "handovers"), "role", "role.");
	labels(c, json_object_get(k, "events"), "kind", "cases.event.");
	summary(c, g, k);
	json_t *sum = json_object_get(k, "summary");
	if (note && sum) {
		json_object_set(note, "status_label", json_object_get(k, "status_label"));
		json_object_set_new(note, "next_meetings",
				    json_integer((json_int_t)json_array_size(
					    json_object_get(sum, "meetings"))));
		json_object_set_new(note, "open_tasks",
				    json_integer((json_int_t)json_array_size(
					    json_object_get(sum, "tasks"))));
	}
	timeline(c, g, k);
	actions(c, g, k);
	sections(c, g, k);
}

int h_cases_new(struct web_ctx *c)
{
	if (case_referrer_check(c->actor))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("cases.err.not_referrer"));
	json_t *teams;
	int rc = team_list_json(c->db, c->actor->id, clock_today(), &teams);
	if (rc)
		return rc;
	json_t *m = json_pack("{s:o}", "teams", teams);
	size_t i;
	json_t *t;
	json_array_foreach(teams, i, t)
	{
		json_object_set_new(t, "cms", candidates(c, t, "care_manager", 0));
		json_object_set_new(t, "ecs", candidates(c, t, "employment_consultant", 0));
		/* A failed referral: the choices made stay chosen. */
		form_mark(json_object_get(t, "cms"), "id", form_typed(c, "care_manager"), "selected");
		form_mark(json_object_get(t, "ecs"), "id", form_typed(c, "employment_consultant"),
			  "selected");
	}
	form_mark(teams, "id", form_typed(c, "team"), "kept_team");
	web_set_model(c, m);
	c->template = "cases/new";
	c->title_key = N_("cases.new.title");
	return 0;
}
