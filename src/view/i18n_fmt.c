/* i18n_fmt.c: language negotiation, long dates, and placeholder messages. */
#include "view/i18n.h"

#include "base/err.h"
#include "base/str.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

static const char *const months_en[12] = {"January", "February", "March",     "April",
					  "May",     "June",     "July",      "August",
					  "September", "October", "November", "December"};
static const char *const months_da[12] = {"januar", "februar", "marts",     "april",
					  "maj",    "juni",    "juli",      "august",
					  "september", "oktober", "november", "december"};

int i18n_date_str(const char *lang, day_t d, char *dst, size_t dstsz)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	if (lang && strcmp(lang, "da") == 0)
		return str_fmt(dst, dstsz, "%d. %s %d", dd, months_da[m - 1], y);
	return str_fmt(dst, dstsz, "%d %s %d", dd, months_en[m - 1], y);
}

int i18n_format_date(const char *lang, day_t d, struct buf *out)
{
	char tmp[64];
	int rc = i18n_date_str(lang, d, tmp, sizeof tmp);
	return rc ? rc : buf_puts(out, tmp);
}

/* q-value "1", "1.0", "0.5", "0.125" as thousandths; -1 when malformed. */
static int parse_q(const char *s, size_t n)
{
	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	int q = (s[0] - '0') * 1000, scale = 100;
	if (n == 1)
		return q;
	if (s[1] != '.' || n > 5)
		return -1;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* One "tag;q=0.8" item: its primary subtag and q (thousandths). */
static void parse_item(const char *s, size_t n, const char **tag, size_t *tlen, int *q)
{
	const char *semi = memchr(s, ';', n);
	*tag = s;
	*tlen = semi ? (size_t)(semi - s) : n;
	trim(tag, tlen);
	const char *dash = memchr(*tag, '-', *tlen);
	if (dash)
		*tlen = (size_t)(dash - *tag);
	*q = 1000;
	while (semi) {
		const char *p = semi + 1;
		size_t rest = n - (size_t)(p - s);
		semi = memchr(p, ';', rest);
		size_t plen = semi ? (size_t)(semi - p) : rest;
		trim(&p, &plen);
		if (plen >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
			*q = parse_q(p + 2, plen - 2);
	}
}

const char *i18n_negotiate(const char *accept_language)
{
	static const char *const langs[] = {"en", "da"};
	int best[2] = {-1, -1}, star = -1;
	const char *s = accept_language ? accept_language : "";
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		const char *tag;
		size_t tlen;
		int q;
		parse_item(s, n, &tag, &tlen, &q);
		if (tlen == 1 && tag[0] == '*' && q > star)
			star = q;
		for (int i = 0; i < 2; i++)
			if (tlen == 2 && strncasecmp(tag, langs[i], 2) == 0 && q > best[i])
				best[i] = q;
		s = comma ? comma + 1 : s + n;
	}
	for (int i = 0; i < 2; i++)
		if (best[i] < 0)
			best[i] = star;
	/* ties go to English, the default */
	if (best[1] > 0 && best[1] > best[0])
		return "da";
	return "en";
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

/* params["a"]["b"] for the slice "a.b", or NULL. */
static json_t *param_get(json_t *params, const char *k, size_t n)
{
	json_t *v = params;
	while (v && n) {
		const char *dot = memchr(k, '.', n);
		size_t part = dot ? (size_t)(dot - k) : n;
		v = json_is_object(v) && part ? json_object_getn(v, k, part) : NULL;
		if (!dot)
			break;
		n -= part + 1;
		k = dot + 1;
	}
	return v;
}

static int put_param(const char *lang, json_t *v, struct buf *out)
{
	day_t d;
	if (json_is_string(v)) {
		if (date_parse(json_string_value(v), &d) == 0)
			return i18n_format_date(lang, d, out);
		return buf_append(out, json_string_value(v), json_string_length(v));
	}
	if (json_is_integer(v))
		return buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_real(v))
		return buf_printf(out, "%g", json_real_value(v));
	if (json_is_boolean(v))
		return buf_puts(out, json_is_true(v) ? "true" : "false");
	return 0;
}

int i18n_format(const struct i18n *cat, const char *lang, const char *key, json_t *params,
		struct buf *out)
{
	const char *s = i18n_text(cat, lang, key);
	for (;;) {
		const char *open = strchr(s, '{');
		if (!open)
			return buf_puts(out, s);
		const char *k = open + 1;
		size_t n = 0;
		while (is_key_char(k[n]))
			n++;
		json_t *v = k[n] == '}' && n ? param_get(params, k, n) : NULL;
		if (v && !json_is_null(v)) {
			buf_append(out, s, (size_t)(open - s));
			put_param(lang, v, out);
			s = k + n + 1;
		} else {
			buf_append(out, s, (size_t)(k - s));
			s = k;
		}
	}
}

const char *i18n_hook_text(void *binding, const char *key)
{
	const struct i18n_binding *b = binding;
	const char *s = i18n_get(b->cat, b->lang, key);
	return s ? s : i18n_get(b->cat, I18N_DEFAULT_LANG, key);
}

int i18n_hook_date(void *binding, day_t d, char *dst, size_t dstsz)
{
	const struct i18n_binding *b = binding;
	return i18n_date_str(b->lang, d, dst, dstsz);
}
