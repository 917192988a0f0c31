/* case_input.h: reading validated fields out of a request's JSON object
 * (a JSON body, or a form whose values are all strings), for the teams and
 * cases modules. Every failure names the field (a path such as
 * "absences[1].to") and the catalogue key of the message, so the web layer
 * can answer 400 with both, and nothing is written. */
#ifndef IBBIS_CASE_INPUT_H
#define IBBIS_CASE_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"

struct arena;

struct field_err {
	const char *field; /* arena/static; NULL when the error is not a field's */
	const char *key;   /* static: catalogue key of the message */
};

struct in_ctx {
	struct arena *a;      /* borrowed: the request arena */
	struct field_err *fe; /* borrowed: filled on failure */
};

enum in_flags {
	IN_OPTIONAL = 0,
	IN_REQUIRED = 1, /* missing (or "" in a form) is an error */
	IN_NULLABLE = 2, /* JSON null (and "" from a form) gives NULL, not an error */
};

/* Records the failure; returns ERR_INVALID. */
int in_fail(struct in_ctx *x, const char *field, const char *key);
/* "pfx[i].name" in the arena (pfx NULL: just name). */
const char *in_path(struct in_ctx *x, const char *pfx, int i, const char *name);

/* Whether the object has the member (null counts). */
bool in_has(json_t *o, const char *name);
/* A string of at most max bytes of valid UTF-8; *out borrowed from o, NULL
 * when absent (or null with IN_NULLABLE). Surrounding blanks are kept. */
int in_text(struct in_ctx *x, json_t *o, const char *name, const char *field, unsigned flags,
	    size_t max, const char *key, const char **out);
/* A strict YYYY-MM-DD date; *out as in_text, *d the day (may be NULL). */
int in_date(struct in_ctx *x, json_t *o, const char *name, const char *field, unsigned flags,
	    const char *key, const char **out, day_t *d);
/* A positive id: a JSON integer or a string of digits. 0 when absent. */
int in_id(struct in_ctx *x, json_t *o, const char *name, const char *field, unsigned flags,
	  const char *key, int64_t *out);
/* A number (JSON number or numeric string); *present tells if given. */
int in_real(struct in_ctx *x, json_t *o, const char *name, const char *field, const char *key,
	    double *out, bool *present);
/* A boolean: JSON true/false or the strings "true"/"false"/"1"/"0"/"on". */
int in_bool(struct in_ctx *x, json_t *o, const char *name, const char *field, const char *key,
	    bool *out, bool *present);
/* A member that must be an array when present; NULL when absent or null. */
int in_array(struct in_ctx *x, json_t *o, const char *name, const char *key, json_t **out);

#endif
