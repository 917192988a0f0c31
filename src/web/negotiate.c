/* negotiate.c: q-values per RFC 9110 section 12.5.1, the subset we need:
 * the most specific matching range gives the quality. */
#include "web/negotiate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static double parse_q(const char *params, const char *end)
{
	const char *p = params;
	while (p && p < end) {
		while (p < end && (*p == ';' || *p == ' '))
			p++;
		if (end - p > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			char tmp[8] = {0};
			size_t n = (size_t)(end - p - 2);
			memcpy(tmp, p + 2, n < sizeof tmp - 1 ? n : sizeof tmp - 1);
			char *e;
			double q = strtod(tmp, &e);
			return (e == tmp || q < 0 || q > 1) ? 1.0 : q;
		}
		p = memchr(p, ';', (size_t)(end - p));
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
		while (*p == ' ' || *p == ',')
			p++;
		const char *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *rend = semi ? semi : end;
		while (rend > p && rend[-1] == ' ')
			rend--;
		double q = semi ? parse_q(semi, end) : 1.0;
		consider(p, (size_t)(rend - p), q, "application/json", &sj, &qj);
		consider(p, (size_t)(rend - p), q, "text/html", &sh, &qh);
		p = end;
	}
	return qj > qh;
}
