/* h_person_util.c: what the person module's handlers share (h_person_int.h):
 * opening "my case", local times, meetings and roles in plain words, text
 * fields. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/trust/access.h"
#include "view/i18n.h"
#include "web/person/h_person_int.h"
#include "web/web.h"

int my_open(struct web_ctx *c, struct my *m, const char *tpl, const char *title_key)
{
	memset(m, 0, sizeof *m);
	/* The policy's person_pages rule: only the case's own person. Staff
	 * have no case of their own, so they are asked with none. */
	struct policy_item it = {.category = POLICY_CORE, .person_pages = true};
	int rc = person_my_case(c->db, c->actor->id, c->a, &m->pc);
	if (rc == ERR_NOT_FOUND && c->actor->role != ROLE_SERVICE_USER) {
		struct case_ref none = {0};
		access_actor(c->actor, &none, false, &m->g.pa);
		return gate_allow_item(c, &m->g, POLICY_READ, &it, "my");
	}
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("person.err.no_case"));
	if (rc || (rc = gate_open_id(c, m->pc.case_id, &m->g)) ||
	    (rc = gate_allow_item(c, &m->g, POLICY_READ, &it, "case")))
		return rc;
	if (!c->model)
		c->model = json_object();
	json_object_set_new(c->model, "case",
			    json_pack("{s:I, s:b, s:s}", "id", (json_int_t)m->pc.case_id, "open",
				      m->pc.open, "name", m->pc.name ? m->pc.name : ""));
	c->template = tpl;
	c->title_key = title_key;
	return 0;
}

void my_local(int64_t t, char date[DATE_STR_LEN], char hm[MY_HM_LEN])
{
	struct clock_dk_local l = clock_dk_local(t);
	date_format(l.day, date);
	str_fmt(hm, MY_HM_LEN, "%02d:%02d", l.minute / 60, l.minute % 60);
}

/* Roles the person meets, with what each one does for them. */
static const struct {
	const char *role, *about;
} role_about[] = {
    {"care_manager", N_("person.role.care_manager.about")},
    {"employment_consultant", N_("person.role.employment_consultant.about")},
    {"supervisor", N_("person.role.supervisor.about")},
    {"service_user", N_("person.role.service_user.about")},
};

json_t *my_person_json(struct web_ctx *c, const char *name, const char *role, const char *org)
{
	const char *about = "";
	for (size_t i = 0; i < sizeof role_about / sizeof role_about[0]; i++)
		if (str_eq(role, role_about[i].role))
			about = web_t(c, role_about[i].about);
	const char *label = str_eq(role, "system") ? web_t(c, N_("person.log.system_role"))
						   : web_t(c, arena_printf(c->a, "role.%s", role));
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "name", name ? name : "", "role", role,
			      "role_label", label, "role_about", about);
	json_object_set_new(o, "organisation", org && *org ? json_string(org) : json_null());
	return o;
}

static const char *const kind_keys[MEETING_KIND_COUNT] = {
    N_("person.kind.roundtable"), N_("person.kind.followup"), N_("person.kind.therapy"),
    N_("person.kind.supervision")};
static const char *const kind_about_keys[MEETING_KIND_COUNT] = {
    N_("person.kind.roundtable.about"), N_("person.kind.followup.about"),
    N_("person.kind.therapy.about"), N_("person.kind.supervision.about")};
static const char *const status_keys[MEETING_STATUS_COUNT] = {
    N_("person.status.planned"), N_("person.status.held"), N_("person.status.cancelled"),
    N_("person.status.late_cancellation"), N_("person.status.no_show")};
static const char *const mode_keys[MEETING_MODE_COUNT] = {
    N_("person.mode.in_person"), N_("person.mode.phone"), N_("person.mode.video"),
    N_("person.mode.email"), N_("person.mode.letter")};

static json_t *participants(struct web_ctx *c, const struct meeting *m)
{
	json_t *a = json_array();
	for (size_t i = 0; i < m->nparts; i++) {
		const struct meeting_participant *p = &m->parts[i];
		json_t *o = my_person_json(c, p->name, p->role, NULL);
		json_object_set_new(o, "is_me", json_boolean(p->user_id == c->actor->id));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *my_meeting_json(struct web_ctx *c, const struct meeting *m)
{
	char d[DATE_STR_LEN], t[MY_HM_LEN], ed[DATE_STR_LEN], et[MY_HM_LEN];
	my_local(m->starts_at, d, t);
	my_local(m->ends_at, ed, et);
	json_t *o = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b}", "id",
	    (json_int_t)m->id, "kind", meeting_kind_name(m->kind), "kind_label",
	    web_t(c, kind_keys[m->kind]), "kind_about", web_t(c, kind_about_keys[m->kind]), "date",
	    d, "time", t, "end_time", et, "status", meeting_status_name(m->status), "status_label",
	    web_t(c, status_keys[m->status]), "mode_label", web_t(c, mode_keys[m->mode]),
	    "is_roundtable", m->kind == MEETING_ROUNDTABLE, "is_planned",
	    m->status == MEETING_PLANNED, "is_held", m->status == MEETING_HELD);
	json_object_set_new(o, "site", m->site_name ? json_string(m->site_name) : json_null());
	json_object_set_new(o, "address", m->site_address && *m->site_address
						 ? json_string(m->site_address)
						 : json_null());
	json_object_set_new(o, "remote_link",
			    m->remote_link ? json_string(m->remote_link) : json_null());
	json_object_set_new(o, "in_person", json_boolean(m->mode == MEETING_IN_PERSON));
	json_object_set_new(o, "participants", participants(c, m));
	json_object_set_new(o, "has_participants", json_boolean(m->nparts > 0));
	return o;
}

