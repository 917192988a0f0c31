/* h_meetings.c: the meetings module's routes; case meetings (list, create),
 * one meeting (read, status, attendance, move). Agenda and minutes are in
 * h_meetings_agenda.c, supervision and the calendar in h_meetings_team.c. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/access.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/h_form_int.h"
#include "web/meetings/h_meetings_int.h"
#include "web/handlers.h"
#include "web/web.h"

static int hm_case_list(struct web_ctx *c);
static int hm_case_create(struct web_ctx *c);
static int hm_get(struct web_ctx *c);
static int hm_patch(struct web_ctx *c);

/* A form that fails shows its page again with what was typed (h_form_int.h). */
/* A failed form goes back where it was sent from: the case page's
 * roundtable form (from=case) or the case's meetings page. */
static int case_create_back(struct web_ctx *c)
{
	return str_eq(form_typed(c, "from"), "case") ? h_case_form_page(c) : hm_case_list(c);
}
static int form_case_create(struct web_ctx *c)
{
	return form_again(c, hm_case_create(c), "meeting", case_create_back);
}
static int form_status(struct web_ctx *c)
{
	return form_again(c, hm_patch(c), "status", hm_get);
}
static int form_agenda(struct web_ctx *c)
{
	return form_again(c, hm_agenda_add(c), "agenda", hm_get);
}
static int form_minutes(struct web_ctx *c)
{
	return form_again(c, hm_minutes_put(c), "minutes", hm_get);
}
static int form_agreement(struct web_ctx *c)
{
	return form_again(c, hm_agreement_post(c), "agreement", hm_get);
}
static int form_team_create(struct web_ctx *c)
{
	return form_again(c, hm_team_create(c), "meeting", hm_team_list);
}

/* POST twins of PATCH and PUT are for HTML forms, which only post. */
const struct route routes_meetings[] = {
    {HTTP_GET, "/cases/{id}/meetings", hm_case_list, ROUTE_CASE, "joint,core,clinical"},
    /* back on the case page (from=case): the case page's categories too */
    {HTTP_POST, "/cases/{id}/meetings", form_case_create, ROUTE_CASE,
     "joint,core,clinical,health_shared,employment,decision,audit,team_record"},
    {HTTP_GET, "/meetings/{id}", hm_get, ROUTE_CASE, "joint,core,clinical,private,team_record"},
    {HTTP_PATCH, "/meetings/{id}", hm_patch, ROUTE_CASE, "joint,core,clinical,private,team_record"},
    {HTTP_POST, "/meetings/{id}", form_status, ROUTE_CASE,
     "joint,core,clinical,private,team_record"},
    {HTTP_GET, "/meetings/{id}/agenda", hm_agenda_list, ROUTE_CASE,
     "joint,core,clinical,private,team_record"},
    {HTTP_POST, "/meetings/{id}/agenda", form_agenda, ROUTE_CASE,
     "private,core,clinical,joint,team_record"},
    {HTTP_POST, "/meetings/{id}/agenda/{item}/share", hm_agenda_share, ROUTE_CASE,
     "private,core,clinical,joint,team_record"},
    {HTTP_PATCH, "/meetings/{id}/agenda/{item}", hm_agenda_share, ROUTE_CASE,
     "private,core,clinical,joint,team_record"},
    {HTTP_PUT, "/meetings/{id}/minutes", hm_minutes_put, ROUTE_CASE,
     "joint,core,clinical,private,team_record"},
    {HTTP_POST, "/meetings/{id}/minutes", form_minutes, ROUTE_CASE,
     "joint,core,clinical,private,team_record"},
    {HTTP_POST, "/meetings/{id}/minutes/agreement", form_agreement, ROUTE_CASE,
     "joint,core,clinical,private,team_record"},
    {HTTP_GET, "/teams/{id}/meetings", hm_team_list, ROUTE_SESSION, "team_record,staff_work"},
    {HTTP_POST, "/teams/{id}/meetings", form_team_create, ROUTE_SESSION,
     "team_record,staff_work,joint,clinical"},
    {HTTP_GET, "/me/calendar", hm_calendar_page, ROUTE_SESSION, "staff_work"},
    {HTTP_POST, "/me/calendar", hm_calendar_new, ROUTE_SESSION, "staff_work"},
    {HTTP_GET, "/calendar/{secret}", hm_calendar_feed, ROUTE_PUBLIC, NULL},
    {HTTP_GET, "/meetings", hm_mine, ROUTE_SESSION, "joint,clinical"},
};
const size_t routes_meetings_n = sizeof routes_meetings / sizeof routes_meetings[0];

/* The kinds this actor may organise on the case, for the new-meeting form. */
static json_t *organisable_kinds(struct web_ctx *c, struct gate *g)
{
	json_t *a = json_array();
	for (int k = MEETING_ROUNDTABLE; k <= MEETING_THERAPY; k++) {
		struct policy_item oi = meeting_organise_item((enum meeting_kind)k);
		if (gate_may_item(g, POLICY_CREATE, &oi))
			json_array_append_new(
			    a, json_pack("{s:s, s:s}", "kind", meeting_kind_name(k), "label",
					 web_t(c, arena_printf(c->a, "meetings.kind.%s",
							       meeting_kind_name(k)))));
	}
	return a;
}

static int hm_case_list(struct web_ctx *c)
{
	struct gate g;
	if (!c->model)
		c->model = json_object();
	int rc = gate_open(c, "id", &g);
	if (!rc)
		rc = gate_allow(c, &g, POLICY_CORE, POLICY_READ, "meetings");
	if (rc)
		return rc;
	struct meeting *v;
	size_t n;
	rc = meeting_list_case(c->db, g.cr.id, c->a, &v, &n);
	if (rc)
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) { /* therapy is invisible outside health care */
		enum policy_category cat = meeting_category(v[i].kind);
		if (gate_may(&g, cat, POLICY_READ)) {
			/* A sensitive meeting (therapy: its minutes) read in a list is
			 * audited as it is when opened alone. */
			if ((rc = gate_allow(c, &g, cat, POLICY_READ, hm_item(c, v[i].id)))) {
				json_decref(list);
				return rc;
			}
		} else if (g.pa.is_case_person) {
			v[i].minutes = NULL; /* the person's own therapy: the time only */
		} else {
			continue;
		}
		json_array_append_new(list, hm_meeting_json(c, &v[i]));
	}
	json_t *kinds = organisable_kinds(c, &g);
	form_mark(kinds, "kind", form_typed(c, "kind"), "selected"); /* a failed form's choice */
	json_object_set_new(c->model, "case", json_integer(g.cr.id));
	json_object_set_new(c->model, "has_meetings", json_boolean(json_array_size(list) > 0));
	json_object_set_new(c->model, "meetings", list);
	json_object_set_new(c->model, "may_create", json_boolean(json_array_size(kinds) > 0));
	json_object_set_new(c->model, "kinds", kinds);
	c->template = "meetings/list";
	c->title_key = N_("meetings.list.title");
	return 0;
}

/* Mode, its reason, site or remote link into *nm. Records 400 naming the field. */
int hm_parse_place(struct web_ctx *c, json_t *in, struct meeting_new *nm)
{
	const char *mode = field_str_set(in, "mode");
	nm->mode = MEETING_IN_PERSON;
	if (mode && meeting_mode_parse(mode, &nm->mode))
		return web_fail(c, ERR_INVALID, "mode", N_("meetings.err.mode"));
	nm->mode_reason = field_str_set(in, "mode_reason");
	if (nm->mode != MEETING_IN_PERSON &&
	    field_text(c, in, "mode_reason", MEETING_REASON_MAX, N_("meetings.err.mode_reason"),
		    &nm->mode_reason))
		return ERR_INVALID;
	json_t *sv = json_object_get(in, "site");
	const char *site = json_is_integer(sv)
			       ? arena_printf(c->a, "%lld", (long long)json_integer_value(sv))
			       : field_str_set(in, "site");
	if (site && meeting_site_find(c->db, site, &nm->site_id))
		return web_fail(c, ERR_INVALID, "site", N_("meetings.err.site"));
	nm->remote_link = field_str_set(in, "remote_link");
	if (nm->remote_link &&
	    ((!str_starts_with(nm->remote_link, "https://") &&
	      !str_starts_with(nm->remote_link, "http://")) ||
	     strlen(nm->remote_link) > 500 || strpbrk(nm->remote_link, " \"<>\r\n")))
		return web_fail(c, ERR_INVALID, "remote_link", N_("meetings.err.remote_link"));
	return 0;
}

static void add_part(struct meeting_participant *v, size_t *n, int64_t id, const char *role)
{
	for (size_t i = 0; i < *n; i++)
		if (v[i].user_id == id)
			return;
	v[*n].user_id = id;
	v[*n].role = role;
	(*n)++;
}

#define EXTRA_MAX 8

/* Someone who is not one of the case's people, refused by name. */
static int not_case_person(struct web_ctx *c, const char *name)
{
	struct buf b;
	buf_init(&b, 4096);
	json_t *p = json_pack("{s:s}", "name", name);
	i18n_format(c->app->i18n, c->lang, N_("meetings.err.not_case_person"), p, &b);
	json_decref(p);
	const char *msg = arena_strndup(c->a, b.data, b.len);
	buf_release(&b);
	return web_fail_text(c, ERR_INVALID, "participants", msg);
}

/* Extra professionals at a roundtable: "participants": [ids] or "1,2".
 * Only the case's people take part: beyond the person and the assigned CM
 * and EC, the members of the case's team today; anyone else is refused by
 * name. */
static int extra_parts(struct web_ctx *c, json_t *in, struct gate *g,
		       struct meeting_participant *v, size_t *n)
{
	json_t *p = json_object_get(in, "participants");
	if (!p || json_is_null(p) || (json_is_string(p) && !*json_string_value(p)))
		return 0;
	json_t *ids = json_is_array(p) ? json_incref(p) : json_array();
	if (json_is_string(p)) {
		char *s = arena_strdup(c->a, json_string_value(p)), *save = NULL;
		for (char *t = strtok_r(s, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
			long id;
			if (str_to_long(t, 1, 0x7fffffffL, &id))
				id = 0;
			json_array_append_new(ids, json_integer(id));
		}
	}
	size_t i;
	json_t *e;
	int rc = json_array_size(ids) > EXTRA_MAX || (!json_is_array(p) && !json_is_string(p));
	json_array_foreach(ids, i, e)
	{
		const char *name, *role;
		if (rc || !json_is_integer(e) ||
		    meeting_user_find(c->db, json_integer_value(e), c->a, &name, &role) ||
		    !(str_eq(role, "care_manager") || str_eq(role, "employment_consultant") ||
		      str_eq(role, "supervisor"))) {
			rc = 1;
			break;
		}
		int64_t uid = json_integer_value(e);
		if (uid != g->cr.cm_id && uid != g->cr.ec_id &&
		    !access_team_role(c->db, g->cr.team_id, uid, clock_today())) {
			json_decref(ids);
			return not_case_person(c, name);
		}
		add_part(v, n, uid, role);
	}
	json_decref(ids);
	return rc ? web_fail(c, ERR_INVALID, "participants", N_("meetings.err.participants")) : 0;
}

/* The case's people for this kind, plus extras for a roundtable. */
int hm_case_parts(struct web_ctx *c, json_t *in, struct gate *g, struct meeting_new *nm)
{
	struct meeting_participant *v = arena_array(c->a, 3 + EXTRA_MAX, sizeof *v);
	size_t n = 0;
	bool want_cm = nm->kind != MEETING_FOLLOWUP, want_ec = nm->kind != MEETING_THERAPY;
	if (want_cm && !g->cr.cm_id)
		return web_fail(c, ERR_INVALID, "kind", N_("meetings.err.no_cm"));
	if (want_ec && !g->cr.ec_id)
		return web_fail(c, ERR_INVALID, "kind", N_("meetings.err.no_ec"));
	add_part(v, &n, g->cr.person_id, "service_user");
	if (want_cm)
		add_part(v, &n, g->cr.cm_id, "care_manager");
	if (want_ec)
		add_part(v, &n, g->cr.ec_id, "employment_consultant");
	if (nm->kind == MEETING_ROUNDTABLE && extra_parts(c, in, g, v, &n))
		return ERR_INVALID;
	nm->parts = v;
	nm->nparts = n;
	return 0;
}

static int hm_case_create(struct web_ctx *c)
{
	struct gate g;
	json_t *in;
	int rc = gate_open(c, "id", &g);
	if (rc || (rc = web_input(c, &in)))
		return rc;
	struct meeting_new nm = {
	    .case_id = g.cr.id, .team_id = g.cr.team_id, .created_by = c->actor->id};
	const char *kind = field_str_set(in, "kind");
	if (!kind || meeting_kind_parse(kind, &nm.kind) || nm.kind == MEETING_SUPERVISION)
		return web_fail(c, ERR_INVALID, "kind", N_("meetings.err.kind"));
	enum policy_category cat = meeting_category(nm.kind);
	struct policy_item oi = meeting_organise_item(nm.kind); /* who organises: the policy */
	if (!gate_may_item(&g, POLICY_CREATE, &oi))
		return web_fail(c, ERR_FORBIDDEN, "kind", N_("meetings.err.not_organiser"));
	if ((rc = store_begin_write(c->db)))
		return rc;
	if ((rc = gate_allow(c, &g, cat, POLICY_CREATE, "meeting")) ||
	    (rc = hm_when(c, in, &nm.starts_at, &nm.ends_at)) || (rc = hm_parse_place(c, in, &nm)) ||
	    (rc = hm_case_parts(c, in, &g, &nm)) || (rc = hm_insert(c, &nm)))
		return rc;
	return store_commit(c->db);
}

static int hm_get(struct web_ctx *c)
{
	struct hm x;
	int rc = hm_open(c, &x);
	if (rc)
		return rc;
	json_t *m = hm_meeting_json(c, &x.m);
	web_model_merge(c, m);
	json_t *agenda = hm_agenda_json(c, &x), *agreements = hm_agreements_json(c, &x);
	json_object_set_new(c->model, "has_agenda", json_boolean(json_array_size(agenda) > 0));
	json_object_set_new(c->model, "has_agreements",
			    json_boolean(json_array_size(agreements) > 0));
	json_object_set_new(c->model, "agenda", agenda);
	json_object_set_new(c->model, "agreements", agreements);
	bool org = hm_may_organise(c, &x);
	bool part = hm_participant(&x, c->actor->id) != NULL;
	struct policy_item minutes = {.category = x.cat, .meeting_minutes = true};
	bool writer = x.team ? org : gate_may_item(&x.g, POLICY_CREATE, &minutes);
	json_object_set_new(c->model, "may_organise", json_boolean(org));
	json_object_set_new(c->model, "may_add_agenda", json_boolean(part));
	json_object_set_new(c->model, "may_write_minutes", json_boolean(writer));
	json_object_set_new(c->model, "may_agree", json_boolean(part && x.m.minutes));
	hm_minutes_model(c, &x, writer && !c->want_json);
	json_object_set_new(c->model, "is_person",
			    json_boolean(c->actor->role == ROLE_SERVICE_USER));
	/* The person goes back to their own meetings page, not the case's. */
	json_object_set_new(
	    c->model, "back",
	    json_string(x.team ? arena_printf(c->a, "/teams/%lld/meetings", (long long)x.m.team_id)
			: c->actor->role == ROLE_SERVICE_USER
			    ? "/my/meetings"
			    : arena_printf(c->a, "/cases/%lld/meetings", (long long)x.m.case_id)));
	c->template = "meetings/show";
	c->title_key = N_("meetings.show.title");
	return 0;
}

/* "attended": {"user id": bool}. */
static int set_attendance(struct web_ctx *c, struct hm *x, json_t *in)
{
	json_t *att = json_object_get(in, "attended");
	if (!att || json_is_null(att))
		return 0;
	if (!json_is_object(att))
		return web_fail(c, ERR_INVALID, "attended", N_("meetings.err.attended"));
	const char *k;
	json_t *v;
	json_object_foreach(att, k, v)
	{
		long uid;
		if (str_to_long(k, 1, 0x7fffffffL, &uid) || !json_is_boolean(v) ||
		    meeting_set_attended(c->db, x->m.id, uid, json_is_true(v)))
			return web_fail(c, ERR_INVALID, "attended", N_("meetings.err.attended"));
	}
	return 0;
}

static int set_status(struct web_ctx *c, struct hm *x, json_t *in, bool *changed)
{
	const char *s = field_str_set(in, "status");
	if (!s)
		return 0;
	enum meeting_status st;
	if (meeting_status_parse(s, &st))
		return web_fail(c, ERR_INVALID, "status", N_("meetings.err.status"));
	const char *reason = field_str_set(in, "reason");
	if (st != MEETING_HELD && st != MEETING_PLANNED &&
	    field_text(c, in, "reason", MEETING_REASON_MAX, N_("meetings.err.reason"), &reason))
		return ERR_INVALID;
	*changed = true;
	x->m.status = st;
	return meeting_set_status(c->db, x->m.id, st, reason, c->actor->id);
}

/* A new time while planned, checked for double booking. */
static int move(struct web_ctx *c, struct hm *x, json_t *in, bool *changed)
{
	if (!field_str_set(in, "start") && !field_str_set(in, "end") && !json_object_get(in, "duration"))
		return 0;
	if (x->m.status != MEETING_PLANNED)
		return web_fail(c, ERR_INVALID, "start", N_("meetings.err.move_not_planned"));
	if (!field_str_set(in, "start")) {
		char cur[HM_LOCAL_LEN];
		hm_local(x->m.starts_at, cur);
		json_object_set_new(in, "start", json_string(cur));
	}
	int64_t s, e;
	int rc = hm_when(c, in, &s, &e);
	if (rc)
		return rc;
	int64_t *users = arena_array(c->a, x->m.nparts ? x->m.nparts : 1, sizeof *users);
	for (size_t i = 0; i < x->m.nparts; i++)
		users[i] = x->m.parts[i].user_id;
	struct meeting_clash cl;
	rc = meeting_check_clash(c->db, users, x->m.nparts, s, e, x->m.id, c->a, &cl);
	if (rc == ERR_CONFLICT)
		return hm_clash_fail(c, &cl);
	*changed = true;
	return rc ? rc : meeting_set_times(c->db, x->m.id, s, e);
}

static int hm_patch(struct web_ctx *c)
{
	struct hm x;
	json_t *in;
	int rc = hm_open(c, &x);
	if (rc || (rc = web_input(c, &in)))
		return rc;
	if (!hm_may_organise(c, &x))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("meetings.err.not_organiser"));
	if ((rc = store_begin_write(c->db)))
		return rc;
	if (!x.team) { /* the organisers together author the meeting record */
		struct policy_item it = {.category = x.cat, .actor_is_author = true};
		if ((rc = gate_allow_item(c, &x.g, POLICY_UPDATE, &it, hm_item(c, x.m.id))))
			return rc;
	}
	bool changed = false;
	if ((rc = move(c, &x, in, &changed)) || (rc = set_status(c, &x, in, &changed)))
		return rc;
	if (json_object_get(in, "attended")) {
		changed = true;
		if ((rc = set_attendance(c, &x, in)))
			return rc;
	}
	if (!changed)
		return web_fail(c, ERR_INVALID, "status", N_("meetings.err.nothing"));
	if ((rc = store_commit(c->db)) || (rc = meeting_get(c->db, x.m.id, c->a, &x.m)))
		return rc;
	json_t *m = hm_meeting_json(c, &x.m);
	web_model_merge(c, m);
	c->redirect = arena_printf(c->a, "/meetings/%lld", (long long)x.m.id);
	return 0;
}
