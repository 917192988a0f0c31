/* web.h: the web layer: one handler, two representations.
 *
 * A handler fills c->model (a jansson object) and names a template. The
 * dispatcher (web/dispatch.h) answers JSON for /api/v1/... paths and for requests whose
 * Accept prefers application/json, and otherwise renders the template inside
 * the layout. Errors go through web_fail so both forms carry the same code,
 * message and field. */
#ifndef IBBIS_WEB_H
#define IBBIS_WEB_H

#include <stdbool.h>

#include <jansson.h>

#include "http/form.h"
#include "http/http.h"
#include "web/router.h"

struct store;
struct store_conn;
struct i18n;
struct view;
struct actor;
struct case_ref;
struct mail_cfg;

/* Process-wide, read-only once serving starts. */
struct pagecache;

struct web_app {
	struct store *store;   /* borrowed */
	struct i18n *i18n;     /* borrowed */
	struct view *views;    /* borrowed: compiled templates */
	const char *default_lang;
	int idle_timeout_s;
	int session_lifetime_s; /* --session-lifetime: a session ends this long after login */
	bool test_endpoints;   /* IBBIS_TEST_SLOW=1: /__test/slow */
	bool strict_access;    /* IBBIS_STRICT_ACCESS=1 (the tests): a question about a
				* category the route does not declare answers 500 */
	bool secure_cookies;   /* behind TLS: add Secure */
	struct pagecache *pages; /* borrowed: cached answers, NULL when off */
	struct {                 /* the data controller (serve's flags), for /privacy */
		const char *name, *address, *email, *phone, *dpo_email; /* static; "" when unset */
	} controller;
	const struct mail_cfg *mail; /* borrowed: the sender's settings (web/messages/mail.h) */
	/* Called after the handler once its transaction has ended, before the
	 * answer (gate_finish: break-glass flags, refusals' audit entries). */
	void (*finish)(struct web_ctx *c);
};

#define WEB_ERR_MORE 8

struct web_ctx {
	struct web_app *app;         /* borrowed */
	struct http_request *req;    /* borrowed */
	struct http_response *resp;  /* borrowed */
	struct arena *a;             /* borrowed: the request arena */
	struct route_match match;
	struct store_conn *db;       /* borrowed: this thread's connection */
	struct actor *actor;         /* arena; NULL when not logged in */
	const char *session_token;   /* arena; the raw cookie value when valid */
	const char *csrf;            /* arena; the session's CSRF token */
	const char *lang;            /* static: "en" or "da" */
	bool api;                    /* path was under /api/v1 */
	bool want_json;
	const char *path;            /* arena: path without /api/v1 */
	struct form query;           /* arena: the query string, decoded once */
	int query_state;             /* 0 not decoded yet, 1 decoded, -1 malformed */
	int64_t case_id;             /* the case a gate opened (for a refusal's entry), or 0 */
	struct case_ref *break_glass_case; /* arena: a break-glass opening to flag after the
					    * handler's transaction (gate_break_glass), or NULL */
	const char *break_glass_reason;    /* arena: its reason */
	bool undeclared_ask;         /* gate_ask refused (and logged) a question about a
				      * category the route does not declare */

	/* result */
	int status;                  /* 200 unless set */
	json_t *model;               /* owned; decref'd after the response */
	const char *template;        /* static: template name, e.g. "home" */
	const char *title_key;       /* static: catalogue key for <title> */
	const char *redirect;        /* arena/static: answer 303 to this (HTML only) */
	const char *flash;           /* static: the success message the redirect's page
				      * shows, "flash.NAME" (web_flash); NULL: "saved" */
	bool no_flash;               /* a redirect after a write that saves nothing (login) */
	const char *raw_type;        /* static: answer raw_body with this type, or NULL */
	char *raw_body;              /* heap, owned: set by web_respond_raw */
	size_t raw_len;

	/* error detail (web_fail) */
	int err;
	const char *err_field;   /* arena/static or NULL */
	const char *err_message; /* arena/static: in the user's language */
	/* the form's further errors after the first (web_fail_more), so the
	 * error summary lists every one */
	struct {
		const char *field, *message; /* arena/static */
	} err_more[WEB_ERR_MORE];
	int n_err_more;
};

/* Records an error; returns err so handlers can `return web_fail(...)`.
 * msg_key is a catalogue key (N_("...")); field may be NULL. */
int web_fail(struct web_ctx *c, int err, const char *field, const char *msg_key);
/* A form's validation that checks every field: the first failure is
 * recorded as web_fail does, each later one (a different field) is added
 * to the list the error summary shows (at most WEB_ERR_MORE more). Returns
 * the recorded error. Check c->err after the last field. */
int web_fail_more(struct web_ctx *c, int err, const char *field, const char *msg_key);
/* Same with a message already written (for positions in broken JSON). */
int web_fail_text(struct web_ctx *c, int err, const char *field, const char *message);

/* The request's input, decoded once: a form body, a JSON body (as an object
 * of strings/numbers), or the query string. Returns 0 or ERR_INVALID (and
 * records the error with the field or position). */
int web_input(struct web_ctx *c, json_t **out); /* borrowed from ctx */
const char *web_query(struct web_ctx *c, const char *name); /* arena or NULL */
/* The input web_input parsed already, or NULL: never parses. borrowed */
json_t *web_input_parsed(struct web_ctx *c);
/* Replaces c->model with m (stolen), keeping the parsed input. */
void web_set_model(struct web_ctx *c, json_t *m);
/* Merges obj's keys (obj stolen) into c->model, which may already hold the
 * parsed input; starts the model when there is none. */
void web_model_merge(struct web_ctx *c, json_t *obj);
/* A string field from the input, or NULL. */
const char *web_field(struct web_ctx *c, const char *name);

/* Answers body (copied) as it is, with this content type, instead of JSON
 * or HTML (the iCalendar feed). An error recorded afterwards still wins. */
void web_respond_raw(struct web_ctx *c, const char *ctype, const char *body, size_t len);
/* The same, taking body (heap) instead of copying it. */
void web_respond_raw_take(struct web_ctx *c, const char *ctype, char *body, size_t len);
/* A request path made safe to put in a link on this site: always one
 * leading '/', never "//host" (a decoded "/%2Fevil.example" stays local),
 * and every byte outside A-Z a-z 0-9 - . _ ~ / percent-encoded, so no '?',
 * '#', '\\' or quote reaches the link. "/" for NULL or a relative path. arena */
const char *web_local_path(struct web_ctx *c, const char *path);
/* Pages rendered ahead of the answer: web_render_page, web_respond_page in
 * web/pages.h. */

/* The success message the page a form's redirect lands on shows (a DKFDS
 * success alert): every HTML write that redirects says "saved" unless told
 * otherwise. name is one of web.c's known messages ("withdrawn" ...). */
void web_flash(struct web_ctx *c, const char *name);

/* Translation in the request's language. */
const char *web_t(struct web_ctx *c, const char *key); /* static */

/* Adds a Set-Cookie header (value and attributes in the arena). */
void web_set_cookie(struct web_ctx *c, const char *name, const char *value, int max_age);

/* True when the request's body is JSON (by its Content-Type). */
bool web_body_is_json(struct web_ctx *c);
/* A multipart/form-data body (a form that uploads a file): web_input gives
 * its fields, a file's bytes as a string that may hold any byte. */
bool web_body_is_multipart(struct web_ctx *c);

/* The route table (web/routes.c), built once from the modules' groups. */
const struct route *web_route_table(size_t *n);

#endif
