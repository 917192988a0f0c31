/* multipart.h: multipart/form-data bodies (RFC 7578): the parts of a form
 * that uploads a file. */
#ifndef IBBIS_MULTIPART_H
#define IBBIS_MULTIPART_H

#include <stddef.h>

#include "base/arena.h"

#define MULTIPART_MAX_PARTS 64

struct mp_part {
	const char *name;     /* arena: the form field */
	const char *filename; /* arena, or NULL for a plain field */
	const char *data;     /* borrowed from the body: the bytes as sent */
	size_t len;
};

/* Splits body (n bytes) by the boundary of ctype (the Content-Type). 0 with
 * *parts (arena) and *nparts; ERR_INVALID for a missing boundary, a part
 * without a name or a broken frame (*bad_at: the byte offset reached). The
 * parts' bytes are not checked: that is the reader's. */
int multipart_parse(struct arena *a, const char *ctype, const char *body, size_t n,
		    struct mp_part **parts, size_t *nparts, size_t *bad_at);

#endif
