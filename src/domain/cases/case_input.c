/* case_input.c: field readers with errors that name the field. */
#include "domain/cases/case_input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"

int in_fail(struct in_ctx *x, const char *field, const char *key)
{
	x->fe->field = field;
	x->fe->key = key;
	return ERR_INVALID;
}

const char *in_path(struct in_ctx *x, const char *pfx, int i, const char *name)
{
	if (!pfx)
		return name;
	if (!name)
		return arena_printf(x->a, "%s[%d]", pfx, i);
	return arena_printf(x->a, "%s[%d].%s", pfx, i, name);
}

bool in_has(json_t *o, const char *name)
{
	return json_object_get(o, name) != NULL;
}

/* NULL member, JSON null, or "" (forms send empty fields). */
static bool is_empty(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

/* 1 when the value is absent and that is allowed, 0 to go on, <0 error. */
static int absent(struct in_ctx *x, json_t *v, const char *field, unsigned flags,
		  const char *key)
{
	if (!is_empty(v))
		return 0;
	if (flags & IN_REQUIRED)
		return in_fail(x, field, key);
	return 1; /* an optional field: null or "" means "not given" */
}

int in_text(struct in_ctx *x, json_t *o, const char *name, const char *field, unsigned flags,
	    size_t max, const char *key, const char **out)
{
	json_t *v = json_object_get(o, name);
	*out = NULL;
	int rc = absent(x, v, field, flags, key);
	if (rc)
		return rc < 0 ? rc : 0;
	if (!json_is_string(v))
		return in_fail(x, field, key);
	size_t n = json_string_length(v);
	const char *s = json_string_value(v);
	if (n > max || !str_valid_utf8(s, n))
		return in_fail(x, field, key);
	*out = s;
	return 0;
}

int in_date(struct in_ctx *x, json_t *o, const char *name, const char *field, unsigned flags,
	    const char *key, const char **out, day_t *d)
{
	int rc = in_text(x, o, name, field, flags, 10, key, out);
	if (rc || !*out)
		return rc;
	day_t dd;
	if (date_parse(*out, &dd))
		return in_fail(x, field, key);
	if (d)
		*d = dd;
	return 0;
}

int in_id(struct in_ctx *x, json_t *o, const char *name, const char *field, unsigned flags,
	  const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, name);
	*out = 0;
	int rc = absent(x, v, field, flags, key);
	if (rc)
		return rc < 0 ? rc : 0;
	long n;
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (i < 1 || i > 0x7fffffffffffLL)
			return in_fail(x, field, key);
		*out = i;
		return 0;
	}
	if (!json_is_string(v) || str_to_long(json_string_value(v), 1, 0x7fffffffL, &n))
		return in_fail(x, field, key);
	*out = n;
	return 0;
}

int in_real(struct in_ctx *x, json_t *o, const char *name, const char *field, const char *key,
	    double *out, bool *present)
{
	json_t *v = json_object_get(o, name);
	*present = false;
	if (is_empty(v))
		return 0;
	double d;
	if (json_is_number(v)) {
		d = json_number_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end = NULL;
		d = strtod(s, &end);
		if (end == s || *end)
			return in_fail(x, field, key);
	} else {
		return in_fail(x, field, key);
	}
	if (!isfinite(d))
		return in_fail(x, field, key);
	*out = d;
	*present = true;
	return 0;
}

int in_bool(struct in_ctx *x, json_t *o, const char *name, const char *field, const char *key,
	    bool *out, bool *present)
{
	json_t *v = json_object_get(o, name);
	*present = false;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (str_eq(s, "true") || str_eq(s, "1") || str_eq(s, "on"))
			*out = true;
		else if (str_eq(s, "false") || str_eq(s, "0") || str_eq(s, ""))
			*out = false;
		else
			return in_fail(x, field, key);
	} else {
		return in_fail(x, field, key);
	}
	*present = true;
	return 0;
}

int in_array(struct in_ctx *x, json_t *o, const char *name, const char *key, json_t **out)
{
	json_t *v = json_object_get(o, name);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return in_fail(x, name, key);
	*out = v;
	return 0;
}
