/* h_meetings_util.c: opening a meeting for a request, its JSON, input
 * parsing and the insert with its clash check, shared by the meetings
 * handlers. */
#include <assert.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/access.h"
#include "rules/holidays.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/meetings/h_meetings_int.h"
#include "web/web.h"

/* Catalogue keys, listed so the catalogue test sees them. */
static const char *const kind_keys[MEETING_KIND_COUNT] = {
    N_("meetings.kind.roundtable"), N_("meetings.kind.followup"), N_("meetings.kind.therapy"),
    N_("meetings.kind.supervision")};
static const char *const status_keys[MEETING_STATUS_COUNT] = {
    N_("meetings.status.planned"), N_("meetings.status.held"), N_("meetings.status.cancelled"),
    N_("meetings.status.late_cancellation"), N_("meetings.status.no_show")};
static const char *const mode_keys[MEETING_MODE_COUNT] = {
    N_("meetings.mode.in_person"), N_("meetings.mode.phone"), N_("meetings.mode.video"),
    N_("meetings.mode.email"), N_("meetings.mode.letter")};

const char *hm_item(struct web_ctx *c, int64_t id)
{
	return arena_printf(c->a, "meeting:%lld", (long long)id);
}

int hm_open(struct web_ctx *c, struct hm *x)
{
	memset(x, 0, sizeof *x);
	if (!c->model)
		c->model = json_object();
	int64_t id;
	int rc = gate_param_id(c, "id", &id);
	if (rc)
		return rc;
	rc = meeting_get(c->db, id, c->a, &x->m);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("meetings.err.not_found"));
	if (rc)
		return rc;
	if (!x->m.case_id) {
		x->team = true;
		x->team_role = access_team_role(c->db, x->m.team_id, c->actor->id, clock_today());
		return gate_team_allow(c, x->m.team_id, POLICY_TEAM_RECORD, POLICY_READ);
	}
	rc = gate_open_id(c, x->m.case_id, &x->g);
	if (rc)
		return rc;
	x->cat = meeting_category(x->m.kind);
	if (x->cat == POLICY_CLINICAL && !gate_may(&x->g, x->cat, POLICY_READ)) {
		/* The person sees their own appointment, never its clinical minutes. */
		if (x->g.pa.is_case_person && hm_participant(x, c->actor->id)) {
			x->limited = true;
			x->m.minutes = NULL;
			return gate_allow(c, &x->g, POLICY_CORE, POLICY_READ, hm_item(c, id));
		}
		/* For anyone else a therapy session they may not read does not exist. */
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("meetings.err.not_found"));
	}
	return gate_allow(c, &x->g, x->cat, POLICY_READ, hm_item(c, id));
}

const struct meeting_participant *hm_participant(const struct hm *x, int64_t user_id)
{
	for (size_t i = 0; i < x->m.nparts; i++)
		if (x->m.parts[i].user_id == user_id)
			return &x->m.parts[i];
	return NULL;
}

bool hm_may_organise(struct web_ctx *c, const struct hm *x)
{
	if (x->team)
		return gate_supervision_may(c, x->m.team_id, POLICY_UPDATE);
	struct policy_item oi = meeting_organise_item(x->m.kind);
	return gate_may_item(&x->g, POLICY_UPDATE, &oi);
}

void hm_local(int64_t t, char out[HM_LOCAL_LEN])
{
	struct clock_dk_local l = clock_dk_local(t);
	char d[DATE_STR_LEN];
	date_format(l.day, d);
	str_fmt(out, HM_LOCAL_LEN, "%sT%02d:%02d", d, l.minute / 60, l.minute % 60);
}

static json_t *participants_json(struct web_ctx *c, const struct meeting *m)
{
	json_t *a = json_array();
	for (size_t i = 0; i < m->nparts; i++) {
		const struct meeting_participant *p = &m->parts[i];
		json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)p->user_id, "name",
				      p->name, "role", p->role, "role_label",
				      web_t(c, arena_printf(c->a, "role.%s", p->role)));
		json_object_set_new(o, "attended",
				    p->attended < 0 ? json_null() : json_boolean(p->attended));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void add_times(json_t *o, const struct meeting *m)
{
	char s[HM_LOCAL_LEN], e[HM_LOCAL_LEN];
	hm_local(m->starts_at, s);
	hm_local(m->ends_at, e);
	json_object_set_new(o, "start", json_string(s));
	json_object_set_new(o, "end", json_string(e));
	json_object_set_new(o, "starts_at", json_integer(m->starts_at));
	json_object_set_new(o, "ends_at", json_integer(m->ends_at));
	json_object_set_new(o, "duration", json_integer((m->ends_at - m->starts_at) / 60));
	s[10] = '\0';
	json_object_set_new(o, "date", json_string(s));
	json_object_set_new(o, "time", json_string(s + 11));
	json_object_set_new(o, "end_time", json_string(e + 11));
}

json_t *hm_meeting_json(struct web_ctx *c, const struct meeting *m)
{
	json_t *o = json_pack(
	    "{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)m->id, "team",
	    (json_int_t)m->team_id, "team_name", m->team_name ? m->team_name : "", "kind",
	    meeting_kind_name(m->kind), "kind_label", web_t(c, kind_keys[m->kind]), "status",
	    meeting_status_name(m->status), "status_label", web_t(c, status_keys[m->status]),
	    "mode", meeting_mode_name(m->mode), "mode_label", web_t(c, mode_keys[m->mode]));
	json_object_set_new(o, "case", m->case_id ? json_integer(m->case_id) : json_null());
	json_object_set_new(o, "person_name", opt_str(m->person_name));
	add_times(o, m);
	json_object_set_new(o, "mode_reason", opt_str(m->mode_reason));
	json_object_set_new(o, "site",
			    m->site_id ? json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)m->site_id,
						   "name", m->site_name ? m->site_name : "",
						   "address", m->site_address)
				       : json_null());
	json_object_set_new(o, "remote_link", opt_str(m->remote_link));
	json_object_set_new(o, "status_reason", opt_str(m->status_reason));
	json_object_set_new(o, "status_by",
			    m->status_by ? json_integer(m->status_by) : json_null());
	json_object_set_new(o, "is_planned", json_boolean(m->status == MEETING_PLANNED));
	json_object_set_new(o, "participants", participants_json(c, m));
	json_object_set_new(o, "minutes",
			    m->minutes ? json_pack("{s:s, s:I, s:I}", "text", m->minutes, "by",
						   (json_int_t)m->minutes_by, "at",
						   (json_int_t)m->minutes_at)
				       : json_null());
	json_object_set_new(o, "href",
			    json_string(arena_printf(c->a, "/meetings/%lld", (long long)m->id)));
	return o;
}

/* "YYYY-MM-DDTHH:MM" (a space for the T is allowed) in Danish local time. */
int hm_parse_local(const char *s, int64_t *out)
{
	if (!s || strlen(s) != 16 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
		return ERR_INVALID;
	char d[DATE_STR_LEN];
	memcpy(d, s, 10);
	d[10] = '\0';
	day_t day;
	long h, m;
	if (date_parse(d, &day) || str_to_long_n(s + 11, 2, 0, 23, &h) ||
	    str_to_long_n(s + 14, 2, 0, 59, &m))
		return ERR_INVALID;
	*out = clock_dk_to_utc(day, (int)(h * 60 + m));
	return 0;
}

static int duration_of(json_t *in, long *out)
{
	json_t *v = json_object_get(in, "duration");
	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
		*out = 60;
		return 0;
	}
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		if (n < 5 || n > 24 * 60)
			return ERR_INVALID;
		*out = (long)n;
		return 0;
	}
	return json_is_string(v) ? str_to_long(json_string_value(v), 5, 24 * 60, out) : ERR_INVALID;
}

int hm_when(struct web_ctx *c, json_t *in, int64_t *starts, int64_t *ends)
{
	const char *date = field_str_set(in, "date"), *time = field_str_set(in, "time");
	if (!field_str_set(in, "start") && (json_object_get(in, "date") || json_object_get(in, "time"))) {
		/* A date field and a time field (the case page's roundtable form). */
		day_t d;
		long h = -1, m = -1;
		/* Both checked, so the error summary lists both. */
		if (!date || date_parse(date, &d))
			web_fail_more(c, ERR_INVALID, "date", N_("meetings.err.date"));
		if (!time || strlen(time) != 5 || time[2] != ':' ||
		    str_to_long_n(time, 2, 0, 23, &h) || str_to_long_n(time + 3, 2, 0, 59, &m))
			web_fail_more(c, ERR_INVALID, "time", N_("meetings.err.time"));
		if (c->err)
			return c->err;
		*starts = clock_dk_to_utc(d, (int)(h * 60 + m));
	} else if (hm_parse_local(field_str_set(in, "start"), starts)) {
		return web_fail(c, ERR_INVALID, "start", N_("meetings.err.start"));
	}
	const char *end = field_str_set(in, "end");
	if (end) {
		if (hm_parse_local(end, ends) || *ends <= *starts || *ends - *starts > 24 * 3600)
			return web_fail(c, ERR_INVALID, "end", N_("meetings.err.end"));
		return 0;
	}
	long minutes;
	if (duration_of(in, &minutes))
		return web_fail(c, ERR_INVALID, "duration", N_("meetings.err.duration"));
	*ends = *starts + minutes * 60;
	return 0;
}

/* May the actor read the meeting that clashes? The policy decides, as if
 * they opened it: its case's category for them, or its team's record. */
static bool clash_visible(struct web_ctx *c, const struct meeting_clash *cl)
{
	if (!cl->case_id)
		return gate_team_may(c, cl->team_id, POLICY_TEAM_RECORD, POLICY_READ);
	struct case_ref cr;
	struct case_consents cc;
	if (access_case_open(c->db, cl->case_id, c->actor->id, clock_today(), &cr, &cc))
		return false;
	struct policy_actor pa;
	access_actor(c->actor, &cr, false, &pa);
	struct policy_item it = {.category = meeting_category(cl->kind),
				 .consent_health_to_jobcentre = cc.health_to_jobcentre,
				 .consent_jobcentre_to_health = cc.jobcentre_to_health};
	return gate_ask(c, &pa, POLICY_READ, &it, NULL) == 0;
}

int hm_clash_fail(struct web_ctx *c, const struct meeting_clash *cl)
{
	return hm_clash_fail_at(c, cl, "start");
}

int hm_clash_fail_at(struct web_ctx *c, const struct meeting_clash *cl, const char *field)
{
	char when[HM_LOCAL_LEN];
	hm_local(cl->starts_at, when);
	when[10] = '\0';
	/* A meeting the actor may not open is never described, not even its
	 * time: the person is simply not available then. */
	bool hide = !clash_visible(c, cl);
	json_t *p = json_pack("{s:s, s:s, s:s, s:s}", "name", cl->user_name, "kind",
			      web_t(c, kind_keys[cl->kind]), "date", when, "time", when + 11);
	struct buf b;
	buf_init(&b, 4096);
	i18n_format(c->app->i18n, c->lang,
		    hide ? N_("meetings.err.clash_busy") : N_("meetings.err.clash"), p, &b);
	json_decref(p);
	const char *msg = arena_strndup(c->a, b.data, b.len);
	buf_release(&b);
	return web_fail_text(c, ERR_CONFLICT, field, msg);
}

/* A meeting on a weekend day or a Danish holiday: the form asks again with
 * a warning (409 naming "day_ok") unless "day_ok" is ticked; the API books
 * it and answers the same warning as "day_warning". */
static int day_check(struct web_ctx *c, int64_t starts, const char *ok_field, json_t **warning)
{
	char local[HM_LOCAL_LEN];
	hm_local(starts, local);
	local[10] = '\0';
	day_t d;
	*warning = NULL;
	if (date_parse(local, &d) || rules_dk_working_day(d))
		return 0;
	const char *hol = rules_dk_holiday(d);
	const char *what = hol ? web_t(c, arena_printf(c->a, "meetings.holiday.%s", hol))
			       : web_t(c, date_weekday(d) == 5 ? N_("meetings.day.saturday")
							       : N_("meetings.day.sunday"));
	struct buf b;
	buf_init(&b, 4096);
	json_t *p = json_pack("{s:s, s:s}", "date", local, "what", what);
	i18n_format(c->app->i18n, c->lang, N_("meetings.warn.day"), p, &b);
	json_decref(p);
	const char *msg = arena_strndup(c->a, b.data, b.len);
	buf_release(&b);
	bool ok = false;
	if (c->want_json || (field_bool(web_input_parsed(c), ok_field, &ok) == 0 && ok)) {
		*warning = json_pack("{s:s, s:s?, s:b, s:s}", "date", local, "holiday", hol,
				     "weekend", !date_is_weekday(d), "message", msg);
		return 0;
	}
	return web_fail_text(c, ERR_CONFLICT, ok_field, msg);
}

int hm_create(struct web_ctx *c, struct meeting_new *nm, const char *field, const char *ok_field,
	      int64_t *id, json_t **warning)
{
	assert(store_in_write_transaction(c->db)); /* promised by the header */
	int64_t *users = arena_array(c->a, nm->nparts ? nm->nparts : 1, sizeof *users);
	for (size_t i = 0; i < nm->nparts; i++)
		users[i] = nm->parts[i].user_id;
	struct meeting_clash cl;
	*warning = NULL;
	int rc =
	    meeting_check_clash(c->db, users, nm->nparts, nm->starts_at, nm->ends_at, 0, c->a, &cl);
	if (rc == ERR_CONFLICT)
		return hm_clash_fail_at(c, &cl, field);
	/* after the clash: a double booking is told first */
	if (!rc && (rc = day_check(c, nm->starts_at, ok_field, warning)))
		return rc;
	if (!rc)
		rc = meeting_create(c->db, nm, clock_now(), id);
	if (rc) {
		json_decref(*warning);
		*warning = NULL;
	}
	return rc;
}

int hm_insert(struct web_ctx *c, struct meeting_new *nm)
{
	int64_t id;
	json_t *warning;
	int rc = hm_create(c, nm, "start", "day_ok", &id, &warning);
	struct meeting m;
	if (!rc)
		rc = meeting_get(c->db, id, c->a, &m);
	if (rc) {
		json_decref(warning);
		return rc;
	}
	json_t *mj = hm_meeting_json(c, &m);
	web_model_merge(c, mj);
	if (warning)
		json_object_set_new(c->model, "day_warning", warning);
	c->status = 201;
	c->redirect = arena_printf(c->a, "/meetings/%lld", (long long)id);
	return 0;
}
