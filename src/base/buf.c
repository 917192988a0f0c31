/* buf.c: the capped string buffer. See buf.h for the invariants. */
#include "base/buf.h"

#include "base/err.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char buf_empty[1]; /* shared "" for a buf with no allocation yet */

/* The invariants of buf.h. */
static bool buf_ok(const struct buf *b)
{
	bool shape = b->cap ? b->len < b->cap : b->data == buf_empty && b->len == 0;
	return b->data && shape && b->len <= b->max && b->data[b->len] == '\0' &&
	       (b->err == 0 || b->err == ERR_TOO_LARGE);
}

void buf_init(struct buf *b, size_t max)
{
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : BUF_MAX_DEFAULT;
	b->err = 0;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	assert(buf_ok(b));
	b->len = 0;
	b->err = 0;
	if (b->cap)
		b->data[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
	assert(buf_ok(b));
	char *p;
	if (b->cap) {
		p = b->data;
	} else {
		p = malloc(1);
		if (!p)
			abort();
		p[0] = '\0';
	}
	if (len)
		*len = b->len;
	buf_init(b, b->max);
	return p;
}

/* Makes room for n more bytes plus the NUL, or fails without change. */
static int buf_grow(struct buf *b, size_t n)
{
	assert(buf_ok(b));
	if (b->err)
		return b->err;
	if (n > b->max - b->len) {
		b->err = ERR_TOO_LARGE;
		return b->err;
	}
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->cap ? b->data : NULL, cap);
	if (!p) {
		fputs("ibbis: out of memory\n", stderr);
		abort();
	}
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
	int rc = buf_grow(b, n);
	if (rc)
		return rc;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	assert(buf_ok(b));
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return ERR_INVALID;
	int rc = buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	assert(buf_ok(b));
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

/* The escapers append in pieces; on overflow they put len back, so that
 * an append that fails leaves nothing behind (the buf.h invariant). */
static int buf_undo(struct buf *b, size_t len0, int rc)
{
	if (rc && b->cap) {
		b->len = len0;
		b->data[len0] = '\0';
	}
	assert(buf_ok(b));
	return rc;
}

int buf_append_html(struct buf *b, const char *s, size_t n)
{
	size_t len0 = b->len;
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	return buf_undo(b, len0, buf_append(b, s + start, n - start));
}

int buf_append_json_str(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t len0 = b->len;
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 2;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
		} else if (c == '\n') {
			esc[0] = '\\';
			esc[1] = 'n';
		} else if (c < 0x20 || c == '<') {
			/* '<' escaped so JSON in a page can never close a tag */
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		} else {
			continue;
		}
		buf_append(b, s + start, i - start);
		buf_append(b, esc, elen);
		start = i + 1;
	}
	return buf_undo(b, len0, buf_append(b, s + start, n - start));
}
