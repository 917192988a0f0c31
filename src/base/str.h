/* str.h: small string helpers; the checked replacements for atoi & co. */
#ifndef IBBIS_STR_H
#define IBBIS_STR_H

#include <stdbool.h>
#include <stddef.h>

/* Parses all of s (no trailing junk, no empty) as a base-10 integer in
 * [min, max]. Returns 0 or ERR_INVALID; *out untouched on error. */
int str_to_long(const char *s, long min, long max, long *out);
/* Same for a (p, n) slice that is not NUL-terminated. */
int str_to_long_n(const char *p, size_t n, long min, long max, long *out);

bool str_eq(const char *a, const char *b);             /* NULL-safe */
bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
/* Copies at most dstsz-1 bytes and NUL-terminates; returns ERR_TOO_LARGE
 * when truncated. The checked replacement for strcpy. */
int str_copy(char *dst, size_t dstsz, const char *src);
/* Checked snprintf: ERR_TOO_LARGE when the output did not fit. */
int str_fmt(char *dst, size_t dstsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* True when s (n bytes) is valid UTF-8 with no NUL bytes. */
bool str_valid_utf8(const char *s, size_t n);

#endif
