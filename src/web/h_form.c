/* h_form.c: a failed form keeps what was typed (h_form_int.h). */
#include "web/h_form_int.h"

#include <stdbool.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/session.h"
#include "domain/accounts/token.h"
#include "store/store.h"
#include "web/field.h"
#include "web/web.h"

/* Never sent back: the CSRF token and any password. */
static bool secret(const char *name)
{
	return str_eq(name, "csrf_token") || strstr(name, "password") || name[0] == '_';
}

/* A string, or an integer written into num; NULL for anything else. */
static const char *as_text(json_t *x, char num[32])
{
	if (json_is_string(x))
		return json_string_value(x);
	if (json_is_integer(x) && str_fmt(num, 32, "%lld", (long long)json_integer_value(x)) == 0)
		return num;
	return NULL;
}

static bool form_error(const struct web_ctx *c)
{
	return !c->want_json && (c->err == ERR_INVALID || c->err == ERR_CONFLICT);
}

void form_keep(struct web_ctx *c, const char *name)
{
	json_t *in = web_input_parsed(c);
	if (!form_error(c) || !json_is_object(in))
		return;
	json_t *v = json_object(), *is = json_object(), *bad = json_object();
	const char *k;
	json_t *x;
	json_object_foreach(in, k, x)
	{
		if (secret(k))
			continue;
		char num[32];
		const char *s = as_text(x, num);
		if (!s)
			continue;
		json_object_set_new(v, k, json_string(s));
		json_object_set_new(is, k, json_pack("{s:b}", s, 1));
	}
	json_t *msg = json_object(); /* each bad field's own message */
	if (c->err_field) {
		json_object_set_new(bad, c->err_field, json_true());
		json_object_set_new(msg, c->err_field, json_string(c->err_message ? c->err_message : ""));
	}
	for (int i = 0; i < c->n_err_more; i++)
		if (c->err_more[i].field) {
			json_object_set_new(bad, c->err_more[i].field, json_true());
			json_object_set_new(msg, c->err_more[i].field,
					    json_string(c->err_more[i].message));
		}
	json_t *kept = json_object_get(c->model, "kept");
	if (!json_is_object(kept)) {
		kept = json_object();
		json_object_set_new(c->model, "kept", kept);
	}
	json_object_set_new(kept, name, json_pack("{s:o, s:o, s:o, s:o}", "v", v, "is", is, "bad", bad,
						  "msg", msg));
}

void form_mark(json_t *list, const char *key, const char *value, const char *flag)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		char num[32];
		const char *s = as_text(json_object_get(o, key), num);
		json_object_set_new(o, flag, json_boolean(value && s && str_eq(s, value)));
	}
}

const char *form_typed(struct web_ctx *c, const char *field)
{
	return field_str(web_input_parsed(c), field);
}

int form_again(struct web_ctx *c, int err, const char *name, int (*page)(struct web_ctx *c))
{
	if (!err || !form_error(c))
		return err;
	int e = c->err;
	const char *field = c->err_field, *msg = c->err_message;
	store_rollback(c->db); /* the failed write leaves nothing behind */
	c->err = 0;
	int rc = page(c);
	store_rollback(c->db);
	if (rc || c->err)
		c->template = NULL; /* the error page alone */
	c->err = e, c->err_field = field, c->err_message = msg;
	if (!rc)
		form_keep(c, name);
	return err;
}

void form_pre_token(struct web_ctx *c, const char *cookie)
{
	if (!c->model)
		c->model = json_object();
	const char *ck = http_cookie(c->req, cookie);
	if (ck && strlen(ck) == 32 && token_is_hex(ck, 32)) {
		json_object_set_new(c->model, "form_csrf", json_string(ck));
		return;
	}
	char hex[33];
	token_random_hex(hex, 16);
	web_set_cookie(c, cookie, arena_strdup(c->a, hex), 3600);
	json_object_set_new(c->model, "form_csrf", json_string(hex));
}

bool form_pre_token_ok(struct web_ctx *c, const char *cookie)
{
	const char *ct = http_header(c->req, "Content-Type");
	if (ct && str_starts_with(ct, "application/json"))
		return true;
	const char *ck = http_cookie(c->req, cookie);
	const char *f = web_field(c, "csrf_token");
	return ck && f && session_csrf_equal(ck, f);
}
