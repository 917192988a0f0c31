/* fuzz_http.c: the request-side parsers on arbitrary bytes.
 *
 * The input is split at '\n' into pieces; each piece is used as an Accept
 * header (negotiate_prefers_json), as a path under every method (router_match
 * against the fixed table below) and as a query string (form_parse).
 *
 * Invariants, from the headers:
 *  - router: the result is 0, ERR_METHOD or ERR_NOT_FOUND; a match has the
 *    requested method (HEAD served by GET), at most ROUTE_MAX_PARAMS
 *    non-empty parameters without '/', and substituting them into the
 *    pattern gives back the path; ERR_METHOD has a non-empty mask without
 *    the requested method; whether a path is known does not depend on the
 *    method;
 *  - negotiate: adding "text/html" (q=1) never makes JSON preferred;
 *  - form: decoded fields are valid UTF-8, bad_at lies inside the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "http/form.h"
#include "http/http.h"
#include "web/negotiate.h"
#include "web/router.h"

#define DELIM '\n'
#define N_ELEMS(x) (sizeof(x) / sizeof((x)[0]))

static int h(struct web_ctx *c)
{
	(void)c;
	return 0;
}

static const struct route routes[] = {
    {HTTP_GET, "/", h, ROUTE_PUBLIC, NULL},
    {HTTP_GET, "/cases", h, ROUTE_SESSION, NULL},
    {HTTP_POST, "/cases", h, ROUTE_SESSION, NULL},
    {HTTP_GET, "/cases/new", h, ROUTE_SESSION, NULL},
    {HTTP_GET, "/cases/{id}", h, ROUTE_CASE, "core"},
    {HTTP_PUT, "/cases/{id}", h, ROUTE_CASE, "core"},
    {HTTP_DELETE, "/cases/{id}", h, ROUTE_CASE, "core"},
    {HTTP_POST, "/cases/{id}/notes", h, ROUTE_CASE, "clinical"},
    {HTTP_GET, "/cases/{id}/notes/{note}", h, ROUTE_CASE, "clinical"},
    {HTTP_GET, "/login", h, ROUTE_PUBLIC, NULL},
    {HTTP_POST, "/login", h, ROUTE_PUBLIC, NULL},
    {HTTP_PATCH, "/t/{a}/{b}/x/{c}/{d}", h, ROUTE_SESSION, NULL},
    {HTTP_OPTIONS, "/{any}", h, ROUTE_PUBLIC, NULL},
};

static const enum http_method methods[] = {HTTP_GET,   HTTP_HEAD,   HTTP_POST,	  HTTP_PUT,
					   HTTP_PATCH, HTTP_DELETE, HTTP_OPTIONS, HTTP_OTHER};

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_http: invariant broken: %s\n", what);
		abort();
	}
}

/* Rebuilds the path from the matched pattern and parameters. */
static int rebuild_equals(const struct route_match *m, const char *path)
{
	const char *p = m->route->pattern;
	const char *s = path;
	int k = 0;
	while (*p) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (!close || k >= m->nparams)
				return 0;
			size_t vl = strlen(m->values[k]);
			if (strncmp(s, m->values[k], vl) != 0)
				return 0;
			s += vl;
			p = close + 1;
			k++;
		} else {
			if (*s != *p)
				return 0;
			s++;
			p++;
		}
	}
	return *s == '\0' && k == m->nparams;
}

static void fuzz_router(struct arena *a, const char *path)
{
	int known = -1;
	for (size_t i = 0; i < N_ELEMS(methods); i++) {
		enum http_method method = methods[i];
		struct route_match m;
		memset(&m, 0, sizeof m);
		unsigned allowed = 0;
		int rc = router_match(a, routes, N_ELEMS(routes), method, path, &m, &allowed);
		check(rc == 0 || rc == ERR_METHOD || rc == ERR_NOT_FOUND, "router result code");
		int found = rc != ERR_NOT_FOUND;
		if (known < 0)
			known = found;
		check(known == found, "whether a path is known does not depend on the method");
		if (rc == 0) {
			check(m.route >= routes && m.route < routes + N_ELEMS(routes),
			      "route in table");
			enum http_method want = method == HTTP_HEAD ? HTTP_GET : method;
			check(m.route->method == want, "route has the requested method");
			check(m.nparams >= 0 && m.nparams <= ROUTE_MAX_PARAMS, "param count");
			for (int k = 0; k < m.nparams; k++) {
				check(m.names[k] && m.values[k], "param non-NULL");
				check(m.values[k][0] != '\0', "param non-empty");
				check(strchr(m.values[k], '/') == NULL, "param has no '/'");
				check(route_param(&m, m.names[k]) != NULL, "route_param finds it");
			}
			check(rebuild_equals(&m, path), "pattern + params rebuild the path");
		} else if (rc == ERR_METHOD) {
			check(allowed != 0, "ERR_METHOD has a mask");
			check((allowed & (unsigned)method) == 0, "mask lacks the requested method");
		}
	}
}

static void fuzz_negotiate(const char *accept, size_t len)
{
	int json = negotiate_prefers_json(accept);
	check(json == negotiate_prefers_json(accept), "negotiate is deterministic");
	static const char add[] = ",text/html";
	char *more = malloc(len + sizeof add);
	if (!more)
		abort();
	memcpy(more, accept, len);
	memcpy(more + len, add, sizeof add);
	check(!negotiate_prefers_json(more) || json, "adding text/html never favours JSON");
	free(more);
}

static void fuzz_query(struct arena *a, const char *q, size_t n)
{
	struct form f;
	size_t bad_at = (size_t)-1;
	int rc = form_parse(a, q, n, &f, &bad_at);
	if (rc != 0) {
		check(rc == ERR_INVALID, "form error code");
		check(bad_at < n, "bad_at inside the query");
		return;
	}
	for (size_t i = 0; i < f.n; i++) {
		check(str_valid_utf8(f.fields[i].name, strlen(f.fields[i].name)), "name UTF-8");
		check(str_valid_utf8(f.fields[i].value, strlen(f.fields[i].value)), "value UTF-8");
	}
	if (f.n)
		check(form_get(&f, f.fields[0].name) == f.fields[0].value, "form_get first");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a);
	size_t start = 0;
	while (start <= size) {
		const uint8_t *nl = memchr(data + start, DELIM, size - start);
		size_t end = nl ? (size_t)(nl - data) : size;
		size_t n = end - start;
		char *piece = malloc(n + 1); /* a C string; stops at an embedded NUL */
		if (!piece)
			abort();
		memcpy(piece, data + start, n);
		piece[n] = '\0';
		fuzz_negotiate(piece, strlen(piece));
		fuzz_router(&a, piece);
		fuzz_query(&a, (const char *)data + start, n);
		free(piece);
		arena_reset(&a);
		start = end + 1;
	}
	arena_release(&a);
	return 0;
}
