/* h_person_data.c: GET /my/data, "My data": each consent explained, active
 * or not and since when, with a form to grant (with a purpose) or withdraw
 * it (through consent.h, as the consents endpoint does); and the access
 * log in plain language, grouped per person and day. */
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/session.h"
#include "domain/trust/accesslog.h"
#include "domain/trust/consent.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/h_form_int.h"
#include "web/person/h_person_int.h"
#include "web/trust/h_trust.h"
#include "web/web.h"

struct dir_text {
	const char *dir, *title, *allows, *never;
};

static const struct dir_text dir_texts[] = {
    {"health_to_jobcentre", N_("person.consent.h2j.title"), N_("person.consent.h2j.allows"),
     N_("person.consent.h2j.never")},
    {"jobcentre_to_health", N_("person.consent.j2h.title"), N_("person.consent.j2h.allows"),
     N_("person.consent.j2h.never")},
};

/* The Danish calendar day of t, "YYYY-MM-DD". arena */
static const char *day_of(struct web_ctx *c, int64_t t)
{
	char d[DATE_STR_LEN], hm[MY_HM_LEN];
	my_local(t, d, hm);
	return arena_strdup(c->a, d);
}

static json_t *consent_json(struct web_ctx *c, const struct dir_text *dt,
			    const struct consent_row *rows, size_t n, bool error_here)
{
	const struct consent_row *last = NULL;
	for (size_t i = 0; i < n; i++)
		if (str_eq(rows[i].direction, dt->dir))
			last = &rows[i];
	bool active = last && last->granted;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "direction", dt->dir, "title",
			      web_t(c, dt->title), "allows", web_t(c, dt->allows), "never",
			      web_t(c, dt->never), "active", active, "error_here", error_here);
	json_object_set_new(o, "since", last ? json_string(day_of(c, last->at)) : json_null());
	json_object_set_new(o, "withdrawn", json_boolean(last && !last->granted));
	json_object_set_new(o, "purpose", active && last->purpose
					      ? json_string(trust_purpose_text(c, last->purpose))
					      : json_null());
	json_object_set_new(o, "purpose_key",
			    active && last->purpose ? json_string(last->purpose) : json_null());
	json_object_set_new(o, "purposes", trust_purpose_choices(c, dt->dir));
	json_object_set_new(o, "withdraw_href",
			    json_string(arena_printf(c->a, "/my/data/consents/%s/withdraw", dt->dir)));
	return o;
}

static int consents_into(struct web_ctx *c, struct my *my, const char *error_dir)
{
	struct consent_row *rows;
	size_t n;
	int rc = consent_history(c->db, c->a, my->pc.case_id, &rows, &n);
	if (rc)
		return rc;
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof dir_texts / sizeof dir_texts[0]; i++)
		json_array_append_new(a, consent_json(c, &dir_texts[i], rows, n,
						      str_eq(error_dir, dir_texts[i].dir)));
	json_object_set_new(c->model, "consents", a);
	json_object_set_new(c->model, "consent_action", json_string("/my/data/consents"));
	return 0;
}

static const struct {
	const char *cat, *key;
} what_keys[] = {
    {"core", N_("person.log.what.core")},
    {"clinical", N_("person.log.what.clinical")},
    {"health_shared", N_("person.log.what.health_shared")},
    {"employment", N_("person.log.what.employment")},
    {"joint", N_("person.log.what.joint")},
    {"decision", N_("person.log.what.decision")},
    {"private", N_("person.log.what.private")},
    {"audit", N_("person.log.what.audit")},
    {"consent", N_("person.log.what.consent")},
};

/* "Looked at your case file", "Wrote or changed: goals, plan ...". static */
static const char *what_line(struct web_ctx *c, const struct accesslog_entry *e)
{
	if (str_eq(e->item, "activation")) /* a way into the person's account */
		return web_t(c, N_("person.log.activation"));
	const char *what = N_("person.log.what.other");
	for (size_t i = 0; i < sizeof what_keys / sizeof what_keys[0]; i++)
		if (str_eq(e->category, what_keys[i].cat))
			what = what_keys[i].key;
	if (str_eq(e->action, "password_reset")) /* by the person, through their e-mail */
		return web_t(c, N_("messages.log.password_reset"));
	const char *verb = N_("person.log.action.other");
	if (str_eq(e->action, "viewed") || str_eq(e->action, "read"))
		verb = N_("person.log.action.read");
	else if (str_eq(e->action, "create") || str_eq(e->action, "update"))
		verb = N_("person.log.action.write");
	return arena_printf(c->a, "%s: %s", web_t(c, verb), web_t(c, what));
}

/* Adds line to group g's "what" list once. */
static void add_line(json_t *g, const char *line)
{
	json_t *what = json_object_get(g, "what"), *v;
	size_t i;
	json_array_foreach(what, i, v) if (str_eq(json_string_value(v), line)) return;
	json_array_append_new(what, json_string(line));
}

/* Entries by others (not the person's own actions, except a password
 * reset: the person should see that one happened), per person and day,
 * the newest day first. */
static json_t *log_groups(struct web_ctx *c, const struct accesslog_entry *e, size_t n)
{
	json_t *idx = json_object(), *order = json_array();
	for (size_t i = n; i > 0; i--) {
		const struct accesslog_entry *x = &e[i - 1];
		if (x->actor_id == c->actor->id && !str_eq(x->action, "password_reset"))
			continue;
		const char *day = day_of(c, x->at);
		const char *key = arena_printf(c->a, "%lld/%s", (long long)x->actor_id, day);
		json_t *g = json_object_get(idx, key);
		if (!g) {
			const char *role =
			    x->actor_role && *x->actor_role ? x->actor_role : "system";
			g = json_pack("{s:s, s:o, s:[], s:b}", "day", day, "who",
				      my_person_json(c,
						     x->actor_name && *x->actor_name
							 ? x->actor_name
							 : web_t(c, N_("person.log.system")),
						     role, x->actor_org),
				      "what", "break_glass", false);
			json_object_set_new(idx, key, g);
			json_array_append(order, g);
		}
		add_line(g, what_line(c, x));
		if (x->break_glass)
			json_object_set_new(g, "break_glass", json_true());
	}
	json_decref(idx);
	return order;
}

static int log_into(struct web_ctx *c, struct my *my)
{
	int rc = gate_allow(c, &my->g, POLICY_AUDIT, POLICY_READ, "access-log");
	if (rc)
		return rc;
	audit_flush(); /* this request's own look-ups are written too */
	struct accesslog_entry *e;
	size_t n;
	if ((rc = accesslog_list(c->db, c->a, my->pc.case_id, &e, &n)))
		return rc;
	json_t *groups = log_groups(c, e, n);
	json_object_set_new(c->model, "has_log", json_boolean(json_array_size(groups) > 0));
	json_object_set_new(c->model, "log", groups);
	return 0;
}

/* The person's live sessions (devices logged in), each with a form that
 * ends it. */
static int sessions_into(struct web_ctx *c)
{
	struct session_info *v;
	size_t n;
	int rc = session_list(c->db, c->actor->id, clock_now(), c->app->idle_timeout_s,
			      c->app->session_lifetime_s, c->session_token, c->a, &v, &n);
	if (rc)
		return rc;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		char d[DATE_STR_LEN], hm[MY_HM_LEN], ld[DATE_STR_LEN], lhm[MY_HM_LEN];
		my_local(v[i].created_at, d, hm);
		my_local(v[i].last_seen, ld, lhm);
		json_t *o = json_pack(
		    "{s:I, s:I, s:I, s:s, s:s, s:b, s:s}", "n", (json_int_t)v[i].n, "created_at",
		    (json_int_t)v[i].created_at, "last_seen", (json_int_t)v[i].last_seen, "since",
		    arena_printf(c->a, "%s %s", d, hm), "last_active",
		    arena_printf(c->a, "%s %s", ld, lhm), "current", v[i].current, "end_action",
		    arena_printf(c->a, "/my/data/sessions/%lld/end", (long long)v[i].n));
		json_object_set_new(o, "ip", v[i].ip ? json_string(v[i].ip) : json_null());
		json_object_set_new(o, "device",
				    json_string(v[i].agent && *v[i].agent
						    ? v[i].agent
						    : web_t(c, N_("person.sessions.unknown_device"))));
		json_array_append_new(a, o);
	}
	json_object_set_new(c->model, "sessions", a);
	struct buf b;
	buf_init(&b, 1024);
	json_t *p = json_pack("{s:I}", "hours", (json_int_t)((c->app->session_lifetime_s + 1799) / 3600));
	i18n_format(c->app->i18n, c->lang, N_("person.sessions.limits"), p, &b);
	json_decref(p);
	json_object_set_new(c->model, "sessions_limits", json_stringn(b.data, b.len));
	buf_release(&b);
	return 0;
}

static int data_fill(struct web_ctx *c, struct my *my, const char *error_dir)
{
	int rc = consents_into(c, my, error_dir);
	if (!rc)
		rc = sessions_into(c);
	return rc ? rc : log_into(c, my);
}

/* POST /my/data/sessions/{n}/end: the person ends one of their own
 * sessions (a lost phone, a shared computer). Ending the current one logs
 * them out. */
int h_my_session_end(struct web_ctx *c)
{
	struct my my;
	int rc = my_open(c, &my, "person/data", N_("person.data.title"));
	if (rc)
		return rc;
	const char *s = route_param(&c->match, "n");
	long n;
	if (!s || str_to_long(s, 1, 0x7fffffffffffL, &n))
		return web_fail(c, ERR_NOT_FOUND, "n", N_("person.err.session_unknown"));
	rc = session_end(c->db, c->actor->id, n);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, rc, "n", N_("person.err.session_unknown"));
	if (rc)
		return rc;
	json_object_set_new(c->model, "ended", json_integer(n));
	c->redirect = "/my/data#sessions";
	return 0;
}

int h_my_data(struct web_ctx *c)
{
	struct my my;
	int rc = my_open(c, &my, "person/data", N_("person.data.title"));
	return rc ? rc : data_fill(c, &my, NULL);
}

static int refill(struct web_ctx *c, struct my *my, const char *dir, int err)
{
	if (!c->want_json && data_fill(c, my, dir) == 0)
		form_keep(c, "consent");
	return err;
}

int h_my_consent(struct web_ctx *c)
{
	struct my my;
	json_t *in;
	int rc = my_open(c, &my, "person/data", N_("person.data.title"));
	if (rc || (rc = web_input(c, &in)))
		return rc;
	json_t *dv = json_object_get(in, "direction");
	const char *dir = consent_direction(json_is_string(dv) ? json_string_value(dv) : NULL);
	if (!dir)
		return refill(c, &my, NULL,
			      web_fail(c, ERR_INVALID, "direction", N_("person.err.direction")));
	bool granted;
	if (field_bool(in, "granted", &granted))
		return refill(c, &my, dir,
			      web_fail(c, ERR_INVALID, "granted", N_("person.err.granted")));
	if (trust_withdraw_unconfirmed(c, in, dir, granted))
		return 0;
	json_t *pv = json_object_get(in, "purpose");
	const char *purpose = json_is_string(pv) ? json_string_value(pv) : "";
	if (!consent_purpose_ok(dir, purpose, granted))
		return refill(c, &my, dir,
			      web_fail(c, ERR_INVALID, "purpose", N_("person.err.purpose")));
	/* Only the case's person decides (the policy's consent_record rule). */
	struct policy_item ci = {.category = POLICY_CORE, .consent_record = true};
	if (!gate_may_item(&my.g, POLICY_CREATE, &ci))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("person.err.only_person"));
	int64_t id;
	if ((rc = trust_consent_write(c, my.pc.case_id, dir, granted, purpose, &id)))
		return rc;
	json_object_set_new(c->model, "consent",
			    json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id, "direction", dir,
				      "granted", granted));
	c->status = 201;
	c->redirect = arena_printf(c->a, "/my/data#consent-%s", dir);
	return 0;
}

/* GET /my/data/consents/{direction}/withdraw: before a withdrawal, a page
 * that says what it will change; its form posts the withdrawal with
 * confirm=yes. A consent not given says so and offers the way back. */
int h_my_consent_withdraw(struct web_ctx *c)
{
	struct my my;
	int rc = my_open(c, &my, "person/consent_withdraw", N_("person.withdraw.title"));
	if (rc)
		return rc;
	const char *dir = consent_direction(route_param(&c->match, "direction"));
	const struct dir_text *dt = NULL;
	for (size_t i = 0; dir && i < sizeof dir_texts / sizeof dir_texts[0]; i++)
		if (str_eq(dir, dir_texts[i].dir))
			dt = &dir_texts[i];
	if (!dt)
		return web_fail(c, ERR_NOT_FOUND, "direction", N_("person.err.direction"));
	struct consent_row *rows;
	size_t n;
	if ((rc = consent_history(c->db, c->a, my.pc.case_id, &rows, &n)))
		return rc;
	json_t *o = consent_json(c, dt, rows, n, false);
	json_object_set_new(o, "effect",
			    json_string(web_t(c, str_eq(dir, "health_to_jobcentre")
						     ? N_("person.withdraw.effect.h2j")
						     : N_("person.withdraw.effect.j2h"))));
	json_object_set_new(c->model, "consent", o);
	json_object_set_new(c->model, "consent_action", json_string("/my/data/consents"));
	return 0;
}
