/* web.c: the dispatcher: static files, routing, session, CSRF, then the
 * handler, then JSON or HTML. */
#include "web/web.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "store/store.h"
#include "view/i18n.h"
#include "view/view.h"
#include "web/accounts/auth.h"
#include "web/errors.h"
#include "web/negotiate.h"
#include "web/pages.h"
#include "web/static.h"

#define API_PREFIX "/api/v1"
#define HTML_MAX (4u << 20)

const char *web_t(struct web_ctx *c, const char *key)
{
	return i18n_text(c->app->i18n, c->lang, key);
}

int web_fail_text(struct web_ctx *c, int err, const char *field, const char *message)
{
	c->err = err;
	c->err_field = field;
	c->err_message = message;
	return err;
}

int web_fail(struct web_ctx *c, int err, const char *field, const char *msg_key)
{
	return web_fail_text(c, err, field, web_t(c, msg_key ? msg_key : errors_message_key(err)));
}

void web_set_cookie(struct web_ctx *c, const char *name, const char *value, int max_age)
{
	const char *v = arena_printf(c->a, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name,
				     value, c->app->secure_cookies ? "; Secure" : "",
				     max_age >= 0 ? arena_printf(c->a, "; Max-Age=%d", max_age)
						  : "");
	http_resp_header(c->resp, "Set-Cookie", v);
}

/* ?lang= wins (and is remembered), then the user's setting, then the cookie,
 * then Accept-Language, then the server default. */
static void pick_language(struct web_ctx *c)
{
	const char *q = web_query(c, "lang");
	if (q && (str_eq(q, "en") || str_eq(q, "da"))) {
		c->lang = str_eq(q, "da") ? "da" : "en";
		web_set_cookie(c, "lang", c->lang, 365 * 24 * 3600);
		auth_remember_language(c, c->lang);
		return;
	}
	const char *user = auth_actor_language(c);
	if (user) {
		c->lang = user;
		return;
	}
	const char *ck = http_cookie(c->req, "lang");
	if (ck && (str_eq(ck, "en") || str_eq(ck, "da"))) {
		c->lang = str_eq(ck, "da") ? "da" : "en";
		return;
	}
	const char *al = http_header(c->req, "Accept-Language");
	c->lang = al ? i18n_negotiate(al) : c->app->default_lang;
}

const char *web_query(struct web_ctx *c, const char *name)
{
	/* Several look-ups per request (lang, purpose, break_glass...): decode once. */
	if (c->query_state == 0) {
		size_t bad;
		bool ok = *c->req->query &&
			  form_parse(c->a, c->req->query, strlen(c->req->query), &c->query, &bad) == 0;
		c->query_state = ok ? 1 : -1;
	}
	return c->query_state == 1 ? form_get(&c->query, name) : NULL;
}

static bool body_is_json(struct web_ctx *c)
{
	const char *ct = http_header(c->req, "Content-Type");
	return ct && str_starts_with(ct, "application/json");
}

static json_t *form_to_json(const struct form *f)
{
	json_t *o = json_object();
	for (size_t i = 0; i < f->n; i++)
		if (!json_object_get(o, f->fields[i].name))
			json_object_set_new(o, f->fields[i].name, json_string(f->fields[i].value));
	return o;
}

/* Input is parsed at most once per request and kept in the model under
 * "__input", which is removed before the model is answered. */
json_t *web_input_parsed(struct web_ctx *c)
{
	return c->model ? json_object_get(c->model, "__input") : NULL;
}

void web_set_model(struct web_ctx *c, json_t *m)
{
	json_t *in = web_input_parsed(c);
	if (in)
		json_object_set(m, "__input", in);
	json_decref(c->model);
	c->model = m;
}

int web_input(struct web_ctx *c, json_t **out)
{
	if (!c->model)
		c->model = json_object();
	json_t *in = web_input_parsed(c);
	if (in) {
		*out = in;
		return 0;
	}
	if (body_is_json(c)) {
		json_error_t e;
		in = json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, &e);
		if (!in)
			return web_fail_text(
				c, ERR_INVALID, NULL,
				arena_printf(c->a, "%s (line %d, column %d, position %d): %s",
					     web_t(c, N_("error.bad_json")), e.line, e.column,
					     e.position, e.text));
		if (!json_is_object(in)) {
			json_decref(in);
			return web_fail(c, ERR_INVALID, NULL, N_("error.json_not_object"));
		}
	} else {
		struct form f;
		size_t bad = 0;
		if (form_parse(c->a, c->req->body, c->req->body_len, &f, &bad))
			return web_fail_text(c, ERR_INVALID, NULL,
					     arena_printf(c->a, "%s (position %zu)",
							  web_t(c, N_("error.bad_form")), bad));
		in = form_to_json(&f);
	}
	json_object_set_new(c->model, "__input", in);
	*out = in;
	return 0;
}

const char *web_field(struct web_ctx *c, const char *name)
{
	json_t *in;
	if (web_input(c, &in))
		return NULL;
	json_t *v = json_object_get(in, name);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int web_check_csrf(struct web_ctx *c)
{
	if (!c->csrf)
		return ERR_FORBIDDEN;
	const char *tok = http_header(c->req, "X-CSRF-Token");
	if (!tok && !body_is_json(c))
		tok = web_field(c, "csrf_token");
	if (!tok || !auth_token_equal(tok, c->csrf))
		return web_fail(c, ERR_FORBIDDEN, "csrf_token", N_("error.csrf"));
	return 0;
}

const char *web_local_path(struct web_ctx *c, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!path || path[0] != '/')
		return "/";
	size_t n = strlen(path);
	char *out = arena_alloc(c->a, n * 3 + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)path[i];
		bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			     (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
			     ch == '~' || (ch == '/' && (i != 1)); /* "//host" would leave */
		if (plain) {
			*o++ = (char)ch;
		} else {
			*o++ = '%';
			*o++ = hex[ch >> 4];
			*o++ = hex[ch & 15];
		}
	}
	*o = '\0';
	return out;
}

void web_respond_raw_take(struct web_ctx *c, const char *ctype, char *body, size_t len)
{
	free(c->raw_body);
	c->raw_body = body;
	c->raw_len = len;
	c->raw_type = ctype;
}

void web_respond_raw(struct web_ctx *c, const char *ctype, const char *body, size_t len)
{
	char *p = malloc(len ? len : 1);
	if (!p)
		abort();
	memcpy(p, body, len);
	web_respond_raw_take(c, ctype, p, len);
}

/* The success messages a redirect may carry (?flash=NAME): a fixed list, so
 * a link cannot make a page say anything else. */
static const char *const flashes[] = {"saved", "created", "added", "ended", "withdrawn",
				      "granted", "disabled", "enabled", "deleted"};

static const char *flash_known(const char *name)
{
	for (size_t i = 0; name && i < sizeof flashes / sizeof flashes[0]; i++)
		if (str_eq(name, flashes[i]))
			return flashes[i];
	return NULL;
}

void web_flash(struct web_ctx *c, const char *name)
{
	c->flash = flash_known(name);
}

/* The redirect's address with ?flash=NAME before any #fragment. arena */
static const char *flash_url(struct web_ctx *c, const char *url)
{
	const char *hash = strchr(url, '#');
	int base = hash ? (int)(hash - url) : (int)strlen(url);
	return arena_printf(c->a, "%.*s%sflash=%s%s", base, url,
			    memchr(url, '?', (size_t)base) ? "&" : "?",
			    c->flash ? c->flash : "saved", hash ? hash : "");
}

/* The layout's part of a page model: language, user, menu, CSRF token, the
 * controller's name for the footer, a success message. */
static void set_page_info(struct web_ctx *c, json_t *model, const char *title_key)
{
	json_t *app = auth_page_info(c);
	json_object_set_new(app, "title", json_string(web_t(c, title_key)));
	if (c->app->controller.name && *c->app->controller.name)
		json_object_set_new(app, "controller", json_string(c->app->controller.name));
	const char *flash = c->err ? NULL : flash_known(web_query(c, "flash"));
	if (flash)
		json_object_set_new(app, "flash", json_string(web_t(c, arena_printf(c->a, "flash.%s", flash))));
	json_object_set_new(model, "app", app);
}

/* A page: its template inside the layout. *out: caller releases. */
static int render_page(struct web_ctx *c, const char *tpl, const char *title_key, json_t *model,
		       struct buf *out)
{
	set_page_info(c, model, title_key);
	buf_init(out, HTML_MAX);
	int rc = pages_render(c->app->views, c->app->i18n, tpl, c->lang, model, out);
	if (rc) {
		log_error("render %s: %s", tpl, err_code(rc));
		buf_release(out);
	}
	return rc;
}

static const char html_type[] = "text/html; charset=utf-8";

int web_render_page(struct web_ctx *c, char **html, size_t *len)
{
	struct buf out;
	int rc = render_page(c, c->template, c->title_key, c->model, &out);
	if (rc)
		return rc;
	*html = buf_detach(&out, len);
	return 0;
}

void web_respond_page(struct web_ctx *c, char *html, size_t len)
{
	web_respond_raw_take(c, html_type, html, len);
}

static void respond_json(struct web_ctx *c, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);
	if (!s)
		abort();
	http_resp_take(c->resp, status, "application/json", s, strlen(s));
}

static void respond_html(struct web_ctx *c, int status, const char *tpl, const char *title_key,
			 json_t *model)
{
	struct buf out;
	if (render_page(c, tpl, title_key, model, &out)) {
		http_resp_static(c->resp, 500, "text/plain; charset=utf-8",
				 "Internal error while rendering the page.\n", 41);
		return;
	}
	size_t len;
	char *p = buf_detach(&out, &len);
	http_resp_take(c->resp, status, html_type, p, len);
}

static void respond_error(struct web_ctx *c)
{
	int status = errors_status(c->err);
	const char *msg = c->err_message ? c->err_message : web_t(c, errors_message_key(c->err));
	if (c->want_json) {
		json_t *e = json_pack("{s:s, s:s}", "code", err_code(c->err), "message", msg);
		if (c->err_field)
			json_object_set_new(e, "field", json_string(c->err_field));
		json_t *body = json_pack("{s:o}", "error", e);
		respond_json(c, status, body);
		json_decref(body);
		return;
	}
	/* A page that knows how to show its own error (the login form) does. */
	const char *tpl = c->template && c->err != ERR_NOT_FOUND && c->err != ERR_METHOD
				  ? c->template
				  : "error";
	if (!c->model)
		c->model = json_object();
	/* A page that shows the form again leads with DKFDS's error summary
	 * (the layout; pages.c links it to the field). */
	json_object_set_new(c->model, "error",
			    json_pack("{s:i, s:s, s:s*, s:b}", "status", status, "message", msg,
				      "field", c->err_field, "summary", strcmp(tpl, "error") != 0));
	respond_html(c, status, tpl, strcmp(tpl, "error") ? c->title_key : N_("error.title"),
		     c->model);
}

static void respond(struct web_ctx *c)
{
	/* No answer of ours may be kept by a browser or a proxy: pages and JSON
	 * alike carry a person's data or depend on the session (static files
	 * are answered elsewhere, with their own rule). */
	http_resp_header(c->resp, "Cache-Control", "no-store");
	if (c->err) {
		respond_error(c);
		return;
	}
	if (c->raw_type) {
		http_resp_take(c->resp, c->status, c->raw_type, c->raw_body, c->raw_len);
		c->raw_body = NULL; /* the response owns it now */
		return;
	}
	if (c->redirect && !c->want_json) {
		bool wrote = c->req->method != HTTP_GET && c->req->method != HTTP_HEAD;
		if (wrote && !c->no_flash)
			c->redirect = flash_url(c, c->redirect);
		http_resp_header(c->resp, "Location", c->redirect);
		http_resp_static(c->resp, 303, "text/plain; charset=utf-8", "", 0);
		return;
	}
	if (!c->model)
		c->model = json_object();
	json_object_del(c->model, "__input");
	if (c->want_json || !c->template)
		respond_json(c, c->status, c->model);
	else
		respond_html(c, c->status, c->template, c->title_key, c->model);
}

static void route_and_run(struct web_ctx *c)
{
	unsigned allowed = 0;
	size_t nroutes;
	const struct route *routes = web_route_table(&nroutes);
	int rc = router_match(c->a, routes, nroutes, c->req->method, c->path, &c->match, &allowed);
	if (rc == ERR_METHOD) {
		http_resp_header(c->resp, "Allow", http_methods_str(c->a, allowed));
		web_fail(c, ERR_METHOD, NULL, NULL);
		return;
	}
	if (rc) {
		web_fail(c, ERR_NOT_FOUND, NULL, NULL);
		return;
	}
	const struct route *r = c->match.route;
	if (r->access != ROUTE_PUBLIC && !c->actor) {
		if (!c->want_json) {
			c->redirect = "/login";
			return;
		}
		web_fail(c, ERR_UNAUTHORIZED, NULL, NULL);
		return;
	}
	bool writes = c->req->method != HTTP_GET && c->req->method != HTTP_HEAD;
	if (writes && c->actor && r->access != ROUTE_PUBLIC && web_check_csrf(c))
		return;
	rc = r->fn(c);
	if (rc && !c->err)
		web_fail(c, rc, NULL, NULL);
}

void web_handle(void *ud, struct http_request *req, struct http_response *resp)
{
	if (!req->limit_err && static_serve(req, resp) == 0)
		return;
	struct web_ctx ctx = {.app = ud, .req = req, .resp = resp, .a = req->arena, .status = 200};
	struct web_ctx *c = &ctx;
	c->lang = c->app->default_lang;
	c->path = req->path;
	if (str_starts_with(req->path, API_PREFIX "/")) {
		c->api = true;
		c->path = req->path + strlen(API_PREFIX);
	}
	const char *accept = http_header(req, "Accept");
	/* A client that sends JSON wants JSON back unless it asks for HTML. */
	c->want_json = c->api || negotiate_prefers_json(accept) ||
		       (body_is_json(c) && !(accept && strstr(accept, "text/html")));
	if (req->limit_err) {
		/* The body was not kept (too large), the address is too long or
		 * has a NUL: no handler runs, but the answer has the client's form. */
		if (req->limit_err == ERR_INVALID)
			web_fail(c, ERR_INVALID, "path", N_("error.path_nul"));
		else
			web_fail(c, req->limit_err, NULL, NULL);
	} else if (store_conn_get(c->app->store, &c->db)) {
		web_fail(c, ERR_UNAVAILABLE, NULL, NULL);
	} else {
		int rc = auth_load(c);
		pick_language(c);
		if (rc)
			web_fail(c, rc == ERR_DB ? ERR_UNAVAILABLE : rc, NULL, NULL);
		else
			route_and_run(c);
	}
	if (c->db && store_in_transaction(c->db))
		store_rollback(c->db); /* a handler that failed midway writes nothing */
	if (c->db && c->app->finish)
		c->app->finish(c); /* gate_finish: a refusal on a case route is a security event */
	respond(c);
	/* What this request disclosed is in the audit log before the answer
	 * leaves: the server holds it until the group commit holding its
	 * entries (audit_when_committed). */
	resp->hold = audit_take_mine();
	free(c->raw_body); /* not answered: an error came after it */
	json_decref(c->model);
}
