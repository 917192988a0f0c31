/* test_negotiate.c: negotiate_prefers_json (src/web/negotiate.h).
 *
 * Each expectation was worked out by hand with RFC 9110 section 12.5.1:
 * the most specific range that matches a type gives its quality (exact type
 * over type/any over any), q defaults to 1, a type no range matches has
 * quality 0; JSON wins only with a strictly higher quality (a tie, or no
 * header, means HTML). Media types and "q" are case-insensitive; OWS around
 * list commas and before/after ';' is space or horizontal tab. */
#include "testutil.h"

#include "web/negotiate.h"

#include <stdbool.h>
#include <stdio.h>

#define N_ELEMS(x) (sizeof(x) / sizeof((x)[0]))

struct neg_case {
	const char *accept;
	bool json;
	const char *why; /* json q vs html q */
};

static const struct neg_case cases[] = {
    {NULL, false, "no header"},
    {"", false, "empty header"},
    {"application/json", true, "1 vs 0"},
    {"text/html", false, "0 vs 1"},
    {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false,
     "browser: 0.8 (*/*) vs 1"},
    {"*/*", false, "1 vs 1: tie"},
    {"application/json, text/html;q=0.5", true, "1 vs 0.5"},
    {"text/html;q=0.4, application/json;q=0.9", true, "0.9 vs 0.4"},
    {"application/*", true, "1 vs 0"},
    {"text/*;q=0.1, application/json;q=0.05", false, "0.05 vs 0.1"},
    {"text/html, application/json", false, "1 vs 1: tie"},
    {"application/json, text/html", false, "1 vs 1: tie, order does not matter"},
    {"application/json;q=0", false, "0 vs 0"},
    {"application/json;q=0.5", true, "0.5 vs 0"},
    {"text/html;q=0, application/json;q=0.001", true, "0.001 vs 0"},
    {"application/json;q=0.500, text/html;q=0.499", true, "three decimals"},
    {"application/json;q=1.0, text/html;q=1", false, "1.0 vs 1: tie"},
    /* the most specific range decides, not the highest q */
    {"*/*, text/html;q=0.5", true, "1 (*/*) vs 0.5 (exact)"},
    {"*/*;q=0.5, text/html", false, "0.5 vs 1"},
    {"*/*;q=0.9, application/json;q=0.1", false, "0.1 (exact) vs 0.9 (*/*)"},
    {"application/*;q=0.2, application/json;q=0.7, text/*;q=0.6", true, "0.7 vs 0.6"},
    {"application/*;q=0.9, text/*;q=0.8", true, "0.9 vs 0.8"},
    {"application/*;q=0.3, */*;q=0.9", false, "0.3 (type/*) vs 0.9 (*/*)"},
    {"text/*, application/json;q=0.99", false, "0.99 vs 1"},
    /* near misses are other types */
    {"application/jsonx", false, "other type"},
    {"application/json-seq", false, "other type"},
    {"text/htmlx, application/json;q=0.1", true, "0.1 vs 0"},
    {"application/xml, text/plain", false, "0 vs 0"},
    {"text/json", false, "not application/json"},
    /* parameters other than q */
    {"text/html;level=1;q=0.2, application/json;q=0.3", true, "0.3 vs 0.2"},
    /* case-insensitive */
    {"APPLICATION/JSON", true, "upper case"},
    {"Application/Json;Q=0.9, Text/HTML;q=0.8", true, "mixed case, Q"},
    {"TEXT/HTML, application/json;q=0.9", false, "upper-case html wins"},
    {"APPLICATION/*", true, "upper-case wildcard"},
    /* odd spacing */
    {"  application/json  ", true, "spaces around"},
    {"text/html ; q=0.2 ,application/json", true, "spaces around ';' and ','"},
    {"text/html;q=0.2,application/json", true, "no spaces"},
    {",,, application/json ,,", true, "empty list elements"},
    {"text/html; q=0.5, application/json; q=0.6", true, "space after ';'"},
};

/* OWS is SP or HTAB (RFC 9110 section 5.6.3), in lists and in weights. */
static const struct neg_case tab_cases[] = {
    {"text/html;q=0.5,\tapplication/json", true, "tab after ','"},
    {"\tapplication/json", true, "leading tab"},
    {"application/json\t;q=0.9, text/html;q=0.1", true, "tab before ';'"},
    {"text/html;\tq=0.1, application/json", true, "tab after ';'"},
};

static void run_table(const struct neg_case *t, size_t n)
{
	int failures = 0;
	for (size_t i = 0; i < n; i++) {
		bool got = negotiate_prefers_json(t[i].accept);
		if (got != t[i].json) {
			print_error("case %zu \"%s\" (%s): got %s\n", i,
				    t[i].accept ? t[i].accept : "(null)", t[i].why,
				    got ? "json" : "html");
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

static void test_negotiate_table(void **state)
{
	(void)state;
	run_table(cases, N_ELEMS(cases));
}

static void test_negotiate_tabs(void **state)
{
	(void)state;
	run_table(tab_cases, N_ELEMS(tab_cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_negotiate_table),
	    cmocka_unit_test(test_negotiate_tabs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
