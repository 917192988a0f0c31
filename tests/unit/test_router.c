/* test_router.c: method + path matching (src/web/router.h).
 *
 * A fixed table of routes and a table of requests; the expected route,
 * parameters and `allowed` masks were written by hand from router.h:
 * literal and {name} segments, HEAD matches GET, ERR_METHOD with the mask of
 * methods the path has, ERR_NOT_FOUND otherwise. */
#include "testutil.h"

#include "base/arena.h"
#include "base/err.h"
#include "http/http.h"
#include "web/router.h"

#include <stdio.h>
#include <string.h>

#define N_ELEMS(x) (sizeof(x) / sizeof((x)[0]))

/* Handlers are never called; distinct functions make routes tell apart. */
static int h(struct web_ctx *c)
{
	(void)c;
	return 0;
}

enum {
	R_ROOT,
	R_CASES_GET,
	R_CASES_POST,
	R_CASE_NEW,
	R_CASE_GET,
	R_CASE_PUT,
	R_CASE_DELETE,
	R_NOTES_POST,
	R_NOTE_GET,
	R_LOGIN_GET,
	R_LOGIN_POST,
	R_DEEP,
	R_COUNT
};

static const struct route routes[R_COUNT] = {
    [R_ROOT] = {HTTP_GET, "/", h, ROUTE_PUBLIC, NULL},
    [R_CASES_GET] = {HTTP_GET, "/cases", h, ROUTE_SESSION, NULL},
    [R_CASES_POST] = {HTTP_POST, "/cases", h, ROUTE_SESSION, NULL},
    [R_CASE_NEW] = {HTTP_GET, "/cases/new", h, ROUTE_SESSION, NULL},
    [R_CASE_GET] = {HTTP_GET, "/cases/{id}", h, ROUTE_CASE, "core"},
    [R_CASE_PUT] = {HTTP_PUT, "/cases/{id}", h, ROUTE_CASE, "core"},
    [R_CASE_DELETE] = {HTTP_DELETE, "/cases/{id}", h, ROUTE_CASE, "core"},
    [R_NOTES_POST] = {HTTP_POST, "/cases/{id}/notes", h, ROUTE_CASE, "clinical"},
    [R_NOTE_GET] = {HTTP_GET, "/cases/{id}/notes/{note}", h, ROUTE_CASE, "clinical"},
    [R_LOGIN_GET] = {HTTP_GET, "/login", h, ROUTE_PUBLIC, NULL},
    [R_LOGIN_POST] = {HTTP_POST, "/login", h, ROUTE_PUBLIC, NULL},
    [R_DEEP] = {HTTP_PATCH, "/t/{a}/{b}/x/{c}/{d}", h, ROUTE_SESSION, NULL},
};

#define GH (HTTP_GET | HTTP_HEAD)

struct req_case {
	enum http_method method;
	const char *path;
	int rc;
	int route;	    /* index into routes when rc == 0 */
	unsigned allowed;   /* when rc == ERR_METHOD */
	const char *params; /* "name=value,name=value" when rc == 0 */
};

static const struct req_case cases[] = {
    /* exact literal matches */
    {HTTP_GET, "/", 0, R_ROOT, 0, ""},
    {HTTP_GET, "/cases", 0, R_CASES_GET, 0, ""},
    {HTTP_POST, "/cases", 0, R_CASES_POST, 0, ""},
    {HTTP_GET, "/login", 0, R_LOGIN_GET, 0, ""},
    {HTTP_POST, "/login", 0, R_LOGIN_POST, 0, ""},
    /* a literal listed before a parameter route wins for GET */
    {HTTP_GET, "/cases/new", 0, R_CASE_NEW, 0, ""},
    /* HEAD is served by the GET route */
    {HTTP_HEAD, "/", 0, R_ROOT, 0, ""},
    {HTTP_HEAD, "/cases", 0, R_CASES_GET, 0, ""},
    {HTTP_HEAD, "/cases/42", 0, R_CASE_GET, 0, "id=42"},
    /* parameters captured */
    {HTTP_GET, "/cases/42", 0, R_CASE_GET, 0, "id=42"},
    {HTTP_PUT, "/cases/42", 0, R_CASE_PUT, 0, "id=42"},
    {HTTP_DELETE, "/cases/abc-9_Z", 0, R_CASE_DELETE, 0, "id=abc-9_Z"},
    {HTTP_POST, "/cases/7/notes", 0, R_NOTES_POST, 0, "id=7"},
    {HTTP_GET, "/cases/7/notes/3", 0, R_NOTE_GET, 0, "id=7,note=3"},
    {HTTP_GET, "/cases/x/notes/y.z", 0, R_NOTE_GET, 0, "id=x,note=y.z"},
    {HTTP_PATCH, "/t/1/2/x/3/4", 0, R_DEEP, 0, "a=1,b=2,c=3,d=4"},
    /* PUT on /cases/new: the literal route is GET only, {id} has PUT */
    {HTTP_PUT, "/cases/new", 0, R_CASE_PUT, 0, "id=new"},
    /* trailing slash does not match */
    {HTTP_GET, "/cases/", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "/cases/42/", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "/login/", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_POST, "/cases/7/notes/", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "/cases/7/notes/3/", ERR_NOT_FOUND, 0, 0, NULL},
    /* extra segments do not match */
    {HTTP_GET, "/cases/42/extra", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "/cases/7/notes/3/4", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "/login/x", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_PATCH, "/t/1/2/x/3/4/5", ERR_NOT_FOUND, 0, 0, NULL},
    /* fewer segments do not match */
    {HTTP_PATCH, "/t/1/2/x/3", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_PATCH, "/t/1/2/y/3/4", ERR_NOT_FOUND, 0, 0, NULL},
    /* empty parameter segment does not match */
    {HTTP_GET, "/cases//notes/3", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "/cases/7/notes/", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_POST, "/cases//notes", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_PATCH, "/t/1//x/3/4", ERR_NOT_FOUND, 0, 0, NULL},
    /* unknown or near-miss paths */
    {HTTP_GET, "/nope", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "/casesx", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "/case", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "//", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "//cases", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_GET, "cases", ERR_NOT_FOUND, 0, 0, NULL},
    {HTTP_DELETE, "/nope", ERR_NOT_FOUND, 0, 0, NULL},
    /* wrong method: ERR_METHOD with the methods the path has */
    {HTTP_DELETE, "/", ERR_METHOD, 0, GH, NULL},
    {HTTP_DELETE, "/cases", ERR_METHOD, 0, GH | HTTP_POST, NULL},
    {HTTP_PUT, "/login", ERR_METHOD, 0, GH | HTTP_POST, NULL},
    {HTTP_PATCH, "/cases/42", ERR_METHOD, 0, GH | HTTP_PUT | HTTP_DELETE, NULL},
    {HTTP_POST, "/cases/42", ERR_METHOD, 0, GH | HTTP_PUT | HTTP_DELETE, NULL},
    {HTTP_OPTIONS, "/cases/42", ERR_METHOD, 0, GH | HTTP_PUT | HTTP_DELETE, NULL},
    /* GET-only literal plus {id}: both routes' methods */
    {HTTP_POST, "/cases/new", ERR_METHOD, 0, GH | HTTP_PUT | HTTP_DELETE, NULL},
    /* a POST-only path: no GET, so neither GET nor HEAD is allowed */
    {HTTP_GET, "/cases/7/notes", ERR_METHOD, 0, HTTP_POST, NULL},
    {HTTP_HEAD, "/cases/7/notes", ERR_METHOD, 0, HTTP_POST, NULL},
    {HTTP_DELETE, "/cases/7/notes/3", ERR_METHOD, 0, GH, NULL},
    {HTTP_GET, "/t/1/2/x/3/4", ERR_METHOD, 0, HTTP_PATCH, NULL},
    {HTTP_OTHER, "/login", ERR_METHOD, 0, GH | HTTP_POST, NULL},
};

/* Checks m against "name=value,name=value" in order. */
static void check_params(const struct route_match *m, const char *want, size_t ci)
{
	char copy[128];
	size_t wl = strlen(want);
	assert_true(wl < sizeof copy);
	memcpy(copy, want, wl + 1);
	int n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		assert_non_null(eq);
		*eq = '\0';
		assert_true(n < m->nparams);
		if (strcmp(m->names[n], tok) != 0 || strcmp(m->values[n], eq + 1) != 0)
			print_error("case %zu: param %d is %s=%s, want %s=%s\n", ci, n, m->names[n],
				    m->values[n], tok, eq + 1);
		assert_string_equal(m->names[n], tok);
		assert_string_equal(m->values[n], eq + 1);
		assert_string_equal(route_param(m, tok), eq + 1);
		n++;
	}
	assert_int_equal(m->nparams, n);
}

static void test_router_table(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const struct req_case *c = &cases[i];
		struct route_match m;
		memset(&m, 0, sizeof m);
		unsigned allowed = 0xdead;
		int rc = router_match(&a, routes, R_COUNT, c->method, c->path, &m, &allowed);
		if (rc != c->rc)
			print_error("case %zu (%d %s): rc %d, want %d\n", i, c->method, c->path, rc,
				    c->rc);
		assert_int_equal(rc, c->rc);
		if (rc == 0) {
			if (m.route != &routes[c->route])
				print_error("case %zu (%d %s): route %s, want %s\n", i, c->method,
					    c->path, m.route ? m.route->pattern : "(null)",
					    routes[c->route].pattern);
			assert_ptr_equal(m.route, &routes[c->route]);
			check_params(&m, c->params, i);
			assert_null(route_param(&m, "missing"));
		} else if (rc == ERR_METHOD) {
			if (allowed != c->allowed)
				print_error("case %zu (%d %s): allowed 0x%x, want 0x%x\n", i,
					    c->method, c->path, allowed, c->allowed);
			assert_int_equal(allowed, c->allowed);
		}
		arena_reset(&a);
	}
	arena_release(&a);
}

/* Parameter values are copies: changing the path afterwards does not
 * change them, and they survive until the arena is reset. */
static void test_router_params_copied(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	char path[] = "/cases/123/notes/456";
	struct route_match m;
	unsigned allowed = 0;
	assert_int_equal(router_match(&a, routes, R_COUNT, HTTP_GET, path, &m, &allowed), 0);
	memset(path, 'x', sizeof path - 1);
	assert_string_equal(route_param(&m, "id"), "123");
	assert_string_equal(route_param(&m, "note"), "456");
	arena_release(&a);
}

/* An empty table finds nothing. */
static void test_router_empty_table(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct route_match m;
	unsigned allowed = 0xdead;
	assert_int_equal(router_match(&a, routes, 0, HTTP_GET, "/", &m, &allowed), ERR_NOT_FOUND);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_router_table),
	    cmocka_unit_test(test_router_params_copied),
	    cmocka_unit_test(test_router_empty_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
