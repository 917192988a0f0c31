/* field.h: reading one field of a request's input (web_input: a form, a
 * JSON object, or the query), the same way in every module. A form gives
 * strings only; JSON may give numbers and booleans too. */
#ifndef IBBIS_WEB_FIELD_H
#define IBBIS_WEB_FIELD_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct web_ctx;

/* The field as a string ("" included), or NULL when absent or not a
 * string. borrowed from in */
const char *field_str(json_t *in, const char *name);
/* The same with "" counted as absent. borrowed from in */
const char *field_str_set(json_t *in, const char *name);
/* A boolean: JSON true/false, or "true"/"false", "1"/"0", "yes"/"no",
 * "on"/"off". 0; ERR_NOT_FOUND when absent, null or ""; ERR_INVALID for
 * anything else. */
int field_bool(json_t *in, const char *name, bool *out);
/* An integer in [min, max]: a JSON integer or a string of digits. Absent,
 * null or "" is 0 with *present false; ERR_INVALID when present and not
 * an integer in range. */
int field_int(json_t *in, const char *name, long min, long max, long *out, bool *present);
/* A required text: a string, not blank, at most max bytes, valid UTF-8.
 * Otherwise records 400 naming the field with msg_key (web_fail). */
int field_text(struct web_ctx *c, json_t *in, const char *name, size_t max, const char *msg_key,
	       const char **out);

#endif
