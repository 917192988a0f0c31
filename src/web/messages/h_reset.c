/* h_reset.c: the person resets their own password. The request always
 * answers the same, whether or not an account was found (no enumeration),
 * and is rate-limited per address and per name asked for; the link comes
 * by e-mail only. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/accounts/ratelimit.h"
#include "domain/messages/reset.h"
#include "view/i18n.h"
#include "web/h_form_int.h"
#include "web/messages/h_messages_int.h"
#include "web/web.h"

#define RESET_CSRF_COOKIE "ibbis_reset_csrf"

static bool is_json(struct web_ctx *c)
{
	const char *ct = http_header(c->req, "Content-Type");
	return ct && str_starts_with(ct, "application/json");
}

static int request_page(struct web_ctx *c)
{
	form_pre_token(c, RESET_CSRF_COOKIE);
	c->template = "messages/reset_request";
	c->title_key = N_("messages.reset.title");
	return 0;
}

int h_reset_page(struct web_ctx *c)
{
	return request_page(c);
}

static int refuse(struct web_ctx *c, int err, const char *field, const char *key)
{
	request_page(c);
	return web_fail(c, err, field, key);
}

int h_reset_request(struct web_ctx *c)
{
	json_t *in;
	int rc = web_input(c, &in);
	if (rc)
		return rc;
	if (!form_pre_token_ok(c, RESET_CSRF_COOKIE))
		return refuse(c, ERR_FORBIDDEN, "csrf_token", N_("error.csrf"));
	const char *who = web_field(c, "username");
	if (!who || !*who || strlen(who) > 254 || !str_valid_utf8(who, strlen(who)))
		return refuse(c, ERR_INVALID, "username", N_("messages.reset.err.username"));
	/* Separate windows from the login's: asking is not failing to log in. */
	int64_t now = clock_now(), retry = 0;
	const char *key = arena_printf(c->a, "reset:%s", who);
	const char *ip = arena_printf(c->a, "reset:%s", c->req->client_ip ? c->req->client_ip : "");
	if (ratelimit_check(c->db, key, ip, now, &retry) == ERR_RATE_LIMITED) {
		http_resp_header(c->resp, "Retry-After", arena_printf(c->a, "%lld", (long long)retry));
		return refuse(c, ERR_RATE_LIMITED, NULL, N_("messages.reset.err.rate_limited"));
	}
	if ((rc = ratelimit_fail(c->db, key, ip, now)) || (rc = reset_request(c->db, who, now)))
		return rc;
	web_set_model(c, json_pack("{s:s, s:s, s:b}", "status", "requested", "message",
				     web_t(c, N_("messages.reset.sent")), "sent", 1));
	c->template = "messages/reset_request";
	c->title_key = N_("messages.reset.title");
	return 0;
}

static int dead_link(struct web_ctx *c)
{
	web_set_model(c, json_pack("{s:{s:s, s:s}, s:b}", "error", "code", "not_found", "message",
				     web_t(c, N_("messages.reset.dead")), "dead", 1));
	c->status = 404;
	c->template = "messages/reset_set";
	c->title_key = N_("messages.reset.set_title");
	return 0;
}

static void set_form(struct web_ctx *c, const char *token, const char *username)
{
	if (!c->model)
		c->model = json_object();
	json_object_set_new(c->model, "username", json_string(username ? username : ""));
	json_object_set_new(c->model, "action", json_sprintf("/password-reset/%s", token));
	form_pre_token(c, RESET_CSRF_COOKIE);
	c->template = "messages/reset_set";
	c->title_key = N_("messages.reset.set_title");
}

int h_reset_link(struct web_ctx *c)
{
	const char *token = route_param(&c->match, "token");
	const char *username = NULL;
	int rc = reset_check(c->db, token, clock_now(), c->a, &username);
	if (rc == ERR_NOT_FOUND)
		return dead_link(c);
	if (rc)
		return rc;
	set_form(c, token, username);
	return 0;
}

static int set_refused(struct web_ctx *c, const char *token, int err, const char *field,
		       const char *key)
{
	set_form(c, token, NULL);
	web_fail(c, err, field, key);
	form_keep(c, "reset"); /* which field is wrong; passwords are never put back */
	return err;
}

int h_reset_set(struct web_ctx *c)
{
	const char *token = route_param(&c->match, "token");
	json_t *in;
	int rc = web_input(c, &in);
	if (rc)
		return rc;
	if (!form_pre_token_ok(c, RESET_CSRF_COOKIE))
		return set_refused(c, token, ERR_FORBIDDEN, "csrf_token", N_("error.csrf"));
	const char *pw = web_field(c, "password"), *again = web_field(c, "password_again");
	if (!pw || account_password_check(pw))
		return set_refused(c, token, ERR_INVALID, "password",
				   N_("messages.reset.err.password"));
	if ((!is_json(c) || again) && !str_eq(pw, again))
		return set_refused(c, token, ERR_INVALID, "password_again",
				   N_("messages.reset.err.password_again"));
	const char *username = NULL;
	rc = reset_use(c->db, token, pw, clock_now(), c->a, &username);
	if (rc == ERR_NOT_FOUND)
		return dead_link(c);
	if (rc)
		return rc;
	web_set_cookie(c, RESET_CSRF_COOKIE, "", 0);
	web_set_model(c, json_pack("{s:s, s:s}", "status", "reset", "username",
				     username ? username : ""));
	c->redirect = "/login?reset=1";
	return 0;
}
