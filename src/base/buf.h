/* buf.h: the one growable string buffer, with a size cap.
 *
 * Anything built from outside input goes through a buf, so that no input
 * can make us grow without bound.
 *
 * Invariants (like git's strbuf; asserted in buf.c):
 *  - after buf_init, data is never NULL and data[len] == '\0';
 *  - len <= max always; an append that would pass max appends nothing,
 *    sets err = ERR_TOO_LARGE and returns it; err is sticky until buf_reset;
 *  - cap == 0 until the first append: data is then a shared static "" that
 *    is never written or freed, and len == 0; after it, data is heap memory
 *    of cap bytes (cap > len) owned by the buf until buf_detach hands it
 *    over (always as heap memory, "" included).
 */
#ifndef IBBIS_BUF_H
#define IBBIS_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define BUF_MAX_DEFAULT ((size_t)64 << 20)

struct buf {
	char *data; /* owned; NUL-terminated */
	size_t len;
	size_t cap; /* bytes allocated for data, > len; 0: data is the shared "" */
	size_t max; /* the cap on len */
	int err;    /* 0 or ERR_TOO_LARGE (sticky) */
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);                 /* frees data; the buf is empty again (same max) */
void buf_reset(struct buf *b);                   /* len = 0, err = 0; keeps memory */
char *buf_detach(struct buf *b, size_t *len);    /* caller frees; buf is re-inited empty */

int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s with & < > " ' escaped for HTML text and attributes. */
int buf_append_html(struct buf *b, const char *s, size_t n);
/* Appends s with JSON string escaping (no surrounding quotes). */
int buf_append_json_str(struct buf *b, const char *s, size_t n);

#endif
