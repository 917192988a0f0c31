/* router.c: linear matching over a small table. With a few dozen routes a
 * segment-wise compare is cheaper than building a trie. */
#include "web/router.h"

#include <string.h>

#include "base/err.h"

/* Matches one pattern against path; records parameters into m. */
static bool pattern_match(struct arena *a, const char *pat, const char *path,
			  struct route_match *m)
{
	m->nparams = 0;
	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return false;
		pat++;
		path++;
		const char *pend = strchr(pat, '/');
		const char *send = strchr(path, '/');
		size_t plen = pend ? (size_t)(pend - pat) : strlen(pat);
		size_t slen = send ? (size_t)(send - path) : strlen(path);
		if (plen >= 2 && pat[0] == '{' && pat[plen - 1] == '}') {
			if (slen == 0 || m->nparams >= ROUTE_MAX_PARAMS)
				return false;
			m->names[m->nparams] = arena_strndup(a, pat + 1, plen - 2);
			m->values[m->nparams] = arena_strndup(a, path, slen);
			m->nparams++;
		} else if (plen != slen || memcmp(pat, path, plen) != 0) {
			return false;
		}
		pat += plen;
		path += slen;
	}
	return *pat == '\0' && *path == '\0';
}

int router_match(struct arena *a, const struct route *routes, size_t n, enum http_method method,
		 const char *path, struct route_match *m, unsigned *allowed)
{
	enum http_method want = method == HTTP_HEAD ? HTTP_GET : method;
	*allowed = 0;
	for (size_t i = 0; i < n; i++) {
		struct route_match tmp;
		if (!pattern_match(a, routes[i].pattern, path, &tmp))
			continue;
		if (routes[i].method == want) {
			*m = tmp;
			m->route = &routes[i];
			return 0;
		}
		*allowed |= routes[i].method;
		if (routes[i].method == HTTP_GET)
			*allowed |= HTTP_HEAD;
	}
	return *allowed ? ERR_METHOD : ERR_NOT_FOUND;
}

const char *route_param(const struct route_match *m, const char *name)
{
	for (int i = 0; i < m->nparams; i++)
		if (strcmp(m->names[i], name) == 0)
			return m->values[i];
	return NULL;
}
