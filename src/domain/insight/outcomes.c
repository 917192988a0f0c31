/* outcomes.c: outcomes by referral cohort and time to return to work
 * (measures.h). One statement reads the cohorts' cases (referral, status,
 * outcome); the shares, the Kaplan-Meier curve and the weeks in work are
 * computed from those rows. */
#include <math.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/insight/km.h"
#include "domain/insight/measures.h"
#include "domain/insight/suppress.h"
#include "store/store.h"

static const int horizons[] = {6, 12, 24};
#define NH 3

struct oc_case {
	day_t referred;
	day_t outcome; /* RTW or other end; 0 when open */
	bool returned; /* full, partial or graded return */
	bool closed;
};

struct cohort {
	day_t month;
	long n;
	long due[NH], in_work[NH]; /* cases whose horizon has passed; of them in work */
	long due12;
	long weeks12; /* weeks in work in the first 12 months, summed over due12 */
};

static double r3(double v)
{
	return round(v * 1000.0) / 1000.0;
}

static void count_case(struct cohort *co, const struct oc_case *k, day_t today)
{
	co->n++;
	for (int h = 0; h < NH; h++) {
		day_t at = date_add_months(k->referred, horizons[h]);
		if (at > today)
			continue;
		co->due[h]++;
		if (k->returned && k->outcome <= at)
			co->in_work[h]++;
	}
	day_t end12 = date_add_months(k->referred, 12);
	if (end12 <= today) {
		co->due12++;
		if (k->returned && k->outcome < end12)
			co->weeks12 += (end12 - k->outcome) / 7;
	}
}

static json_t *share(long in_work, long due)
{
	struct agg g = {.n = due};
	suppress_one(&g);
	if (!due)
		return json_pack("{s:n, s:i, s:b, s:b}", "share", "n", 0, "suppressed", 0,
				 "not_yet", 1);
	if (g.why != SUPP_NONE)
		return json_pack("{s:n, s:I, s:b, s:b}", "share", "n", (json_int_t)due,
				 "suppressed", 1, "not_yet", 0);
	return json_pack("{s:f, s:I, s:b, s:b}", "share", r3((double)in_work / (double)due), "n",
			 (json_int_t)due, "suppressed", 0, "not_yet", 0);
}

static json_t *cohort_json(const struct cohort *co)
{
	char m[DATE_STR_LEN];
	date_format(co->month, m);
	m[7] = '\0';
	json_t *o = json_pack("{s:s, s:I}", "cohort", m, "cases", (json_int_t)co->n);
	json_object_set_new(o, "in_work_6", share(co->in_work[0], co->due[0]));
	json_object_set_new(o, "in_work_12", share(co->in_work[1], co->due[1]));
	json_object_set_new(o, "in_work_24", share(co->in_work[2], co->due[2]));
	struct agg g = {.n = co->due12};
	suppress_one(&g);
	bool shown = g.why == SUPP_NONE && co->due12 > 0;
	json_object_set_new(o, "weeks_in_work_12",
			    json_pack("{s:o, s:I, s:b}", "mean",
				      shown ? json_real(round((double)co->weeks12 / (double)co->due12 * 10) / 10)
					    : json_null(),
				      "n", (json_int_t)co->due12, "suppressed", g.why != SUPP_NONE));
	return o;
}

static json_t *km_json(struct km_subject *v, size_t n, struct arena *a)
{
	struct km_step *s;
	size_t ns;
	km_estimate(v, n, a, &s, &ns);
	json_t *km = json_array();
	if (!ns || s[0].week > 0) /* the curve starts at 1 in week 0 */
		json_array_append_new(km, json_pack("{s:i, s:I, s:i, s:i, s:f}", "week", 0, "at_risk",
						    (json_int_t)n, "events", 0, "censored", 0,
						    "survival", 1.0));
	for (size_t i = 0; i < ns; i++) {
		json_array_append_new(km, json_pack("{s:i, s:i, s:i, s:i, s:f}", "week", s[i].week,
						    "at_risk", s[i].at_risk, "events", s[i].events,
						    "censored", s[i].censored, "survival",
						    r3(s[i].survival)));
	}
	json_t *risk = json_array();
	static const int marks[] = {0, 13, 26, 39, 52, 78, 104};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		json_array_append_new(risk, json_pack("{s:i, s:i, s:f}", "week", marks[i], "at_risk",
						      km_at_risk(v, n, marks[i]), "survival",
						      r3(km_survival_at(s, ns, marks[i]))));
	return json_pack("{s:o, s:o}", "km", km, "at_risk_table", risk);
}

int measures_outcomes(struct store_conn *c, int64_t team, day_t cohort_from, day_t cohort_to,
		      day_t today, struct arena *a, json_t **out)
{
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	date_format(cohort_from, from);
	date_format(date_last_of_month(cohort_to), to);
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT referred_on, status, outcome_kind, outcome_on FROM cases WHERE "
			       "team_id = $1 AND referred_on >= $2 AND referred_on <= $3 ORDER BY "
			       "referred_on",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	store_bind_str(st, 2, from);
	store_bind_str(st, 3, to);
	struct cohort *co = NULL;
	struct km_subject *v = NULL;
	size_t nco = 0, capco = 0, n = 0, cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		struct oc_case k = {0};
		if (date_parse(store_col_text(st, 0, NULL), &k.referred))
			continue;
		k.closed = str_eq(store_col_text(st, 1, NULL), "closed");
		const char *kind = store_col_text(st, 2, NULL);
		k.returned = str_starts_with(kind, "returned_");
		if (k.closed && date_parse(store_col_text(st, 3, NULL), &k.outcome))
			k.closed = k.returned = false;
		if (!k.closed)
			k.returned = false;
		day_t month = date_first_of_month(k.referred);
		if (!nco || co[nco - 1].month != month) {
			co = arena_grow(a, co, nco, &capco, sizeof *co);
			memset(&co[nco], 0, sizeof co[nco]);
			co[nco++].month = month;
		}
		count_case(&co[nco - 1], &k, today);
		day_t end = k.closed ? k.outcome : today;
		v = arena_grow(a, v, n, &cap, sizeof *v);
		v[n].week = end > k.referred ? (int)((end - k.referred) / 7) : 0;
		v[n++].event = k.returned;
	}
	if (rc < 0)
		return rc;
	json_t *cohorts = json_array();
	for (size_t i = 0; i < nco; i++)
		json_array_append_new(cohorts, cohort_json(&co[i]));
	json_t *km = km_json(v, n, a);
	*out = json_pack("{s:o, s:O, s:O, s:I}", "cohorts", cohorts, "km", json_object_get(km, "km"),
			 "at_risk_table", json_object_get(km, "at_risk_table"), "cases", (json_int_t)n);
	json_decref(km);
	return 0;
}
