/* web.c: what a handler does with its request: input, query, errors,
 * cookies, translations, a raw answer. The dispatcher is dispatch.c; pages
 * (and their success messages) are pages.c. */
#include "web/web.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "http/multipart.h"
#include "view/i18n.h"
#include "web/errors.h"

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

int web_fail_more(struct web_ctx *c, int err, const char *field, const char *msg_key)
{
	if (!c->err)
		return web_fail(c, err, field, msg_key);
	if (str_eq(field, c->err_field) || c->n_err_more >= WEB_ERR_MORE)
		return c->err;
	for (int i = 0; i < c->n_err_more; i++)
		if (str_eq(field, c->err_more[i].field))
			return c->err;
	c->err_more[c->n_err_more].field = field;
	c->err_more[c->n_err_more++].message = web_t(c, msg_key ? msg_key : errors_message_key(err));
	return c->err;
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

bool web_body_is_json(struct web_ctx *c)
{
	const char *ct = http_header(c->req, "Content-Type");
	return ct && str_starts_with(ct, "application/json");
}

bool web_body_is_multipart(struct web_ctx *c)
{
	const char *ct = http_header(c->req, "Content-Type");
	return ct && str_starts_with(ct, "multipart/form-data");
}

/* A multipart form as an object: plain fields as text (UTF-8, no NUL),
 * a file's bytes as they are (read them with json_string_length).
 * NULL after recording the error. */
static json_t *multipart_to_json(struct web_ctx *c)
{
	struct mp_part *p;
	size_t n, bad = 0;
	if (multipart_parse(c->a, http_header(c->req, "Content-Type"), c->req->body,
			    c->req->body_len, &p, &n, &bad)) {
		web_fail_text(c, ERR_INVALID, NULL,
			      arena_printf(c->a, "%s (position %zu)", web_t(c, N_("error.bad_form")),
					   bad));
		return NULL;
	}
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		bool text = !p[i].filename;
		if (text && (!str_valid_utf8(p[i].data, p[i].len) || memchr(p[i].data, 0, p[i].len))) {
			json_decref(o);
			web_fail_text(c, ERR_INVALID, p[i].name,
				      web_t(c, N_("error.bad_form")));
			return NULL;
		}
		if (!json_object_get(o, p[i].name))
			json_object_set_new(o, p[i].name,
					    text ? json_stringn(p[i].data, p[i].len)
						 : json_stringn_nocheck(p[i].data, p[i].len));
	}
	return o;
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

void web_model_merge(struct web_ctx *c, json_t *obj)
{
	if (!c->model)
		c->model = json_object();
	json_object_update(c->model, obj);
	json_decref(obj);
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
	if (web_body_is_json(c)) {
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
	} else if (web_body_is_multipart(c)) {
		if (!(in = multipart_to_json(c)))
			return ERR_INVALID;
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

