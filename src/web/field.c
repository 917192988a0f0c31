/* field.c: one set of input field readers for every module (field.h). */
#include "web/field.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "web/web.h"

const char *field_str(json_t *in, const char *name)
{
	json_t *v = json_object_get(in, name);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *field_str_set(json_t *in, const char *name)
{
	const char *s = field_str(in, name);
	return s && *s ? s : NULL;
}

/* Absent, null or "": a field the input leaves out. */
static bool unset(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v));
}

int field_bool(json_t *in, const char *name, bool *out)
{
	static const char *const yes[] = {"true", "1", "yes", "on"};
	static const char *const no[] = {"false", "0", "no", "off"};
	json_t *v = json_object_get(in, name);
	if (unset(v))
		return ERR_NOT_FOUND;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return 0;
	}
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	for (size_t i = 0; s && i < sizeof yes / sizeof yes[0]; i++) {
		if (str_eq(s, yes[i]) || str_eq(s, no[i])) {
			*out = str_eq(s, yes[i]);
			return 0;
		}
	}
	return ERR_INVALID;
}

int field_int(json_t *in, const char *name, long min, long max, long *out, bool *present)
{
	json_t *v = json_object_get(in, name);
	*present = false;
	if (unset(v))
		return 0;
	*present = true;
	if (json_is_integer(v)) {
		json_int_t j = json_integer_value(v);
		if (j < min || j > max)
			return ERR_INVALID;
		*out = (long)j;
		return 0;
	}
	long x;
	if (!json_is_string(v) || str_to_long(json_string_value(v), min, max, &x))
		return ERR_INVALID;
	*out = x;
	return 0;
}

int field_text(struct web_ctx *c, json_t *in, const char *name, size_t max, const char *msg_key,
	       const char **out)
{
	const char *s = field_str(in, name);
	size_t n = s ? strlen(s) : 0;
	bool blank = true;
	for (size_t i = 0; i < n && blank; i++)
		blank = s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n';
	if (!s || blank || n > max || !str_valid_utf8(s, n))
		return web_fail(c, ERR_INVALID, name, msg_key);
	*out = s;
	return 0;
}
