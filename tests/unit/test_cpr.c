/* test_cpr.c: CPR syntax, real dates and the century rules (worked out by
 * hand from the CPR office's table of the 7th digit). */
#include "testutil.h"

#include <string.h>

#include "base/date.h"
#include "base/err.h"
#include "domain/cases/cpr.h"

struct row {
	const char *in;
	int ok;            /* 1 valid, 0 invalid */
	const char *digits; /* normalised, when valid */
	const char *birth;  /* YYYY-MM-DD, when valid */
};

static const struct row rows[] = {
	/* plain and dashed */
	{"0101801234", 1, "0101801234", "1980-01-01"},
	{"010180-1234", 1, "0101801234", "1980-01-01"},
	{"311299-0000", 1, "3112990000", "1999-12-31"},
	/* 7th digit 0-3: always the 1900s */
	{"0101000000", 1, "0101000000", "1900-01-01"},
	{"0101363999", 1, "0101363999", "1936-01-01"},
	{"1507992000", 1, "1507992000", "1999-07-15"},
	/* 4 and 9: 2000s when YY <= 36, else 1900s */
	{"0101364000", 1, "0101364000", "2036-01-01"},
	{"0101374000", 1, "0101374000", "1937-01-01"},
	{"0101009000", 1, "0101009000", "2000-01-01"},
	{"0101379999", 1, "0101379999", "1937-01-01"},
	{"0101369999", 1, "0101369999", "2036-01-01"},
	/* 5-8: 2000s when YY <= 57, else the 1800s */
	{"0101575000", 1, "0101575000", "2057-01-01"},
	{"0101585000", 1, "0101585000", "1858-01-01"},
	{"0101108000", 1, "0101108000", "2010-01-01"},
	{"3112998999", 1, "3112998999", "1899-12-31"},
	/* 29 February: leap years only (2000 is one, 1900 and 1800 are not) */
	{"2902004000", 1, "2902004000", "2000-02-29"},
	{"2902000000", 0, NULL, NULL}, /* 1900 */
	{"2902805000", 1, "2902805000", "1880-02-29"}, /* 1880 is a leap year */
	{"2902364000", 1, "2902364000", "2036-02-29"},
	{"2902374000", 0, NULL, NULL}, /* 1937 */
	{"2902015000", 0, NULL, NULL}, /* 2001 */
	{"2902845000", 1, "2902845000", "1884-02-29"},
	{"290280-1234", 1, "2902801234", "1980-02-29"},
	{"290281-1234", 0, NULL, NULL},
	{"2902006000", 1, "2902006000", "2000-02-29"},
	/* not a date */
	{"3202801234", 0, NULL, NULL},
	{"0013801234", 0, NULL, NULL},
	{"0000801234", 0, NULL, NULL},
	{"3104801234", 0, NULL, NULL},
	/* wrong shape */
	{"", 0, NULL, NULL},
	{"010180123", 0, NULL, NULL},
	{"01018012345", 0, NULL, NULL},
	{"010180-123", 0, NULL, NULL},
	{"0101-801234", 0, NULL, NULL},
	{"010180 1234", 0, NULL, NULL},
	{"01018O1234", 0, NULL, NULL},
	{"010180--1234", 0, NULL, NULL},
	{"-0101801234", 0, NULL, NULL},
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[CPR_LEN] = "untouched";
		day_t b = -1;
		int rc = cpr_parse(rows[i].in, out, &b);
		if (rows[i].ok) {
			if (rc != 0)
				print_error("row %zu '%s' should be valid\n", i, rows[i].in);
			assert_int_equal(rc, 0);
			assert_string_equal(out, rows[i].digits);
			char d[DATE_STR_LEN];
			date_format(b, d);
			assert_string_equal(d, rows[i].birth);
		} else {
			if (rc != ERR_INVALID)
				print_error("row %zu '%s' should be invalid\n", i, rows[i].in);
			assert_int_equal(rc, ERR_INVALID);
			assert_string_equal(out, "untouched");
		}
	}
}

static void test_null(void **state)
{
	(void)state;
	char out[CPR_LEN];
	assert_int_equal(cpr_parse(NULL, out, NULL), ERR_INVALID);
	assert_int_equal(cpr_parse("0101801234", out, NULL), 0);
}

static void test_year(void **state)
{
	(void)state;
	assert_int_equal(cpr_year(0, 0), 1900);
	assert_int_equal(cpr_year(99, 3), 1999);
	assert_int_equal(cpr_year(36, 4), 2036);
	assert_int_equal(cpr_year(37, 4), 1937);
	assert_int_equal(cpr_year(36, 9), 2036);
	assert_int_equal(cpr_year(37, 9), 1937);
	assert_int_equal(cpr_year(57, 5), 2057);
	assert_int_equal(cpr_year(58, 8), 1858);
}

/* The last digit: odd male, even female; an invalid number neither. */
static void test_sex(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int sex;
	} t[] = {
		{"0101801231", CPR_MALE},   {"0101801232", CPR_FEMALE}, {"010180-1239", CPR_MALE},
		{"010180-1230", CPR_FEMALE}, {"3112994007", CPR_MALE},  {"3112994008", CPR_FEMALE},
		{"3102801231", 0},          {"01018012", 0},            {NULL, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(cpr_sex(t[i].in), t[i].sex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_null),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_sex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
