/* negotiate.c: q-values per RFC 9110 section 12.5.1, the subset we need:
 * the most specific matching range gives the quality. Optional whitespace
 * is space or tab (RFC 9110 section 5.6.3). */
#include "web/negotiate.h"

#include <string.h>
#include <strings.h>

static bool ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Specificity: 3 exact type, 2 type/x, 1 wildcard. */
static void consider(const char *range, size_t rlen, double q, const char *type, int *best_spec,
		     double *best_q)
{
	const char *slash = strchr(type, '/');
	size_t major = (size_t)(slash - type);
	int spec = 0;
	if (rlen == strlen(type) && strncasecmp(range, type, rlen) == 0)
		spec = 3;
	else if (rlen == major + 2 && strncasecmp(range, type, major + 1) == 0 &&
		 range[major + 1] == '*')
		spec = 2;
	else if (rlen == 3 && strncmp(range, "*/*", 3) == 0)
		spec = 1;
	if (spec > *best_spec) {
		*best_spec = spec;
		*best_q = q;
	}
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); anything
 * else is ignored (quality 1, as if absent). */
static double qvalue(const char *p, const char *end)
{
	if (p >= end || (*p != '0' && *p != '1'))
		return 1.0;
	double q = *p - '0', scale = 0.1;
	p++;
	if (p < end && *p == '.') {
		p++;
		for (int i = 0; i < 3 && p < end && *p >= '0' && *p <= '9'; i++, p++) {
			q += (*p - '0') * scale;
			scale /= 10;
		}
	}
	while (p < end && ows(*p))
		p++;
	if (p != end || q > 1.0)
		return 1.0;
	return q;
}

static double parse_q(const char *params, const char *end)
{
	const char *p = params;
	while (p && p < end) {
		while (p < end && (*p == ';' || ows(*p)))
			p++;
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *pend = semi ? semi : end;
		if (pend - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
			return qvalue(p + 2, pend);
		p = semi;
	}
	return 1.0;
}

bool negotiate_prefers_json(const char *accept)
{
	if (!accept || !*accept)
		return false;
	int sj = 0, sh = 0;
	double qj = 0, qh = 0;
	const char *p = accept;
	while (*p) {
		while (ows(*p) || *p == ',')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *rend = semi ? semi : end;
		while (rend > p && ows(rend[-1]))
			rend--;
		double q = semi ? parse_q(semi, end) : 1.0;
		consider(p, (size_t)(rend - p), q, "application/json", &sj, &qj);
		consider(p, (size_t)(rend - p), q, "text/html", &sh, &qh);
		p = end;
	}
	return qj > qh;
}
