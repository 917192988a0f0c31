/* test_holidays.c: Danish holidays, worked out by hand from the calendar
 * (Easter dates from the church's tables; the rest counted from them). */
#include "testutil.h"

#include <string.h>

#include "base/date.h"
#include "rules/holidays.h"

static day_t D(const char *s)
{
	day_t d = 0;
	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

static void test_easter(void **state)
{
	(void)state;
	static const struct {
		int year;
		const char *sunday;
	} sundays[] = {
	    {2000, "2000-04-23"}, {2008, "2008-03-23"}, {2011, "2011-04-24"},
	    {2019, "2019-04-21"}, {2023, "2023-04-09"}, {2024, "2024-03-31"},
	    {2025, "2025-04-20"}, {2026, "2026-04-05"}, {2027, "2027-03-28"},
	    {2038, "2038-04-25"}, /* the latest possible */
	    {2285, "2285-03-22"}, /* the earliest possible */
	};
	for (size_t i = 0; i < sizeof sundays / sizeof sundays[0]; i++) {
		assert_int_equal(rules_easter(sundays[i].year), D(sundays[i].sunday));
		assert_int_equal(date_weekday(rules_easter(sundays[i].year)), 6);
	}
}

static void test_holidays_2026(void **state)
{
	(void)state;
	/* Easter Sunday 5 April 2026: counted by hand. */
	static const char *const days[][2] = {
	    {"2026-01-01", "new_year"},         {"2026-04-02", "maundy_thursday"},
	    {"2026-04-03", "good_friday"},      {"2026-04-05", "easter_sunday"},
	    {"2026-04-06", "easter_monday"},    {"2026-05-14", "ascension"},
	    {"2026-05-24", "whit_sunday"},      {"2026-05-25", "whit_monday"},
	    {"2026-06-05", "constitution_day"}, {"2026-12-24", "christmas_eve"},
	    {"2026-12-25", "christmas_day"},    {"2026-12-26", "boxing_day"},
	    {"2026-12-31", "new_years_eve"},
	};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		const char *k = rules_dk_holiday(D(days[i][0]));
		assert_non_null(k);
		assert_string_equal(k, days[i][1]);
	}
	/* Store bededag was abolished from 2024: 1 May 2026 (Easter + 26) is an
	 * ordinary Friday; in 2023 it was 5 May (9 April + 26). */
	assert_null(rules_dk_holiday(D("2026-05-01")));
	assert_string_equal(rules_dk_holiday(D("2023-05-05")), "great_prayer_day");
	assert_null(rules_dk_holiday(D("2024-04-26")));
	/* Ordinary days around them. */
	assert_null(rules_dk_holiday(D("2026-04-01")));
	assert_null(rules_dk_holiday(D("2026-04-07")));
	assert_null(rules_dk_holiday(D("2026-05-13")));
	assert_null(rules_dk_holiday(D("2026-01-02")));
	assert_null(rules_dk_holiday(D("2026-12-23")));
}

static void test_working_days(void **state)
{
	(void)state;
	assert_true(rules_dk_working_day(D("2026-04-01")));   /* Wednesday */
	assert_false(rules_dk_working_day(D("2026-04-02")));  /* Maundy Thursday */
	assert_false(rules_dk_working_day(D("2026-04-04")));  /* Saturday */
	assert_false(rules_dk_working_day(D("2026-04-06")));  /* Easter Monday */
	assert_true(rules_dk_working_day(D("2026-04-07")));   /* Tuesday */
	assert_false(rules_dk_working_day(D("2026-06-05")));  /* Friday, Grundlovsdag */
	assert_false(rules_dk_working_day(D("2027-05-06")));  /* Ascension 2027: 28 March + 39 */
	assert_true(rules_dk_working_day(D("2027-05-07")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_easter),
	    cmocka_unit_test(test_holidays_2026),
	    cmocka_unit_test(test_working_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
