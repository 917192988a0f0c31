/* test_insight.c: the pure parts of insight (DESIGN.md section 8): the
 * minimum group size as a table of hand-worked cases, and the instrument
 * files' parser with its errors naming file, line and key. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/insight/instrument.h"
#include "domain/insight/km.h"
#include "domain/insight/suppress.h"
#include "domain/insight/trend.h"

enum { CM, EC, SH, SJ };

static void set(struct rc_results *r, int rater, int rated, int d, long sum, long values, long n)
{
	r->cell[rater][rated][d] = (struct agg){.sum = sum, .values = values, .n = n};
}

/* Each row: the cells given (rater, rated, dimension 0, sum, n; one value
 * per respondent), then what the design says about the cell and the total. */
struct supp_case {
	const char *name;
	int ncells;
	struct {
		int rater, rated;
		long sum, n;
	} in[4];
	const char *cell_want[4]; /* "shown" or the suppression reason, per input cell */
	const char *total_want;	  /* the rated role's total over all raters */
	double total_mean;	  /* when shown */
};

static const struct supp_case supp_cases[] = {
    {"4 answers: suppressed", 1, {{EC, CM, 16, 4}}, {"fewer_than_5"}, "fewer_than_5", 0},
    {"5 answers: shown", 1, {{EC, CM, 20, 5}}, {"shown"}, "shown", 4.0},
    {"a total that reveals a suppressed cell: suppressed", 2,
     {{EC, CM, 20, 5}, {CM, CM, 3, 3}}, {"shown", "fewer_than_5"}, "would_reveal", 0},
    {"two suppressed cells of 3 each hide 6 together: total shown", 3,
     {{EC, CM, 25, 5}, {CM, CM, 9, 3}, {SH, CM, 15, 3}}, {"shown", "fewer_than_5", "fewer_than_5"},
     "shown", 49.0 / 11.0},
    {"a suppressed cell of 4 under a total of 9: suppressed", 2,
     {{CM, CM, 20, 5}, {SJ, CM, 8, 4}}, {"shown", "fewer_than_5"}, "would_reveal", 0},
    {"two small cells that make 4 together: both and the total suppressed", 2,
     {{CM, CM, 4, 2}, {EC, CM, 8, 2}}, {"fewer_than_5", "fewer_than_5"}, "fewer_than_5", 0},
    {"one cell of 1 beside two shown: suppressed total", 3,
     {{CM, CM, 25, 5}, {EC, CM, 20, 5}, {SH, CM, 1, 1}}, {"shown", "shown", "fewer_than_5"},
     "would_reveal", 0},
};

static const char *why(const struct agg *g)
{
	return g->why == SUPP_NONE ? "shown" : suppress_why_name(g->why);
}

static void test_suppression_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof supp_cases / sizeof supp_cases[0]; i++) {
		const struct supp_case *c = &supp_cases[i];
		struct rc_results r;
		memset(&r, 0, sizeof r);
		for (int k = 0; k < c->ncells; k++)
			set(&r, c->in[k].rater, c->in[k].rated, 0, c->in[k].sum, c->in[k].n, c->in[k].n);
		suppress_results(&r);
		for (int k = 0; k < c->ncells; k++) {
			const struct agg *g = &r.cell[c->in[k].rater][c->in[k].rated][0];
			if (strcmp(why(g), c->cell_want[k]))
				fprintf(stderr, "%s: cell %d: %s\n", c->name, k, why(g));
			assert_string_equal(why(g), c->cell_want[k]);
		}
		const struct agg *t = &r.total[CM][0];
		if (strcmp(why(t), c->total_want))
			fprintf(stderr, "%s: total: %s\n", c->name, why(t));
		assert_string_equal(why(t), c->total_want);
		if (t->why == SUPP_NONE)
			assert_true(t->mean > c->total_mean - 1e-9 && t->mean < c->total_mean + 1e-9);
	}
}

static void test_index(void **state)
{
	(void)state;
	struct rc_results r;
	memset(&r, 0, sizeof r);
	/* EC rates CM on all seven dimensions, 5 people: index = mean of means. */
	for (int d = 0; d < INSTR_DIMENSIONS; d++)
		set(&r, EC, CM, d, 5L * (1 + d % 5), 5, 5); /* means 1,2,3,4,5,1,2 */
	/* CM rates CM: 5 people on six dimensions, 4 on the seventh. */
	for (int d = 0; d < INSTR_DIMENSIONS; d++)
		set(&r, CM, CM, d, d == 6 ? 12 : 15, d == 6 ? 4 : 5, d == 6 ? 4 : 5);
	suppress_results(&r);
	assert_int_equal(r.index[EC][CM].why, SUPP_NONE);
	assert_true(r.index[EC][CM].mean > 18.0 / 7 - 1e-9 && r.index[EC][CM].mean < 18.0 / 7 + 1e-9);
	assert_int_equal(r.index[EC][CM].n, 5);
	/* One dimension suppressed: the index would give it back. */
	assert_int_equal(r.index[CM][CM].why, SUPP_FROM_SUPPRESSED);
	assert_int_equal(r.cell[CM][CM][6].why, SUPP_SMALL);
	/* The total on dimension 6: 5 + 4 = 9, hiding 4: suppressed, and so its index. */
	assert_int_equal(r.total[CM][6].why, SUPP_REVEALS);
	assert_int_equal(r.total_index[CM].why, SUPP_FROM_SUPPRESSED);
	/* Dimension 0 total: 10 people, nothing hidden: shown, mean (5+15)/10. */
	assert_int_equal(r.total[CM][0].why, SUPP_NONE);
	assert_true(r.total[CM][0].mean > 1.999 && r.total[CM][0].mean < 2.001);
	/* No answers at all: nothing to suppress and nothing shown. */
	assert_int_equal(r.cell[SH][SJ][0].n, 0);
	assert_int_equal(r.cell[SH][SJ][0].why, SUPP_NONE);
	assert_int_equal(r.index[SH][SJ].n, 0);
}

static const char GOOD[] = "# a comment\n"
			   "id = t-1\nname.en = Test\nname.da = Prøve\n"
			   "scale.min = 1\nscale.max = 5\n"
			   "item.a.dimension = shared_goals\n"
			   "item.a.en = Goals?\n"
			   "item.a.da = Mål?\n"
			   "item.b.dimension = mutual_respect\nitem.b.en = R?\nitem.b.da = R?\n";

static void test_instrument_parse(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct instrument in;
	char err[INSTR_ERR_LEN] = "";
	assert_int_equal(instrument_parse("x.conf", GOOD, strlen(GOOD), &a, &in, err, sizeof err), 0);
	assert_string_equal(in.id, "t-1");
	assert_string_equal(in.name_da, "Prøve");
	assert_int_equal(in.min, 1);
	assert_int_equal(in.max, 5);
	assert_int_equal(in.nitems, 2);
	assert_string_equal(in.items[0].id, "a");
	assert_int_equal(in.items[0].dimension, 4);
	assert_string_equal(in.items[1].da, "R?");
	assert_int_equal(in.items[1].dimension, 6);

	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"id = t\nname.en = T\nname.da = T\nscale.min = 1\nscale.max = 5\n"
	     "item.a.dimension = friendliness\n",
	     "f.conf:6: item.a.dimension: not one of the seven dimensions"},
	    {"id = t\nid = u\n", "f.conf:2: id: given twice"},
	    {"id = t\ncolour = blue\n", "f.conf:2: colour: unknown key"},
	    {"id = t\njust words\n", "f.conf:2: just words: expected KEY = VALUE"},
	    {"id = t\nname.en = T\nname.da = T\nscale.min = 1\nscale.max = 5\n"
	     "item.a.dimension = shared_goals\nitem.a.en = A\n",
	     "f.conf:6: item.a.da: missing"},
	    {"id = t\nname.en = T\nname.da = T\nscale.min = 5\nscale.max = 1\nitem.a.en = A\n",
	     "f.conf:5: scale.max: must be above scale.min"},
	    {"id = t\nname.en = T\nscale.min = 1\nscale.max = 5\n", "f.conf:4: name.da: missing"},
	    {"id = T T\n", "f.conf:1: id: lower-case letters, digits, _ and -"},
	    {"id = t\nscale.max = lots\n", "f.conf:2: scale.max: not an integer from 0 to 10"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		int rc = instrument_parse("f.conf", bad[i].text, strlen(bad[i].text), &a, &in, err,
					  sizeof err);
		if (strcmp(err, bad[i].want))
			fprintf(stderr, "case %zu: got '%s'\n", i, err);
		assert_int_equal(rc, ERR_INVALID);
		assert_string_equal(err, bad[i].want);
	}
	arena_release(&a);
}

/* The shipped instrument: loads, covers the seven dimensions, both languages. */
static void test_shipped_instrument(void **state)
{
	(void)state;
	char err[INSTR_ERR_LEN] = "";
	assert_int_equal(instruments_load(NULL, err, sizeof err), 0);
	const struct instrument *in = instrument_find("ibbis-coordination");
	assert_non_null(in);
	int seen[INSTR_DIMENSIONS] = {0};
	for (size_t i = 0; i < in->nitems; i++) {
		seen[in->items[i].dimension]++;
		assert_true(strlen(in->items[i].en) > 10 && strlen(in->items[i].da) > 10);
	}
	for (int d = 0; d < INSTR_DIMENSIONS; d++)
		assert_true(seen[d] >= 1);
	assert_int_equal(in->min, 1);
	assert_int_equal(in->max, 5);
	/* A deployer's folder that repeats the shipped id is refused, naming both. */
	assert_int_equal(instruments_load("tests/unit/data/surveys-dup", err, sizeof err), ERR_INVALID);
	assert_non_null(strstr(err, "surveys/ibbis-coordination.conf"));
	assert_non_null(strstr(err, "dup.conf:1: id:"));
	instruments_free();
}

/* Kaplan-Meier, worked by hand. 'e' an event (return to work), 'c' censored. */
struct km_case {
	const char *name;
	const char *subjects; /* "3e 5c 6e" */
	int nsteps;
	struct km_step want[6];
};

static const struct km_case km_cases[] = {
    {"three events, one a week", "1e 2e 3e", 3,
     {{1, 3, 1, 0, 2.0 / 3}, {2, 2, 1, 0, 1.0 / 3}, {3, 1, 1, 0, 0.0}}},
    /* 3: 6 at risk, 1 event: 5/6. 5: censored. 6: 4 at risk (6,6,8,10), 2
     * events: 5/6 * 2/4 = 5/12. 8: censored. 10: 1 at risk, 1 event: 0. */
    {"events and censorings", "6e 3e 5c 10e 6e 8c", 5,
     {{3, 6, 1, 0, 5.0 / 6}, {5, 5, 0, 1, 5.0 / 6}, {6, 4, 2, 0, 5.0 / 12},
      {8, 2, 0, 1, 5.0 / 12}, {10, 1, 1, 0, 0.0}}},
    /* A censoring at the week of an event is still at risk then: 2/3. */
    {"censored in the week of an event", "2c 2e 4e", 2,
     {{2, 3, 1, 1, 2.0 / 3}, {4, 1, 1, 0, 0.0}}},
    {"only censored: survival stays 1", "5c 7c", 2, {{5, 2, 0, 1, 1.0}, {7, 1, 0, 1, 1.0}}},
    /* 0: 4 at risk, 1 event: 3/4. 4: 3 at risk, 1 event, 1 censored: 3/4 * 2/3 = 1/2. */
    {"an event in week 0", "0e 4e 4c 9c", 3,
     {{0, 4, 1, 0, 0.75}, {4, 3, 1, 1, 0.5}, {9, 1, 0, 1, 0.5}}},
    {"nobody", "", 0, {{0}}},
};

static size_t parse_subjects(const char *s, struct km_subject *v)
{
	size_t n = 0;
	while (*s) {
		long w = 0;
		while (*s >= '0' && *s <= '9')
			w = w * 10 + (*s++ - '0');
		v[n].week = (int)w;
		v[n++].event = *s++ == 'e';
		while (*s == ' ')
			s++;
	}
	return n;
}

static void test_kaplan_meier(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (size_t k = 0; k < sizeof km_cases / sizeof km_cases[0]; k++) {
		const struct km_case *c = &km_cases[k];
		struct km_subject v[16];
		size_t n = parse_subjects(c->subjects, v);
		struct km_step *st;
		size_t ns;
		km_estimate(v, n, &a, &st, &ns);
		if ((int)ns != c->nsteps)
			fprintf(stderr, "%s: %zu steps\n", c->name, ns);
		assert_int_equal(ns, c->nsteps);
		for (size_t i = 0; i < ns; i++) {
			assert_int_equal(st[i].week, c->want[i].week);
			assert_int_equal(st[i].at_risk, c->want[i].at_risk);
			assert_int_equal(st[i].events, c->want[i].events);
			assert_int_equal(st[i].censored, c->want[i].censored);
			assert_true(st[i].survival > c->want[i].survival - 1e-9 &&
				    st[i].survival < c->want[i].survival + 1e-9);
		}
	}
	/* The number at risk and S(t) between steps. */
	struct km_subject v[8];
	size_t n = parse_subjects("6e 3e 5c 10e 6e 8c", v);
	struct km_step *st;
	size_t ns;
	km_estimate(v, n, &a, &st, &ns);
	assert_int_equal(km_at_risk(v, n, 0), 6);
	assert_int_equal(km_at_risk(v, n, 6), 4);
	assert_int_equal(km_at_risk(v, n, 7), 2);
	assert_int_equal(km_at_risk(v, n, 11), 0);
	assert_true(km_survival_at(st, ns, 2) == 1.0);
	assert_true(km_survival_at(st, ns, 7) > 5.0 / 12 - 1e-9 && km_survival_at(st, ns, 7) < 5.0 / 12 + 1e-9);
	arena_release(&a);
}

/* Trend over rounds, worked by hand. Each round: EC rates CM and CM rates
 * CM on dimension 0 (sum, respondents; one value each), suppressed per
 * round first. Two measures: the total of CM on dimension 0 over all
 * raters, and the index EC -> CM (here the mean of dimension 0 alone).
 * want: "s" shown, "h" hidden (suppressed), "-" no answers; a change only
 * between two shown rounds, the round before being the last with answers. */
struct trend_case {
	long ec_sum, ec_n, cm_sum, cm_n;
	const char *total_want;
	double total_mean, total_change; /* change NAN: none */
	const char *pair_want;
	double pair_mean, pair_change;
};

static void test_trend_table(void **state)
{
	(void)state;
	static const struct trend_case rounds[] = {
	    /* R1: 5 answers, 3.0: shown, nothing before */
	    {15, 5, 0, 0, "s", 3.0, NAN, "s", 3.0, NAN},
	    /* R2: 4 answers: hidden, and no change beside it */
	    {16, 4, 0, 0, "h", 0, NAN, "h", 0, NAN},
	    /* R3: 6 answers, 4.0: shown; the round before is hidden: no change */
	    {24, 6, 0, 0, "s", 4.0, NAN, "s", 4.0, NAN},
	    /* R4: nobody answered: skipped when looking back */
	    {0, 0, 0, 0, "-", 0, NAN, "-", 0, NAN},
	    /* R5: EC 5 (4.0) + CM 3: the total would give the 3 back: hidden;
	     * the pair EC -> CM is shown, change from R3 (R4 skipped) 0.0 */
	    {20, 5, 9, 3, "h", 0, NAN, "s", 4.0, 0.0},
	    /* R6: EC 5 (5.0) + CM 5 (2.0): total 35/10 = 3.5 shown, but R5's
	     * total was hidden: no change; the pair: 5.0, +1.0 */
	    {25, 5, 10, 5, "s", 3.5, NAN, "s", 5.0, 1.0},
	    /* R7: EC 10 (4.0): total 4.0, +0.5; pair 4.0, -1.0 */
	    {40, 10, 0, 0, "s", 4.0, 0.5, "s", 4.0, -1.0},
	};
	enum { N = sizeof rounds / sizeof rounds[0] };
	static struct rc_results r[N];
	const struct rc_results *rp[N];
	for (size_t i = 0; i < N; i++) {
		memset(&r[i], 0, sizeof r[i]);
		if (rounds[i].ec_n)
			set(&r[i], EC, CM, 0, rounds[i].ec_sum, rounds[i].ec_n, rounds[i].ec_n);
		if (rounds[i].cm_n)
			set(&r[i], CM, CM, 0, rounds[i].cm_sum, rounds[i].cm_n, rounds[i].cm_n);
		suppress_results(&r[i]);
		rp[i] = &r[i];
	}
	const struct trend_measure total = {TREND_DIMENSION, -1, CM, 0};
	const struct trend_measure pair = {TREND_INDEX, EC, CM, 0};
	struct trend_point t[N], p[N];
	trend_series(rp, N, &total, t);
	trend_series(rp, N, &pair, p);
	for (size_t i = 0; i < N; i++) {
		const struct trend_case *w = &rounds[i];
		const struct {
			const struct trend_point *got;
			const char *want;
			double mean, change;
		} chk[] = {{&t[i], w->total_want, w->total_mean, w->total_change},
			   {&p[i], w->pair_want, w->pair_mean, w->pair_change}};
		for (int k = 0; k < 2; k++) {
			const struct trend_point *g = chk[k].got;
			const char *st = g->shown ? "s" : g->suppressed ? "h" : "-";
			if (strcmp(st, chk[k].want) || g->has_change != !isnan(chk[k].change))
				fprintf(stderr, "round %zu measure %d: %s change %d\n", i + 1, k, st,
					g->has_change);
			assert_string_equal(st, chk[k].want);
			if (g->shown)
				assert_true(fabs(g->mean - chk[k].mean) < 1e-9);
			assert_int_equal(g->has_change, !isnan(chk[k].change));
			if (g->has_change)
				assert_true(fabs(g->change - chk[k].change) < 1e-9);
		}
	}
	/* The hidden total of R5 still carries its n (8 people), as the page shows. */
	assert_int_equal(t[4].n, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_suppression_table),
	    cmocka_unit_test(test_index),
	    cmocka_unit_test(test_instrument_parse),
	    cmocka_unit_test(test_shipped_instrument),
	    cmocka_unit_test(test_kaplan_meier),
	    cmocka_unit_test(test_trend_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
