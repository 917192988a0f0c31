/* test_routes.c: every route that touches case data is ROUTE_CASE and
 * names the category it touches, so its handler goes through the gate
 * (docs/web.md). Walks the assembled route table. */
#include "testutil.h"

#include <string.h>

#include "web/router.h"
#include "web/web.h"

/* Paths under these segments hold case data. */
static const char *const case_segments[] = {"/cases/", "/meetings/", "/goals/", "/notes/"};

/* Reasoned exceptions: paths that contain a case segment but are not case
 * content. Each needs a reason. */
static const struct {
	const char *pattern;
	const char *why;
} allowed[] = {
	/* The person's one-time activation link: a token, no case content. */
	{"/activate/{token}", "activation token, public by design"},
	/* The empty referral form: no case exists yet; creating one is checked
	 * by POST /cases through the gate. */
	{"/cases/new", "empty referral form"},
};

static bool is_allowed(const char *pattern)
{
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (strcmp(allowed[i].pattern, pattern) == 0)
			return true;
	return false;
}

static bool touches_case(const char *pattern)
{
	for (size_t i = 0; i < sizeof case_segments / sizeof case_segments[0]; i++)
		if (strstr(pattern, case_segments[i]))
			return true;
	return false;
}

static void test_case_routes_go_through_the_gate(void **state)
{
	(void)state;
	size_t n = 0;
	const struct route *r = web_route_table(&n);
	assert_true(n > 0);
	int bad = 0, checked = 0;
	for (size_t i = 0; i < n; i++) {
		if (!r[i].pattern || !touches_case(r[i].pattern) || is_allowed(r[i].pattern))
			continue;
		checked++;
		if (r[i].access != ROUTE_CASE || !r[i].policy || !*r[i].policy) {
			fprintf(stderr, "route %s is not ROUTE_CASE with a category\n", r[i].pattern);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	assert_true(checked >= 9); /* the trust module alone has nine */
}

/* The trust routes are in the table with the categories they touch. */
static void test_trust_routes_present(void **state)
{
	(void)state;
	static const struct {
		const char *pattern, *policy;
	} want[] = {
		{"/cases/{id}/notes", "clinical"},	    {"/cases/{id}/evidence", "health_shared"},
		{"/cases/{id}/decisions", "decision"},  {"/cases/{id}/consents", "core"},
		{"/cases/{id}/access-log", "audit"},
	};
	size_t n = 0;
	const struct route *r = web_route_table(&n);
	for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
		int found = 0;
		for (size_t i = 0; i < n; i++)
			if (r[i].pattern && strcmp(r[i].pattern, want[w].pattern) == 0) {
				assert_int_equal(r[i].access, ROUTE_CASE);
				assert_string_equal(r[i].policy, want[w].policy);
				found++;
			}
		assert_true(found >= 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_routes_go_through_the_gate),
		cmocka_unit_test(test_trust_routes_present),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
