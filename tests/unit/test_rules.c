/* test_rules.c: table tests of the pure timeline core (src/rules).
 * Expected values are worked out by hand from spec/benefit-rules-dk.md. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "base/embed.h"
#include "base/err.h"
#include "rules/rules.h"

static day_t D(const char *s)
{
	day_t d = RULES_NO_DAY;
	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

static void load_default(struct arena *a, struct rules_profile *p)
{
	char err[RULES_ERR_LEN];
	const struct embed_file *f = embed_find("rules/dk-2015.conf");
	assert_non_null(f);
	assert_int_equal(rules_profile_parse(f->data, f->len, f->path, a, p, err), 0);
}

/* ---- helpers ---- */

static void test_nth_weekday(void **state)
{
	/* 2016-06-01 is a Wednesday; the 110th weekday from it is Tue 2016-11-01
	 * (spec section 2 example), the 111th Wed 11-02. */
	assert_int_equal(rules_nth_weekday(D("2016-06-01"), 1), D("2016-06-01"));
	assert_int_equal(rules_nth_weekday(D("2016-06-01"), 110), D("2016-11-01"));
	assert_int_equal(rules_nth_weekday(D("2016-06-01"), 111), D("2016-11-02"));
	/* From a Saturday the first weekday is the Monday after. */
	assert_int_equal(rules_nth_weekday(D("2016-06-04"), 1), D("2016-06-06"));
	/* Friday + 1 more weekday = Monday. */
	assert_int_equal(rules_nth_weekday(D("2016-06-03"), 2), D("2016-06-06"));
}

static void test_merge_and_count(void **state)
{
	struct rules_period p[] = {
		{D("2016-03-10"), D("2016-03-20")},
		{D("2016-03-01"), D("2016-03-05")},
		{D("2016-03-06"), D("2016-03-08")}, /* adjacent to the one before */
		{D("2016-03-15"), D("2016-03-31")}, /* overlaps the first */
	};
	size_t n = rules_merge(p, 4);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].a, D("2016-03-01"));
	assert_int_equal(p[0].b, D("2016-03-08"));
	assert_int_equal(p[1].a, D("2016-03-10"));
	assert_int_equal(p[1].b, D("2016-03-31"));
	/* March 2016: 1-4 (4) + 7-8 (2) + 10-11 (2) + 14-18, 21-25, 28-31 (14) = 22. */
	assert_int_equal(rules_count_in(p, n, D("2016-03-01"), D("2016-03-31")), 22);
	/* Clipped: 3-7..3-10 = Mon 7, Tue 8, Thu 10 (9th is in the gap). */
	assert_int_equal(rules_count_in(p, n, D("2016-03-07"), D("2016-03-10")), 3);
	assert_int_equal(rules_count_in(p, n, D("2016-04-01"), D("2016-04-30")), 0);
}

/* ---- profile errors ---- */

struct perr_case {
	const char *text;
	const char *want; /* prefix of the message */
};

#define FULL_TAIL                                                                                              \
	"window_months = 9\nnot_counted_days.employee = 30\nnot_counted_days.self_employed = 14\n"              \
	"not_counted_days.unemployed = 0\nfirst_followup_days = 55\nfast_track_days = 14\n"                    \
	"next_followup_days = 28\ncategory3_rehab_team_days = 28\nbroad_assessment_months = 3\n"               \
	"job_clarification_rehab_team_days = 28\ncomplaint_weeks = 4\njob_clarification_max_years = 2\n"       \
	"ground.1 = event rehabilitation_started\nground.2 = weeks 69 from_start\n"                          \
	"ground.3 = weeks 134 after_reassessment\nground.4 = event rehab_team_decision\nground.5 = unlimited\n" \
	"ground.6 = event work_injury_decision\nground.7 = event pension_decision\nrate.2017 = 14808 11143\n"

static const struct perr_case perr_cases[] = {
	{"name = x\nlimit_days = abc\n", "p.conf:2: limit_days: not a positive integer"},
	{"name = x\nlimit_days = 0\n", "p.conf:2: limit_days: not a positive integer"},
	{"# c\n\nname = x\nlimit_days = 110 # ok\n" FULL_TAIL "limit_days = 111\n", "p.conf:25: limit_days: given twice"},
	{"name = x\n" FULL_TAIL, "p.conf:0: limit_days: missing"},
	{"limit_days = 110\n" FULL_TAIL, "p.conf:0: name: missing"},
	{"name = x\nlimit_days = 110\nlimits = 3\n", "p.conf:3: limits: unknown key"},
	{"name = x\nlimit_days 110\n", "p.conf:2: limit_days 110: expected 'key = value'"},
	{"name = x\nground.2 = weeks 69 sometime\n", "p.conf:2: ground.2: expected from_start"},
	{"name = x\nground.1 = event holiday\n", "p.conf:2: ground.1: unknown event"},
	{"name = x\nground.8 = unlimited\n", "p.conf:2: ground.8: unknown key"},
	{"name = x\nrate.2017 = 14808\n", "p.conf:2: rate.2017: expected two positive amounts"},
	{"name = x\nnot_counted_days.unemployed = -1\n", "p.conf:2: not_counted_days.unemployed: not a non-negative"},
};

static void test_profile_errors(void **state)
{
	struct arena a;
	struct rules_profile p;
	char err[RULES_ERR_LEN];
	arena_init(&a);
	for (size_t i = 0; i < sizeof perr_cases / sizeof perr_cases[0]; i++) {
		const char *t = perr_cases[i].text;
		int rc = rules_profile_parse(t, strlen(t), "p.conf", &a, &p, err);
		if (rc != ERR_INVALID || strncmp(err, perr_cases[i].want, strlen(perr_cases[i].want)) != 0)
			fail_msg("case %zu: rc %d, message '%s', want '%s'", i, rc, err, perr_cases[i].want);
	}
	arena_release(&a);
}

static void test_profiles_parse(void **state)
{
	struct arena a;
	struct rules_profile p;
	char err[RULES_ERR_LEN];
	const char *t = "name = x\nlimit_days = 110\n" FULL_TAIL;
	arena_init(&a);
	assert_int_equal(rules_profile_parse(t, strlen(t), "p.conf", &a, &p, err), 0);
	assert_int_equal(p.grounds[1].kind, RULES_GROUND_FROM_START);
	assert_int_equal(p.grounds[1].weeks, 69);
	assert_int_equal(p.grounds[2].kind, RULES_GROUND_AFTER_REASS);
	assert_int_equal(p.grounds[4].kind, RULES_GROUND_UNLIMITED);
	assert_int_equal(p.grounds[5].event, RULES_EV_WORK_INJURY_DECISION);
	load_default(&a, &p);
	assert_string_equal(p.name, "dk-2015");
	assert_int_equal(p.limit_days, 110);
	assert_int_equal(p.not_counted_days[RULES_SELF_EMPLOYED], 14);
	const struct embed_file *f = embed_find("rules/dk-pre2014.conf");
	assert_non_null(f);
	assert_int_equal(rules_profile_parse(f->data, f->len, f->path, &a, &p, err), 0);
	assert_int_equal(p.limit_days, 260);
	assert_int_equal(p.window_months, 18);
	arena_release(&a);
}

/* ---- facts errors ---- */

static const struct perr_case ferr_cases[] = {
	{"{\"as_of\":\"2016-1-01\"}", "as_of: not a date"},
	{"{\"as_of\":\"2016-12-15\",\"first_absence_day\":\"x\"}", "first_absence_day: not a date (YYYY-MM-DD)"},
	{"{\"as_of\":\"2016-12-15\",\"employment\":\"boss\",\"first_absence_day\":\"2016-05-02\",\"absences\":[]}",
	 "employment: unknown"},
	{"{\"as_of\":\"2016-12-15\",\"first_absence_day\":\"2016-05-02\"}", "absences: missing"},
	{"{\"as_of\":\"2016-12-15\",\"first_absence_day\":\"2016-05-02\",\"absences\":[{\"from\":\"2016-05-02\","
	 "\"to\":null},{\"from\":\"2016-06-02\",\"to\":\"2016-06-01\"}]}",
	 "absences[1].to: before from"},
	{"{\"as_of\":\"2016-12-15\",\"first_absence_day\":\"2016-05-02\",\"absences\":[],\"decisions\":[{\"on\":"
	 "\"2016-11-20\",\"kind\":\"extension\",\"ground\":8}]}",
	 "decisions[0].ground: must be 1-7"},
	{"{\"as_of\":\"2016-12-15\",\"first_absence_day\":\"2016-05-02\",\"absences\":[],\"events\":[{\"on\":"
	 "\"2016-11-20\",\"kind\":\"party\"}]}",
	 "events[0].kind: unknown kind"},
	{"[1,2]", "input: not a JSON object"},
	{"{\"as_of\":", "input: not JSON"},
};

static void test_facts_errors(void **state)
{
	struct arena a;
	struct rules_facts f;
	char err[RULES_ERR_LEN];
	arena_init(&a);
	for (size_t i = 0; i < sizeof ferr_cases / sizeof ferr_cases[0]; i++) {
		const char *t = ferr_cases[i].text;
		int rc = rules_facts_parse(t, strlen(t), &a, &f, err);
		if (rc != ERR_INVALID || strncmp(err, ferr_cases[i].want, strlen(ferr_cases[i].want)) != 0)
			fail_msg("case %zu: rc %d, message '%s', want '%s'", i, rc, err, ferr_cases[i].want);
		assert_null(strchr(err, '\n'));
	}
	arena_release(&a);
}

/* ---- engine ---- */

/* The timeline points into a (profile name, lists): the caller releases it
 * when done with t. */
static void compute(struct arena *a, const char *json, struct rules_timeline *t)
{
	struct rules_profile p;
	struct rules_facts f;
	char err[RULES_ERR_LEN];
	load_default(a, &p);
	if (rules_facts_parse(json, strlen(json), a, &f, err))
		fail_msg("facts: %s", err);
	assert_int_equal(rules_compute(&p, &f, a, t), 0);
}

static void test_engine_worked_example(void **state)
{
	/* Spec section 9 example: F 2016-05-02, counting from 06-01, limit 11-02,
	 * reassessment 11-30; ground 3 until 11-30 + 134 weeks = 2019-06-26;
	 * benefit days 06-01..12-15 = 142 (window from 2016-04-01). */
	struct rules_timeline t;
	struct arena a;
	arena_init(&a);
	compute(&a, "{\"as_of\":\"2016-12-15\",\"first_absence_day\":\"2016-05-02\",\"absences\":[{\"from\":"
		"\"2016-05-02\",\"to\":null}],\"decisions\":[{\"on\":\"2016-11-20\",\"hearing\":\"2016-11-08\","
		"\"kind\":\"extension\",\"ground\":3}]}",
		&t);
	assert_int_equal(t.benefit_days, 142);
	assert_int_equal(t.limit_day, D("2016-11-02"));
	assert_int_equal(t.reassessment_date, D("2016-11-30"));
	assert_false(t.projected);
	assert_int_equal(t.status, RULES_EXTENDED);
	assert_int_equal(t.benefit_ends, D("2016-11-30"));
	assert_true(t.has_extension);
	assert_int_equal(t.extension.from, D("2016-12-01"));
	assert_int_equal(t.extension.until, D("2019-06-26"));
	assert_int_equal(t.params.counted_from, D("2016-06-01"));
	assert_int_equal(t.flags, 0);
	arena_release(&a);
}

static void test_engine_no_hearing_and_over_limit(void **state)
{
	/* Earlier benefit 2016-01-04..07-29 = 150 weekdays > 110 in the window
	 * of F 2016-08-01; a decision without hearing is flagged and ignored. */
	struct rules_timeline t;
	struct arena a;
	arena_init(&a);
	compute(&a, "{\"as_of\":\"2016-09-05\",\"first_absence_day\":\"2016-08-01\",\"absences\":[{\"from\":"
		"\"2016-08-01\",\"to\":null}],\"earlier_benefit\":[{\"from\":\"2016-01-04\",\"to\":\"2016-07-29\"}],"
		"\"decisions\":[{\"on\":\"2016-09-01\",\"kind\":\"job_clarification\"}]}",
		&t);
	assert_int_equal(t.flags, RULES_FLAG_OVER_LIMIT_AT_START | RULES_FLAG_INVALID_DECISION_NO_HEARING);
	assert_int_equal(t.limit_day, D("2016-08-31"));
	assert_int_equal(t.status, RULES_AWAITING_DECISION);
	assert_int_equal(t.benefit_ends, RULES_NO_DAY);
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(rules_timeline_json(&t, &b), 0);
	assert_non_null(strstr(b.data, "\"flags\": [\"invalid_decision:no_hearing\", \"over_limit_at_start\"]"));
	assert_non_null(strstr(b.data, "\"extension\": null"));
	buf_release(&b);
	arena_release(&a);
}

/* Every explanation key has a sentence in both catalogues. */
static void test_explanation_catalogues(void **state)
{
	static const char *const files[] = {"locale/timeline/en.po", "locale/timeline/da.po"};
	size_t n;
	const char *const *keys = rules_explanation_keys(&n);
	for (size_t f = 0; f < 2; f++) {
		char text[1 << 16], want[128];
		FILE *fp = fopen(files[f], "rb");
		assert_non_null(fp);
		size_t len = fread(text, 1, sizeof text - 1, fp);
		fclose(fp);
		text[len] = '\0';
		for (size_t i = 0; i < n; i++) {
			snprintf(want, sizeof want, "msgid \"%s\"\nmsgstr \"", keys[i]);
			char *at = strstr(text, want);
			if (!at || at[strlen(want)] == '"')
				fail_msg("%s: no sentence for %s", files[f], keys[i]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nth_weekday),
		cmocka_unit_test(test_merge_and_count),
		cmocka_unit_test(test_profile_errors),
		cmocka_unit_test(test_profiles_parse),
		cmocka_unit_test(test_facts_errors),
		cmocka_unit_test(test_engine_worked_example),
		cmocka_unit_test(test_engine_no_hearing_and_over_limit),
		cmocka_unit_test(test_explanation_catalogues),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
