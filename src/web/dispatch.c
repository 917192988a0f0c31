/* dispatch.c: the dispatcher: static files, routing, session, CSRF, then
 * the handler, then JSON or HTML. */
#include "web/dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/accounts/auth.h"
#include "web/errors.h"
#include "web/negotiate.h"
#include "web/pages.h"
#include "web/static.h"
#include "web/web.h"

#define API_PREFIX "/api/v1"

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

/* The CSRF token of a state-changing request with a session: the
 * X-CSRF-Token header or the csrf_token field. 0 or ERR_FORBIDDEN. */
static int check_csrf(struct web_ctx *c)
{
	if (!c->csrf)
		return ERR_FORBIDDEN;
	const char *tok = http_header(c->req, "X-CSRF-Token");
	if (!tok && !web_body_is_json(c))
		tok = web_field(c, "csrf_token");
	if (!tok || !auth_token_equal(tok, c->csrf))
		return web_fail(c, ERR_FORBIDDEN, "csrf_token", N_("error.csrf"));
	return 0;
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
	if (pages_render_request(c, tpl, title_key, model, &out)) {
		http_resp_static(c->resp, 500, "text/plain; charset=utf-8",
				 "Internal error while rendering the page.\n", 41);
		return;
	}
	size_t len;
	char *p = buf_detach(&out, &len);
	http_resp_take(c->resp, status, PAGES_HTML_TYPE, p, len);
}

static void respond_error(struct web_ctx *c)
{
	int status = errors_status(c->err);
	const char *msg = c->err_message ? c->err_message : web_t(c, errors_message_key(c->err));
	if (c->want_json) {
		json_t *e = json_pack("{s:s, s:s}", "code", err_code(c->err), "message", msg);
		if (c->err_field)
			json_object_set_new(e, "field", json_string(c->err_field));
		if (c->n_err_more) { /* every further field error, as the page lists them */
			json_t *more = json_array();
			for (int i = 0; i < c->n_err_more; i++)
				json_array_append_new(more, json_pack("{s:s?, s:s}", "field",
								      c->err_more[i].field, "message",
								      c->err_more[i].message));
			json_object_set_new(e, "more", more);
		}
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
	json_t *list = json_array(); /* the summary's lines: the first error, then the rest */
	json_array_append_new(list, json_pack("{s:s, s:s*}", "message", msg, "field", c->err_field));
	for (int i = 0; i < c->n_err_more; i++)
		json_array_append_new(list, json_pack("{s:s, s:s*}", "message", c->err_more[i].message,
						      "field", c->err_more[i].field));
	json_object_set_new(c->model, "error",
			    json_pack("{s:i, s:s, s:s*, s:b, s:o}", "status", status, "message", msg,
				      "field", c->err_field, "summary", strcmp(tpl, "error") != 0,
				      "list", list));
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
	if (writes && c->actor && r->access != ROUTE_PUBLIC && check_csrf(c))
		return;
	rc = r->fn(c);
	if (rc && !c->err)
		web_fail(c, rc, NULL, NULL);
	if (c->undeclared_ask && c->app->strict_access) { /* gate_ask refused and logged it */
		c->err = 0;
		web_fail(c, ERR_INTERNAL, NULL, NULL);
	}
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
		       (web_body_is_json(c) && !(accept && strstr(accept, "text/html")));
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
