/* str.c: checked conversions and small helpers. */
#include "base/str.h"

#include "base/err.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int str_to_long_n(const char *p, size_t n, long min, long max, long *out)
{
	char tmp[32];
	if (n == 0 || n >= sizeof tmp)
		return ERR_INVALID;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return str_to_long(tmp, min, max, out);
}

int str_to_long(const char *s, long min, long max, long *out)
{
	if (!s || !*s)
		return ERR_INVALID;
	/* strtol accepts leading space and '+'; we do not. */
	if (!(*s == '-' || (*s >= '0' && *s <= '9')))
		return ERR_INVALID;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end != '\0' || end == s || v < min || v > max)
		return ERR_INVALID;
	*out = v;
	return 0;
}

bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int str_copy(char *dst, size_t dstsz, const char *src)
{
	if (dstsz == 0)
		return ERR_TOO_LARGE;
	size_t n = strlen(src);
	int rc = 0;
	if (n >= dstsz) {
		n = dstsz - 1;
		rc = ERR_TOO_LARGE;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
	return rc;
}

int str_fmt(char *dst, size_t dstsz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(dst, dstsz, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= dstsz)
		return ERR_TOO_LARGE;
	return 0;
}

bool str_valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		size_t k;
		unsigned min;
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1;
			min = 0x80;
			c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2;
			min = 0x800;
			c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3;
			min = 0x10000;
			c &= 0x07;
		} else {
			return false;
		}
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (p[i + j] & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (p[i + j] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}
