/* test_research.c: the export's keyed pseudonyms and date shifts
 * (domain/research/export.h), and the study's preloaded concepts. */
#include "testutil.h"

#include <string.h>

#include "domain/research/export.h"
#include "domain/research/study.h"

static const unsigned char key_a[STUDY_KEY_BYTES] = "study-key-a-0123456789abcdefghij";
static const unsigned char key_b[STUDY_KEY_BYTES] = "study-key-b-0123456789abcdefghij";

static void test_pseudonyms(void **state)
{
	(void)state;
	char a1[17], a1again[17], b1[17], a2[17], ac1[17];
	research_pseudonym(key_a, 'p', 1, a1);
	research_pseudonym(key_a, 'p', 1, a1again);
	research_pseudonym(key_b, 'p', 1, b1);
	research_pseudonym(key_a, 'p', 2, a2);
	research_pseudonym(key_a, 'c', 1, ac1);
	assert_int_equal(strlen(a1), 16);
	for (int i = 0; i < 16; i++)
		assert_non_null(strchr("0123456789abcdef", a1[i]));
	assert_string_equal(a1, a1again);	  /* stable within a study */
	assert_string_not_equal(a1, b1);	  /* another study: another pseudonym */
	assert_string_not_equal(a1, a2);	  /* another person */
	assert_string_not_equal(a1, ac1);	  /* case 1 is not person 1 */
}

static void test_shifts(void **state)
{
	(void)state;
	int differ = 0, neg = 0, pos = 0;
	for (int64_t id = 1; id <= 2000; id++) {
		int a = research_shift_days(key_a, id);
		int b = research_shift_days(key_b, id);
		assert_true(a != 0 && a >= -182 && a <= 182);
		assert_int_equal(a, research_shift_days(key_a, id));
		differ += a != b;
		neg += a < 0;
		pos += a > 0;
	}
	/* Spread over both directions; two keys agree about 1 time in 364. */
	assert_true(neg > 800 && pos > 800);
	assert_true(differ > 1980);
}

static void test_concepts(void **state)
{
	(void)state;
	size_t n;
	const struct study_concept *c = study_concepts(&n);
	assert_int_equal(n, 9);
	assert_string_equal(c[0].en, "Trust");
	assert_string_equal(c[0].da, "Tillid");
	/* The four strategies sit under "Trust-building strategies". */
	int under = 0;
	for (size_t i = 0; i < n; i++) {
		assert_non_null(c[i].da);
		if (c[i].parent >= 0) {
			assert_string_equal(c[c[i].parent].en, "Trust-building strategies");
			under++;
		}
	}
	assert_int_equal(under, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pseudonyms),
	    cmocka_unit_test(test_shifts),
	    cmocka_unit_test(test_concepts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
