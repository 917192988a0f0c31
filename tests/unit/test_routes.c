/* test_routes.c: the route table and what each route may ask the policy
 * (docs/policy.md, "How a route declares its access"). Walks the assembled
 * table:
 *   - every route that touches case data is ROUTE_CASE with categories;
 *   - every declaration names known categories, public routes none;
 *   - the declarations are the committed list tests/unit/data/route_asks.txt
 *     (a route added, or one that asks more, changes that list too, where
 *     review sees it);
 *   - gate_ask, the web layer's one entry to the policy, refuses every
 *     category a route does not declare, on every route. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "http/http.h"
#include "web/gate.h"
#include "web/router.h"
#include "web/web.h"

#define ROUTE_ASKS "tests/unit/data/route_asks.txt"

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

static const char *method_name(enum http_method m)
{
	switch (m) {
	case HTTP_GET:
		return "GET";
	case HTTP_POST:
		return "POST";
	case HTTP_PUT:
		return "PUT";
	case HTTP_PATCH:
		return "PATCH";
	case HTTP_DELETE:
		return "DELETE";
	default:
		return "?";
	}
}

/* The categories route r declares as a mask; -1 for a bad name. */
static long declared_mask(const struct route *r)
{
	long mask = 0;
	enum policy_category cat;
	int rc;
	for (int n = 0; (rc = route_declared(r, n, &cat)) != ERR_NOT_FOUND; n++) {
		if (rc)
			return -1;
		if (mask & (1L << cat))
			return -1; /* named twice */
		mask |= 1L << cat;
	}
	return mask;
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
		if (r[i].access != ROUTE_CASE || declared_mask(&r[i]) <= 0) {
			fprintf(stderr, "route %s is not ROUTE_CASE with a category\n",
				r[i].pattern);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	assert_true(checked >= 9); /* the trust module alone has nine */
}

/* Every declaration parses; a public route asks nothing (it has no actor
 * to ask about); a case route declares its own category first. */
static void test_declarations_parse(void **state)
{
	(void)state;
	size_t n = 0;
	const struct route *r = web_route_table(&n);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		long mask = declared_mask(&r[i]);
		const char *why = NULL;
		if (mask < 0)
			why = "names a category twice or one that does not exist";
		else if (r[i].access == ROUTE_PUBLIC && mask != 0)
			why = "is public but declares categories";
		else if (r[i].access == ROUTE_CASE && mask == 0)
			why = "is a case route that declares no category";
		if (why) {
			fprintf(stderr, "route %s %s %s (\"%s\")\n", method_name(r[i].method),
				r[i].pattern, why, r[i].policy ? r[i].policy : "");
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

struct listed {
	char method[8], pattern[128], cats[256];
	bool seen;
};

static int read_list(struct listed *out, int max)
{
	FILE *f = fopen(ROUTE_ASKS, "r");
	assert_non_null(f);
	char line[512];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_true(n < max);
		struct listed *l = &out[n];
		memset(l, 0, sizeof *l);
		int got = sscanf(line, "%7s %127s %255s", l->method, l->pattern, l->cats);
		assert_int_equal(got, 3);
		n++;
	}
	fclose(f);
	return n;
}

/* The committed list: every route, and only those, with the categories
 * it declares ("-" for none). */
static void test_declarations_match_committed_list(void **state)
{
	(void)state;
	static struct listed list[400];
	int nl = read_list(list, 400);
	size_t n = 0;
	const struct route *r = web_route_table(&n);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		struct listed *l = NULL;
		for (int k = 0; k < nl && !l; k++)
			if (strcmp(list[k].method, method_name(r[i].method)) == 0 &&
			    strcmp(list[k].pattern, r[i].pattern) == 0)
				l = &list[k];
		if (!l) {
			fprintf(stderr,
				"route %s %s is not in " ROUTE_ASKS "; add the line\n  %s %s %s\n",
				method_name(r[i].method), r[i].pattern, method_name(r[i].method),
				r[i].pattern, r[i].policy ? r[i].policy : "-");
			bad++;
			continue;
		}
		l->seen = true;
		struct route want = {.policy = strcmp(l->cats, "-") ? l->cats : NULL};
		if (declared_mask(&want) != declared_mask(&r[i])) {
			fprintf(stderr, "route %s %s declares \"%s\", " ROUTE_ASKS " says \"%s\"\n",
				l->method, l->pattern, r[i].policy ? r[i].policy : "-", l->cats);
			bad++;
		}
	}
	for (int k = 0; k < nl; k++)
		if (!list[k].seen) {
			fprintf(stderr, ROUTE_ASKS " lists %s %s, which is no route\n",
				list[k].method, list[k].pattern);
			bad++;
		}
	assert_int_equal(bad, 0);
}

/* On every route, gate_ask refuses each category the route does not
 * declare without asking the policy (reason "invalid", and the request is
 * marked: a 500 under IBBIS_STRICT_ACCESS=1), and puts each declared one to
 * the policy. The actor is an administrator, so the policy allows a
 * declared administration question (and team and security reads) and
 * refuses a declared case question for its own reason. */
static void test_gate_ask_enforces_the_declaration(void **state)
{
	(void)state;
	size_t n = 0;
	const struct route *r = web_route_table(&n);
	struct policy_actor admin = {.role = POLICY_ADMIN, .org = POLICY_ORG_NONE};
	int bad = 0, refused = 0, asked = 0;
	log_set_level(LOG_ERROR + 1); /* the refusals' lines are expected */
	for (size_t i = 0; i < n; i++)
		for (int cat = POLICY_CATEGORY_INVALID + 1; cat < POLICY_CATEGORY_COUNT; cat++) {
			struct web_ctx c = {0};
			c.match.route = &r[i];
			struct policy_item it = {.category = (enum policy_category)cat};
			enum policy_reason why;
			int rc = gate_ask(&c, &admin, POLICY_READ, &it, &why);
			bool declared = route_declares(&r[i], it.category);
			bool policy_yes = cat == POLICY_ADMINISTRATION || cat == POLICY_SECURITY ||
					  cat == POLICY_TEAM;
			bool ok = declared ? !c.undeclared_ask && (rc == 0) == policy_yes &&
						 (policy_yes || why != POLICY_R_INVALID)
					   : rc == ERR_FORBIDDEN && c.undeclared_ask &&
						 why == POLICY_R_INVALID;
			if (!ok) {
				fprintf(stderr, "route %s %s, category %s: gate_ask gave %d\n",
					method_name(r[i].method), r[i].pattern,
					policy_category_name(it.category), rc);
				bad++;
			}
			declared ? asked++ : refused++;
		}
	/* No request at all (no route matched): every question is refused. */
	struct web_ctx none = {0};
	struct policy_item core = {.category = POLICY_CORE};
	assert_int_equal(gate_ask(&none, &admin, POLICY_READ, &core, NULL), ERR_FORBIDDEN);
	assert_true(none.undeclared_ask);
	assert_int_equal(gate_ask(NULL, &admin, POLICY_READ, &core, NULL), ERR_FORBIDDEN);
	log_set_level(LOG_INFO);
	assert_int_equal(bad, 0);
	assert_true(asked > 100);
	assert_true(refused > 1000);
}

/* The trust routes are in the table with the category they touch first. */
static void test_trust_routes_present(void **state)
{
	(void)state;
	static const struct {
		const char *pattern;
		enum policy_category cat;
	} want[] = {
	    {"/cases/{id}/notes", POLICY_CLINICAL},
	    {"/cases/{id}/evidence", POLICY_HEALTH_SHARED},
	    {"/cases/{id}/decisions", POLICY_DECISION},
	    {"/cases/{id}/consents", POLICY_CORE},
	    {"/cases/{id}/access-log", POLICY_AUDIT},
	};
	size_t n = 0;
	const struct route *r = web_route_table(&n);
	for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
		int found = 0;
		for (size_t i = 0; i < n; i++)
			if (r[i].pattern && strcmp(r[i].pattern, want[w].pattern) == 0) {
				enum policy_category first;
				assert_int_equal(r[i].access, ROUTE_CASE);
				assert_int_equal(route_declared(&r[i], 0, &first), 0);
				assert_int_equal(first, want[w].cat);
				found++;
			}
		assert_true(found >= 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_case_routes_go_through_the_gate),
	    cmocka_unit_test(test_declarations_parse),
	    cmocka_unit_test(test_declarations_match_committed_list),
	    cmocka_unit_test(test_gate_ask_enforces_the_declaration),
	    cmocka_unit_test(test_trust_routes_present),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
