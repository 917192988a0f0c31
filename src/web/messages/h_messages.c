/* h_messages.c: the messages module's routes: the administrator's view of
 * the outbox and each actor's notification settings (DESIGN.md section 10).
 * The password reset is in h_reset.c. */
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/accounts/account_prefs.h"
#include "domain/messages/outbox.h"
#include "domain/messages/prefs.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/handlers.h"
#include "web/messages/h_messages_int.h"
#include "web/messages/mail.h"
#include "web/gate.h"
#include "web/web.h"

#define OUTBOX_PAGE 200

const struct route routes_messages[] = {
    {HTTP_GET, "/outbox", h_outbox, ROUTE_SESSION, "administration"},
    {HTTP_GET, "/me/notifications", h_notifications_get, ROUTE_SESSION, "staff_work"},
    {HTTP_PATCH, "/me/notifications", h_notifications_set, ROUTE_SESSION, "staff_work"},
    {HTTP_POST, "/me/notifications", h_notifications_set, ROUTE_SESSION, "staff_work"},
    {HTTP_GET, "/password-reset", h_reset_page, ROUTE_PUBLIC, NULL},
    {HTTP_POST, "/password-reset", h_reset_request, ROUTE_PUBLIC, NULL},
    {HTTP_GET, "/password-reset/{token}", h_reset_link, ROUTE_PUBLIC, NULL},
    {HTTP_POST, "/password-reset/{token}", h_reset_set, ROUTE_PUBLIC, NULL},
};
const size_t routes_messages_n = sizeof routes_messages / sizeof routes_messages[0];

json_t *msg_iso_time(int64_t t)
{
	if (!t)
		return json_null();
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];
	gmtime_r(&tt, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(s);
}

static json_t *row_json(struct web_ctx *c, const struct outbox_row *r)
{
	const char *kind_label = web_t(c, arena_printf(c->a, "messages.kind.%s", r->kind));
	const char *status_label = web_t(c, arena_printf(c->a, "messages.status.%s", r->status));
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "id", (json_int_t)r->id,
			      "to", r->to_addr, "language", r->lang, "kind", r->kind, "kind_label",
			      kind_label, "status", r->status, "status_label", status_label,
			      "attempts", r->attempts);
	json_object_set_new(o, "created_at", msg_iso_time(r->created_at));
	json_object_set_new(o, "next_at",
			    str_eq(r->status, "queued") ? msg_iso_time(r->next_at) : json_null());
	json_object_set_new(o, "sent_at", msg_iso_time(r->sent_at));
	json_object_set_new(o, "last_error",
			    r->last_error ? json_string(r->last_error) : json_null());
	json_object_set_new(o, "is_failed", json_boolean(str_eq(r->status, "failed")));
	return o;
}

/* GET /outbox: queued, sent and failed messages, never their bodies. */
int h_outbox(struct web_ctx *c)
{
	int rc =
	    gate_role_allow(c, POLICY_ADMINISTRATION, POLICY_READ, N_("messages.err.admin_only"));
	if (rc)
		return rc;
	const char *status = web_query(c, "status");
	if (status && !*status)
		status = NULL;
	if (status && !str_eq(status, "queued") && !str_eq(status, "sent") &&
	    !str_eq(status, "failed"))
		return web_fail(c, ERR_INVALID, "status", N_("messages.err.status"));
	struct outbox_row *rows;
	size_t n;
	int64_t q, s, f;
	rc = store_begin_read(c->db);
	if (!rc)
		rc = outbox_list(c->db, status, OUTBOX_PAGE, c->a, &rows, &n);
	if (!rc)
		rc = outbox_counts(c->db, &q, &s, &f);
	store_commit(c->db);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, row_json(c, &rows[i]));
	bool on = mail_configured(c->app->mail);
	web_set_model(c, json_pack("{s:b, s:{s:I, s:I, s:I}, s:o, s:b}", "mail_configured", on,
				     "counts", "queued", (json_int_t)q, "sent", (json_int_t)s,
				     "failed", (json_int_t)f, "messages", arr, "has_messages",
				     n > 0));
	c->template = "messages/outbox";
	c->title_key = N_("messages.outbox.title");
	return 0;
}

static bool is_professional(struct web_ctx *c)
{
	return gate_role_may(c, POLICY_STAFF_WORK, POLICY_READ);
}

static int prefs_model(struct web_ctx *c, const struct prefs *p)
{
	json_t *m = json_pack("{s:o, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:b}", "email",
			      p->email && *p->email ? json_string(p->email) : json_null(),
			      "language", c->lang, "meetings", p->meetings, "reminders",
			      p->reminders, "digest", p->digest, "decisions", p->decisions,
			      "is_professional", is_professional(c), "is_person",
			      c->actor->role == ROLE_SERVICE_USER, "is_da", str_eq(c->lang, "da"));
	web_set_model(c, m);
	c->template = "messages/notifications";
	c->title_key = N_("messages.prefs.title");
	return 0;
}

int h_notifications_get(struct web_ctx *c)
{
	struct prefs p;
	int rc = prefs_get(c->db, c->actor->id, c->a, &p);
	if (rc)
		return rc;
	prefs_model(c, &p);
	if (str_eq(web_query(c, "saved"), "1"))
		json_object_set_new(c->model, "saved", json_true());
	return 0;
}

/* A setting from JSON (true/false, absent: keep) or a form (a ticked box
 * is present; every box is on the form, so absent means off). */
static int flag(struct web_ctx *c, json_t *in, bool form, const char *name, bool *v)
{
	json_t *x = json_object_get(in, name);
	if (form) {
		*v = x != NULL;
		return 0;
	}
	if (!x)
		return 0;
	if (!json_is_boolean(x))
		return web_fail(c, ERR_INVALID, name, N_("messages.err.flag"));
	*v = json_is_true(x);
	return 0;
}

int h_notifications_set(struct web_ctx *c)
{
	json_t *in;
	int rc = web_input(c, &in);
	if (rc)
		return rc;
	const char *ct = http_header(c->req, "Content-Type");
	bool form = !(ct && str_starts_with(ct, "application/json"));
	struct prefs p;
	if ((rc = prefs_get(c->db, c->actor->id, c->a, &p)))
		return rc;
	json_t *email = json_object_get(in, "email");
	if (email && !json_is_null(email)) {
		if (!json_is_string(email))
			return web_fail(c, ERR_INVALID, "email", N_("messages.err.email"));
		const char *e = json_string_value(email);
		while (*e == ' ')
			e++;
		char *t = arena_strdup(c->a, e);
		for (size_t n = strlen(t); n && t[n - 1] == ' ';)
			t[--n] = 0;
		if (*t && !outbox_email_ok(t))
			return web_fail(c, ERR_INVALID, "email", N_("messages.err.email"));
		p.email = t;
	} else if (email) {
		p.email = NULL;
	}
	const char *lang = web_field(c, "language");
	if (lang && !str_eq(lang, "en") && !str_eq(lang, "da"))
		return web_fail(c, ERR_INVALID, "language", N_("messages.err.language"));
	if ((rc = flag(c, in, form, "meetings", &p.meetings)) ||
	    (rc = flag(c, in, form, "reminders", &p.reminders)) ||
	    (rc = flag(c, in, form, "digest", &p.digest)) ||
	    (rc = flag(c, in, form, "decisions", &p.decisions)))
		return rc;
	if ((rc = store_begin_write(c->db)) || (rc = prefs_set(c->db, c->actor->id, &p)) ||
	    (lang && (rc = account_set_language(c->db, c->actor->id, lang))) ||
	    (rc = store_commit(c->db)))
		return rc;
	if (lang)
		c->lang = str_eq(lang, "da") ? "da" : "en";
	prefs_model(c, &p);
	c->redirect = "/me/notifications?saved=1";
	return 0;
}
