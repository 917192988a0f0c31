/* h_cases_activation.c: the person's one-time activation link. The assigned
 * CM or EC makes the link; the person opens it (no session) and sets their
 * password. A dead link always says what to do next. */
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/accounts/activation.h"
#include "domain/cases/case.h"
#include "domain/accounts/session.h"
#include "domain/accounts/token.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/gate.h"
#include "web/cases/h_cases_int.h"
#include "web/h_form_int.h"
#include "web/web.h"

#define ACTIVATE_CSRF_COOKIE "ibbis_activate_csrf"

static json_t *iso_time(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];
	gmtime_r(&tt, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(s);
}

int h_case_activation(struct web_ctx *c)
{
	struct gate g;
	/* Only the person's own CM or EC hands out their link (the policy's
	 * person_account rule); the entry it writes shows in the person's
	 * access log. The link and its entry commit together (the entry also
	 * tells kept case pages that the case changed: docs/cache.md). */
	struct policy_item it = {.category = POLICY_CORE, .person_account = true};
	int rc = store_begin_write(c->db);
	if (!rc)
		rc = gate_open(c, "id", &g);
	if (!rc)
		rc = gate_allow_item(c, &g, POLICY_CREATE, &it, "activation");
	if (rc)
		return rc;
	int64_t person;
	const char *username;
	if ((rc = case_person(c->db, g.cr.id, c->a, &person, &username)))
		return cases_fail(c, rc, NULL);
	char token[ACTIVATION_TOKEN_HEX];
	int64_t expires;
	rc = activation_create(c->db, person, c->actor->id, clock_now(), token, &expires);
	if (rc == ERR_CONFLICT) /* staff never get a credential for an activated account */
		return web_fail(c, rc, NULL, N_("cases.err.activation_activated"));
	if (rc || (rc = store_commit(c->db)))
		return rc;
	web_set_model(c, json_pack("{s:s, s:s, s:s, s:o}", "token", token, "url",
				     arena_printf(c->a, "/activate/%s", token), "username", username,
				     "expires_at", iso_time(expires)));
	c->status = 201;
	c->template = "cases/activation";
	c->title_key = N_("cases.activation.title");
	return 0;
}

/* A dead link: 404 (unknown or replaced) or 410 (used or expired), with
 * the way forward. Answered as a model, not web_fail, for the 410. */
static int dead_link(struct web_ctx *c, enum activation_state st)
{
	const char *key = st == ACTIVATION_USED	     ? N_("activate.used")
			  : st == ACTIVATION_EXPIRED ? N_("activate.expired")
						     : N_("activate.unknown");
	bool gone = st == ACTIVATION_USED || st == ACTIVATION_EXPIRED;
	web_set_model(c, json_pack("{s:{s:s, s:s}, s:b, s:s}", "error", "code",
				     gone ? "gone" : "not_found", "message", web_t(c, key), "dead",
				     1, "next_step", web_t(c, N_("activate.ask_for_new"))));
	c->status = gone ? 410 : 404;
	c->template = "activate";
	c->title_key = N_("activate.title");
	return 0;
}

static void form_model(struct web_ctx *c, const char *token, const char *username)
{
	if (!c->model)
		c->model = json_object();
	json_object_set_new(c->model, "token", json_string(token));
	json_object_set_new(c->model, "username", json_string(username ? username : ""));
	json_object_set_new(c->model, "action", json_sprintf("/activate/%s", token));
	form_pre_token(c, ACTIVATE_CSRF_COOKIE);
	c->template = "activate";
	c->title_key = N_("activate.title");
}

int h_activate_page(struct web_ctx *c)
{
	const char *token = route_param(&c->match, "token");
	enum activation_state st;
	const char *username;
	int rc = activation_check(c->db, token, clock_now(), c->a, &st, &username);
	if (rc)
		return rc;
	if (st != ACTIVATION_VALID)
		return dead_link(c, st);
	form_model(c, token, username);
	return 0;
}

static bool is_json_body(struct web_ctx *c)
{
	const char *ct = http_header(c->req, "Content-Type");
	return ct && str_starts_with(ct, "application/json");
}

static int refuse(struct web_ctx *c, const char *token, const char *username, int err,
		  const char *field, const char *key)
{
	form_model(c, token, username);
	web_fail(c, err, field, key);
	form_keep(c, "activate"); /* which field is wrong; passwords are never put back */
	return err;
}

int h_activate_set(struct web_ctx *c)
{
	const char *token = route_param(&c->match, "token");
	json_t *in;
	int rc = web_input(c, &in);
	if (rc)
		return rc;
	bool json = is_json_body(c);
	const char *pw = web_field(c, "password");
	const char *again = web_field(c, "password_again");
	if (!form_pre_token_ok(c, ACTIVATE_CSRF_COOKIE))
		return refuse(c, token, NULL, ERR_FORBIDDEN, "csrf_token", N_("error.csrf"));
	if (!pw || account_password_check(pw))
		return refuse(c, token, NULL, ERR_INVALID, "password", N_("activate.err.password"));
	if ((!json || again) && !str_eq(pw, again))
		return refuse(c, token, NULL, ERR_INVALID, "password_again",
			      N_("activate.err.password_again"));
	enum activation_state st;
	const char *username = NULL;
	rc = activation_use(c->db, token, pw, clock_now(), c->a, &st, &username);
	if (rc == ERR_NOT_FOUND || rc == ERR_CONFLICT)
		return dead_link(c, st);
	if (rc)
		return rc;
	web_set_cookie(c, ACTIVATE_CSRF_COOKIE, "", 0);
	web_set_model(c, json_pack("{s:s}", "username", username));
	c->redirect = "/login?activated=1";
	c->no_flash = true; /* the login page says the account is ready */
	return 0;
}
