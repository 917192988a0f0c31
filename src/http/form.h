/* form.h: application/x-www-form-urlencoded and query-string decoding. */
#ifndef IBBIS_FORM_H
#define IBBIS_FORM_H

#include <stddef.h>

#include "base/arena.h"

#define FORM_MAX_FIELDS 256

struct form_field {
	const char *name;  /* arena, decoded */
	const char *value; /* arena, decoded */
};

struct form {
	struct form_field *fields; /* arena */
	size_t n;
};

/* Decodes s (n bytes). '+' is a space, %XX a byte. Fails with ERR_INVALID on
 * a bad escape, on a decoded NUL or invalid UTF-8, or on more than
 * FORM_MAX_FIELDS fields; *bad_at then holds the byte offset. */
int form_parse(struct arena *a, const char *s, size_t n, struct form *out, size_t *bad_at);
/* The first value of name, or NULL. */
const char *form_get(const struct form *f, const char *name); /* arena */

#endif
