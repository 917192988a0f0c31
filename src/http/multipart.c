/* multipart.c: multipart/form-data bodies (RFC 7578), for forms that
 * upload a file. */
#include "http/multipart.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"

/* The boundary parameter of a Content-Type, quoted or not; NULL if none. */
static const char *boundary_of(struct arena *a, const char *ctype)
{
	const char *p = ctype ? strstr(ctype, "boundary=") : NULL;
	if (!p)
		return NULL;
	p += strlen("boundary=");
	size_t n;
	if (*p == '"') {
		p++;
		const char *q = strchr(p, '"');
		if (!q)
			return NULL;
		n = (size_t)(q - p);
	} else {
		n = strcspn(p, "; \t");
	}
	if (n == 0 || n > 70)
		return NULL;
	char *b = arena_alloc(a, n + 3);
	memcpy(b, "--", 2);
	memcpy(b + 2, p, n);
	return b;
}

/* The value of param (name or filename) in a Content-Disposition line
 * (hdr, n bytes), quoted; NULL if absent. */
static const char *param(struct arena *a, const char *hdr, size_t n, const char *name)
{
	size_t ln = strlen(name);
	for (size_t i = 0; i + ln + 2 < n; i++) {
		if ((i == 0 || hdr[i - 1] == ' ' || hdr[i - 1] == ';') &&
		    memcmp(hdr + i, name, ln) == 0 && hdr[i + ln] == '=' && hdr[i + ln + 1] == '"') {
			const char *v = hdr + i + ln + 2;
			const char *q = memchr(v, '"', n - (size_t)(v - hdr));
			if (!q)
				return NULL;
			char *out = arena_alloc(a, (size_t)(q - v) + 1);
			memcpy(out, v, (size_t)(q - v));
			return out;
		}
	}
	return NULL;
}

/* Reads one part's headers [h, end): its name and filename. */
static int part_headers(struct arena *a, const char *h, const char *end, struct mp_part *p)
{
	while (h < end) {
		const char *eol = memmem(h, (size_t)(end - h), "\r\n", 2);
		size_t n = eol ? (size_t)(eol - h) : (size_t)(end - h);
		static const char cd[] = "content-disposition:";
		if (n >= sizeof cd - 1 && strncasecmp(h, cd, sizeof cd - 1) == 0) {
			p->name = param(a, h, n, "name");
			p->filename = param(a, h, n, "filename");
		}
		h += n + (eol ? 2 : 0);
	}
	return p->name ? 0 : ERR_INVALID;
}

int multipart_parse(struct arena *a, const char *ctype, const char *body, size_t n,
		    struct mp_part **parts, size_t *nparts, size_t *bad_at)
{
	const char *delim = boundary_of(a, ctype);
	*parts = NULL;
	*nparts = 0;
	*bad_at = 0;
	if (!delim)
		return ERR_INVALID;
	size_t dl = strlen(delim), cap = 0;
	const char *end = body + n;
	const char *p = memmem(body, n, delim, dl);
	while (p) {
		p += dl;
		*bad_at = (size_t)(p - body);
		if (end - p >= 2 && memcmp(p, "--", 2) == 0)
			return 0; /* the closing delimiter */
		if (end - p < 2 || memcmp(p, "\r\n", 2) != 0)
			return ERR_INVALID;
		p += 2;
		const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hend || *nparts >= MULTIPART_MAX_PARTS)
			return ERR_INVALID;
		struct mp_part part = {0};
		if (part_headers(a, p, hend, &part))
			return ERR_INVALID;
		const char *data = hend + 4;
		/* The part ends at CRLF and the next delimiter. */
		const char *next = data;
		for (;;) {
			next = memmem(next, (size_t)(end - next), delim, dl);
			if (!next)
				return ERR_INVALID;
			if (next - data >= 2 && memcmp(next - 2, "\r\n", 2) == 0)
				break;
			next++;
		}
		part.data = data;
		part.len = (size_t)(next - 2 - data);
		ARENA_RESERVE(a, *parts, *nparts, cap);
		(*parts)[(*nparts)++] = part;
		p = next;
	}
	return ERR_INVALID;
}
