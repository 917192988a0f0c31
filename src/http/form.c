/* form.c: the decoder for forms and query strings (outside input: fuzzed). */
#include "http/form.h"

#include <stdbool.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes p[0..n) into a new arena string; returns NULL on a bad escape,
 * with *bad set to the offset of the offending byte. */
static char *decode(struct arena *a, const char *p, size_t n, size_t *bad)
{
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c == '+') {
			out[o++] = ' ';
		} else if (c == '%') {
			bool room = i + 2 < n; /* two hex digits follow */
			int hi = room ? hexval(p[i + 1]) : -1;
			int lo = room ? hexval(p[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				*bad = i;
				return NULL;
			}
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = c;
		}
	}
	out[o] = '\0';
	if (!str_valid_utf8(out, o)) {
		*bad = 0;
		return NULL;
	}
	return out;
}

int form_parse(struct arena *a, const char *s, size_t n, struct form *out, size_t *bad_at)
{
	/* Count real fields: empty ones ("a&&b", a trailing '&') are skipped. */
	size_t cap = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '&' && (i == 0 || s[i - 1] == '&'))
			cap++;
	if (cap > FORM_MAX_FIELDS) {
		*bad_at = 0;
		return ERR_INVALID;
	}
	out->fields = arena_array(a, cap ? cap : 1, sizeof *out->fields);
	out->n = 0;
	size_t start = 0;
	while (start <= n) {
		const char *amp = memchr(s + start, '&', n - start);
		size_t end = amp ? (size_t)(amp - s) : n;
		if (end > start) {
			const char *eq = memchr(s + start, '=', end - start);
			size_t klen = eq ? (size_t)(eq - (s + start)) : end - start;
			size_t bad = 0;
			char *k = decode(a, s + start, klen, &bad);
			char *v = NULL;
			if (k) {
				size_t voff = eq ? start + klen + 1 : end;
				v = decode(a, s + voff, end - voff, &bad);
				if (!v)
					bad += voff;
			} else {
				bad += start;
			}
			if (!k || !v) {
				*bad_at = bad;
				return ERR_INVALID;
			}
			out->fields[out->n].name = k;
			out->fields[out->n].value = v;
			out->n++;
		}
		start = end + 1;
	}
	return 0;
}

const char *form_get(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return f->fields[i].value;
	return NULL;
}
