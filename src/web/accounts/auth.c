/* auth.c: sessions on the web: cookie -> actor, login, logout, /me. */
#include "web/accounts/auth.h"

#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/accounts/account_prefs.h"
#include "domain/accounts/ratelimit.h"
#include "domain/accounts/session.h"
#include "domain/accounts/token.h"
#include "domain/teams/team.h"
#include "view/i18n.h"
#include "web/web.h"

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

int auth_load(struct web_ctx *c)
{
	const char *tok = http_cookie(c->req, AUTH_SESSION_COOKIE);
	if (!tok || strlen(tok) != SESSION_TOKEN_HEX - 1)
		return 0;
	struct session s;
	int rc = session_lookup(c->db, tok, now_s(), c->app->idle_timeout_s,
				 c->app->session_lifetime_s, c->a, &s);
	if (rc == ERR_UNAUTHORIZED)
		return 0; /* no such session, or it timed out: not logged in */
	if (rc)
		return rc; /* the database is down: 503, not "please log in" */
	c->actor = arena_alloc(c->a, sizeof *c->actor);
	*c->actor = s.actor;
	c->csrf = arena_strdup(c->a, s.csrf);
	c->session_token = arena_strdup(c->a, tok);
	return 0;
}

const char *auth_actor_language(struct web_ctx *c)
{
	if (!c->actor || !c->actor->language)
		return NULL;
	return str_eq(c->actor->language, "da") ? "da" : "en";
}

void auth_remember_language(struct web_ctx *c, const char *lang)
{
	if (!c->actor)
		return;
	if (account_set_language(c->db, c->actor->id, lang) == 0)
		c->actor->language = lang;
}

bool auth_token_equal(const char *a, const char *b)
{
	return session_csrf_equal(b, a);
}

static json_t *nav_item(struct web_ctx *c, const char *href, const char *key)
{
	return json_pack("{s:s, s:s, s:b}", "href", href, "label", web_t(c, key), "current",
			 str_eq(c->path, href));
}

/* What each role's menu holds; the person's pages come from their module. */
static void nav_for_role(struct web_ctx *c, json_t *nav)
{
	switch (c->actor->role) {
	case ROLE_CARE_MANAGER:
	case ROLE_EMPLOYMENT_CONSULTANT:
	case ROLE_SUPERVISOR:
		json_array_append_new(nav, nav_item(c, "/cases", N_("nav.cases")));
		json_array_append_new(nav, nav_item(c, "/tasks", N_("nav.tasks")));
		json_array_append_new(nav, nav_item(c, "/teams", N_("nav.teams")));
		json_array_append_new(nav, nav_item(c, "/me/calendar", N_("nav.calendar")));
		break;
	case ROLE_ADMIN:
		json_array_append_new(nav, nav_item(c, "/admin/accounts", N_("nav.accounts")));
		json_array_append_new(nav, nav_item(c, "/teams", N_("nav.teams")));
		json_array_append_new(nav, nav_item(c, "/outbox", N_("messages.nav.outbox")));
		json_array_append_new(nav, nav_item(c, "/sites", N_("nav.sites")));
		json_array_append_new(nav, nav_item(c, "/admin/organisations", N_("nav.organisations")));
		json_array_append_new(nav, nav_item(c, "/studies", N_("research.nav.studies")));
		json_array_append_new(nav, nav_item(c, "/security-events", N_("trust.security.nav")));
		break;
	case ROLE_RESEARCHER:
		json_array_append_new(nav, nav_item(c, "/studies", N_("research.nav.studies")));
		break;
	case ROLE_SERVICE_USER:
		json_array_append_new(nav, nav_item(c, "/my", N_("person.nav.home")));
		json_array_append_new(nav, nav_item(c, "/my/meetings", N_("person.nav.meetings")));
		json_array_append_new(nav, nav_item(c, "/my/goals", N_("person.nav.goals")));
		json_array_append_new(nav, nav_item(c, "/my/data", N_("person.nav.data")));
		break;
	default:
		break;
	}
}

json_t *auth_page_info(struct web_ctx *c)
{
	json_t *info = json_pack("{s:s}", "lang", c->lang);
	json_t *langs = json_array();
	static const char *codes[] = {"en", "da"};
	for (int i = 0; i < 2; i++)
		json_array_append_new(
			langs, json_pack("{s:s, s:s, s:s, s:b}", "code", codes[i], "label",
					 i ? web_t(c, N_("lang.da")) : web_t(c, N_("lang.en")),
					 "href",
					 arena_printf(c->a, "%s?lang=%s",
						      web_local_path(c, c->req->path), codes[i]),
					 "current", str_eq(c->lang, codes[i])));
	json_object_set_new(info, "languages", langs);
	if (c->actor) {
		const char *role = account_role_name(c->actor->role);
		json_object_set_new(
			info, "user",
			json_pack("{s:s, s:s}", "name", c->actor->name, "role_label",
				  web_t(c, arena_printf(c->a, "role.%s", role))));
		json_object_set_new(info, "csrf_token", json_string(c->csrf));
		json_t *nav = json_array();
		if (c->actor->role != ROLE_SERVICE_USER)
			json_array_append_new(nav, nav_item(c, "/", N_("nav.home")));
		nav_for_role(c, nav);
		json_array_append_new(nav, nav_item(c, "/me/notifications",
						    N_("messages.nav.notifications")));
		json_object_set_new(info, "nav", nav);
	}
	return info;
}

/* A fresh pre-session token against login CSRF, in a cookie and the form. */
static void login_form_token(struct web_ctx *c)
{
	char hex[33];
	token_random_hex(hex, 16);
	web_set_cookie(c, AUTH_PRELOGIN_COOKIE, arena_strdup(c->a, hex), 3600);
	if (!c->model)
		c->model = json_object();
	json_object_set_new(c->model, "login_csrf", json_string(hex));
}

int auth_login_page(struct web_ctx *c)
{
	if (c->actor && !c->want_json) {
		c->redirect = "/";
		return 0;
	}
	login_form_token(c);
	const char *activated = web_query(c, "activated");
	if (activated && str_eq(activated, "1"))
		json_object_set_new(c->model, "activated", json_true());
	if (str_eq(web_query(c, "reset"), "1"))
		json_object_set_new(c->model, "reset_done", json_true());
	c->template = "login";
	c->title_key = N_("login.title");
	return 0;
}

static json_t *actor_json(struct web_ctx *c)
{
	struct actor *a = c->actor;
	json_t *teams = NULL;
	if (a->role == ROLE_SERVICE_USER || team_mine_json(c->db, a->id, clock_today(), &teams))
		teams = json_array(); /* the person is in no team */
	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:o, s:s, s:s}", "id", (json_int_t)a->id,
			 "username", a->username, "name", a->name, "role",
			 account_role_name(a->role), "organisation", a->org_name,
			 "organisation_kind", a->org_kind, "teams", teams, "csrf_token",
			 c->csrf ? c->csrf : "", "language", c->lang);
}

static int login_refused(struct web_ctx *c, int err, const char *field, const char *message)
{
	c->template = "login";
	c->title_key = N_("login.title");
	login_form_token(c);
	json_object_set_new(c->model, "username", json_string(web_field(c, "username") ?: ""));
	return web_fail_text(c, err, field, message);
}

static int login_rate_limited(struct web_ctx *c, int64_t retry)
{
	struct buf b;
	buf_init(&b, 1024);
	json_t *p = json_pack("{s:I}", "minutes", (json_int_t)((retry + 59) / 60));
	i18n_format(c->app->i18n, c->lang, N_("login.rate_limited"), p, &b);
	json_decref(p);
	http_resp_header(c->resp, "Retry-After", arena_printf(c->a, "%lld", (long long)retry));
	const char *msg = arena_strndup(c->a, b.data, b.len);
	buf_release(&b);
	return login_refused(c, ERR_RATE_LIMITED, NULL, msg);
}

/* The form's pre-session token must match its cookie. JSON needs none: a
 * browser cannot send JSON cross-site without a preflight. */
static bool login_csrf_ok(struct web_ctx *c, bool json)
{
	if (json)
		return true;
	const char *ck = http_cookie(c->req, AUTH_PRELOGIN_COOKIE);
	const char *f = web_field(c, "csrf_token");
	return ck && f && session_csrf_equal(ck, f);
}

static int login_start_session(struct web_ctx *c, struct actor *who)
{
	if (c->session_token)
		session_destroy(c->db, c->session_token); /* never reuse a session id */
	struct session_new sn;
	int rc = session_create(c->db, who->id, c->req->client_ip,
				http_header(c->req, "User-Agent"), now_s(), &sn);
	if (rc)
		return rc;
	web_set_cookie(c, AUTH_SESSION_COOKIE, arena_strdup(c->a, sn.token), -1);
	web_set_cookie(c, AUTH_PRELOGIN_COOKIE, "", 0);
	c->actor = who;
	c->csrf = arena_strdup(c->a, sn.csrf);
	return 0;
}

int auth_login(struct web_ctx *c)
{
	const char *ct = http_header(c->req, "Content-Type");
	bool json = ct && str_starts_with(ct, "application/json");
	json_t *in;
	if (web_input(c, &in))
		return login_refused(c, c->err, c->err_field, c->err_message);
	if (!login_csrf_ok(c, json))
		return login_refused(c, ERR_FORBIDDEN, "csrf_token", web_t(c, N_("error.csrf")));
	const char *user = web_field(c, "username");
	const char *pass = web_field(c, "password");
	if (!user || !*user)
		return login_refused(c, ERR_INVALID, "username", web_t(c, N_("login.missing_username")));
	if (!pass || !*pass)
		return login_refused(c, ERR_INVALID, "password", web_t(c, N_("login.missing_password")));
	int64_t retry = 0;
	if (ratelimit_check(c->db, user, c->req->client_ip, now_s(), &retry) == ERR_RATE_LIMITED)
		return login_rate_limited(c, retry);
	struct actor *who = arena_alloc(c->a, sizeof *who);
	if (account_authenticate(c->db, user, pass, c->a, who)) {
		ratelimit_fail(c->db, user, c->req->client_ip, now_s());
		return login_refused(c, ERR_UNAUTHORIZED, NULL, web_t(c, N_("login.failed")));
	}
	ratelimit_success(c->db, user);
	int rc = login_start_session(c, who);
	if (rc)
		return rc;
	if (who->language)
		c->lang = str_eq(who->language, "da") ? "da" : "en";
	json_decref(c->model);
	c->model = actor_json(c);
	c->redirect = "/";
	c->no_flash = true; /* logging in saves nothing */
	return 0;
}

int auth_logout(struct web_ctx *c)
{
	if (c->session_token)
		session_destroy(c->db, c->session_token);
	web_set_cookie(c, AUTH_SESSION_COOKIE, "", 0);
	c->model = json_pack("{s:b}", "logged_out", 1);
	c->redirect = "/login";
	c->no_flash = true;
	return 0;
}

int auth_me(struct web_ctx *c)
{
	c->model = actor_json(c);
	c->template = "me";
	c->title_key = N_("me.title");
	return 0;
}
