/* h_meetings_team.c: supervision meetings (team business, no case) and the
 * professionals' iCalendar feed. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/access.h"
#include "domain/accounts/account.h"
#include "domain/meetings/ical.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/meetings/h_meetings_int.h"
#include "web/gate.h"
#include "web/web.h"

/* The team named by route parameter "id" and the actor's role in it.
 * 404 for no team; 403 for someone outside it. */
static int team_open(struct web_ctx *c, int64_t *team, const char **role,
		     struct meeting_participant **members, size_t *n, const char **name)
{
	if (!c->model)
		c->model = json_object();
	int rc = gate_param_id(c, "id", team);
	if (rc)
		return rc;
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	rc = meeting_team_members(c->db, *team, today, c->a, members, n, name);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("meetings.err.team_not_found"));
	if (rc)
		return rc;
	*role = access_team_role(c->db, *team, c->actor->id, clock_today());
	return gate_team_allow(c, *team, POLICY_TEAM_RECORD, POLICY_READ);
}

/* Supervision meetings are arranged by the team's supervisors (the policy's
 * team_record create). */
static bool team_supervisor(struct web_ctx *c, int64_t team)
{
	return gate_supervision_may(c, team, POLICY_CREATE);
}

int hm_team_list(struct web_ctx *c)
{
	int64_t team;
	const char *role, *name;
	struct meeting_participant *mem;
	size_t nmem;
	int rc = team_open(c, &team, &role, &mem, &nmem, &name);
	if (rc)
		return rc;
	struct meeting *v;
	size_t n;
	if ((rc = meeting_list_team(c->db, team, c->a, &v, &n)))
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, hm_meeting_json(c, &v[i]));
	json_object_set_new(c->model, "team", json_integer(team));
	json_object_set_new(c->model, "team_name", json_string(name));
	json_object_set_new(c->model, "has_meetings", json_boolean(n > 0));
	json_object_set_new(c->model, "meetings", list);
	json_object_set_new(c->model, "may_create", json_boolean(team_supervisor(c, team)));
	c->template = "meetings/team";
	c->title_key = N_("meetings.team.title");
	return 0;
}

int hm_team_create(struct web_ctx *c)
{
	int64_t team;
	const char *role, *name;
	struct meeting_participant *mem;
	size_t nmem;
	json_t *in;
	int rc = team_open(c, &team, &role, &mem, &nmem, &name);
	if (rc || (rc = web_input(c, &in)))
		return rc;
	if (!team_supervisor(c, team))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("meetings.err.not_organiser"));
	struct meeting_new nm = {.team_id = team,
				 .kind = MEETING_SUPERVISION,
				 .created_by = c->actor->id,
				 .parts = mem,
				 .nparts = nmem};
	const char *kind = field_str_set(in, "kind");
	if (kind && !str_eq(kind, "supervision"))
		return web_fail(c, ERR_INVALID, "kind", N_("meetings.err.kind"));
	if ((rc = hm_when(c, in, &nm.starts_at, &nm.ends_at)))
		return rc;
	const char *mode = field_str_set(in, "mode");
	if (mode && meeting_mode_parse(mode, &nm.mode))
		return web_fail(c, ERR_INVALID, "mode", N_("meetings.err.mode"));
	nm.mode_reason = field_str_set(in, "mode_reason");
	const char *site = field_str_set(in, "site");
	if (site && meeting_site_find(c->db, site, &nm.site_id))
		return web_fail(c, ERR_INVALID, "site", N_("meetings.err.site"));
	nm.remote_link = field_str_set(in, "remote_link");
	if (nm.remote_link && !str_starts_with(nm.remote_link, "https://"))
		return web_fail(c, ERR_INVALID, "remote_link", N_("meetings.err.remote_link"));
	if ((rc = store_begin_write(c->db)) || (rc = hm_insert(c, &nm)))
		return rc;
	gate_audit(c, 0, arena_printf(c->a, "team:%lld:supervision", (long long)team), "",
		   "create");
	return store_commit(c->db);
}

static bool professional(struct web_ctx *c)
{
	return gate_role_may(c, POLICY_STAFF_WORK, POLICY_READ);
}

int hm_calendar_page(struct web_ctx *c)
{
	if (!c->model)
		c->model = json_object();
	json_object_set_new(c->model, "may_feed", json_boolean(professional(c)));
	c->template = "meetings/calendar";
	c->title_key = N_("meetings.calendar.title");
	return 0;
}

int hm_calendar_new(struct web_ctx *c)
{
	if (!c->model)
		c->model = json_object();
	c->template = "meetings/calendar";
	c->title_key = N_("meetings.calendar.title");
	if (!professional(c))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("meetings.err.feed_professionals"));
	const char *secret;
	int rc = store_begin_write(c->db);
	if (rc || (rc = meeting_feed_new(c->db, c->actor->id, clock_now(), c->a, &secret)) ||
	    (rc = store_commit(c->db)))
		return rc;
	json_object_set_new(c->model, "may_feed", json_true());
	json_object_set_new(c->model, "url",
			    json_string(arena_printf(c->a, "/calendar/%s.ics", secret)));
	c->status = 201;
	return 0;
}

static const char *event_location(struct web_ctx *c, const char *lang, const struct meeting *m)
{
	if (m->site_name)
		return m->site_name;
	if (m->mode == MEETING_IN_PERSON)
		return NULL;
	return i18n_text(c->app->i18n, lang,
			 arena_printf(c->a, "meetings.mode.%s", meeting_mode_name(m->mode)));
}

static void to_event(struct web_ctx *c, const char *lang, const struct meeting *m,
		     struct ical_event *e)
{
	const char *kind = i18n_text(
	    c->app->i18n, lang, arena_printf(c->a, "meetings.kind.%s", meeting_kind_name(m->kind)));
	/* The feed leaves the system (phones, shared calendars): a case
	 * meeting is named by its kind and the case's reference, never by the
	 * person's name. */
	const char *who = m->team_name;
	if (m->case_id)
		who = arena_printf(c->a, "%s %lld", i18n_text(c->app->i18n, lang, N_("meetings.feed.case")),
				   (long long)m->case_id);
	e->id = m->id;
	e->start = m->starts_at;
	e->end = m->ends_at;
	e->summary = arena_printf(c->a, "%s: %s", kind, who ? who : "");
	e->location = event_location(c, lang, m);
	e->cancelled = m->status == MEETING_CANCELLED || m->status == MEETING_LATE_CANCELLATION;
}

int hm_calendar_feed(struct web_ctx *c)
{
	const char *p = route_param(&c->match, "secret");
	int64_t owner;
	if (!p || !str_ends_with(p, ".ics"))
		return web_fail(c, ERR_NOT_FOUND, NULL, NULL);
	const char *secret = arena_strndup(c->a, p, strlen(p) - 4);
	int rc = meeting_feed_owner(c->db, secret, &owner);
	if (rc)
		return rc == ERR_NOT_FOUND ? web_fail(c, ERR_NOT_FOUND, NULL, NULL) : rc;
	struct actor who;
	struct meeting *v;
	size_t n;
	if ((rc = account_get_by_id(c->db, owner, c->a, &who)) ||
	    (rc = meeting_list_user(c->db, owner, c->a, &v, &n)))
		return rc;
	const char *lang = who.language ? who.language : c->lang;
	struct ical_event *ev = arena_array(c->a, n ? n : 1, sizeof *ev);
	for (size_t i = 0; i < n; i++)
		to_event(c, lang, &v[i], &ev[i]);
	struct buf out;
	buf_init(&out, 16u << 20);
	rc = ical_write(&out, ev, n, clock_now());
	if (!rc)
		web_respond_raw(c, "text/calendar; charset=utf-8", out.data, out.len);
	buf_release(&out);
	return rc;
}
