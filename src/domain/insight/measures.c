/* measures.c: caseload, deadlines, continuity and pulse (measures.h);
 * outcomes are in outcomes.c. */
#include "domain/insight/measures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/insight/suppress.h"
#include "domain/meetings/pulse.h"
#include "domain/trust/seal.h"
#include "store/store.h"

static double r2(double v)
{
	return round(v * 100.0) / 100.0;
}

static void dstr(day_t d, char out[DATE_STR_LEN])
{
	date_format(d, out);
}

int measures_caseload(struct store_conn *c, int64_t team, const struct period *p, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    c,
	    "SELECT u.id, u.name, m.role, m.fraction, (SELECT count(*) FROM cases k WHERE "
	    "k.team_id = $1 AND k.status = 'open' AND (k.care_manager_id = u.id OR "
	    "k.employment_consultant_id = u.id)) FROM memberships m JOIN users u ON u.id = m.user_id "
	    "WHERE m.team_id = $1 AND m.role IN ('care_manager', 'employment_consultant') AND "
	    "m.from_date <= $2 AND (m.to_date IS NULL OR m.to_date > $2) ORDER BY m.role, u.name",
	    &st);
	if (rc)
		return rc;
	char today[DATE_STR_LEN];
	dstr(p->today, today);
	store_bind_int64(st, 1, team);
	store_bind_str(st, 2, today);
	json_t *list = json_array();
	double total = 0, fte = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		double f = strtod(store_col_text(st, 3, NULL), NULL);
		if (f <= 0)
			f = 1;
		int64_t open = store_col_int64(st, 4);
		total += (double)open;
		fte += f;
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:f, s:I, s:f}", "user",
						      (json_int_t)store_col_int64(st, 0), "name",
						      store_col_text(st, 1, NULL), "role",
						      store_col_text(st, 2, NULL), "fraction", r2(f),
						      "open_cases", (json_int_t)open, "weighted",
						      r2((double)open / f)));
	}
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:o, s:f, s:f}", "professionals", list, "full_time_equivalents", r2(fte),
			 "open_cases_per_fte", fte > 0 ? r2(total / fte) : 0.0);
	return 0;
}

/* Counts of open tasks by due date, and the "at risk" reassessments. */
int measures_deadlines(struct store_conn *c, int64_t team, const struct period *p, json_t **out)
{
	char today[DATE_STR_LEN], week[DATE_STR_LEN], d28[DATE_STR_LEN], back[DATE_STR_LEN];
	dstr(p->today, today);
	dstr(p->today + 6, week);
	dstr(p->today + 28, d28);
	dstr(p->today - 84, back);
	struct store_stmt *st;
	int rc = store_prepare(
	    c,
	    "SELECT coalesce(sum(CASE WHEN t.due < $2 THEN 1 ELSE 0 END), 0), "
	    "coalesce(sum(CASE WHEN t.due >= $2 AND t.due <= $3 THEN 1 ELSE 0 END), 0) "
	    "FROM cases k JOIN tasks t ON t.case_id = k.id WHERE k.team_id = $1 AND "
	    "k.status = 'open' AND t.done = 0 AND t.due IS NOT NULL",
	    &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	store_bind_str(st, 2, today);
	store_bind_str(st, 3, week);
	int64_t overdue = 0, this_week = 0;
	if ((rc = store_step(st)) == STORE_ROW) {
		overdue = store_col_int64(st, 0);
		this_week = store_col_int64(st, 1);
		store_reset(st);
	} else if (rc < 0)
		return rc;
	rc = store_prepare(
	    c,
	    "SELECT k.id, t.due, cm.name, ec.name FROM cases k JOIN tasks t ON t.case_id = k.id "
	    "LEFT JOIN users cm ON cm.id = k.care_manager_id LEFT JOIN users ec ON "
	    "ec.id = k.employment_consultant_id WHERE k.team_id = $1 AND k.status = 'open' AND "
	    "t.done = 0 AND t.kind = 'reassessment_decision' AND t.due >= $2 AND t.due <= $3 AND "
	    "NOT EXISTS (SELECT 1 FROM evidence e WHERE e.case_id = k.id AND e.supplied_on >= $4) "
	    "AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = k.id AND d.hearing >= $2) "
	    "ORDER BY t.due, k.id LIMIT 100",
	    &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	store_bind_str(st, 2, today);
	store_bind_str(st, 3, d28);
	store_bind_str(st, 4, back);
	json_t *risk = json_array();
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(
		    risk, json_pack("{s:I, s:s, s:s, s:s}", "case", (json_int_t)store_col_int64(st, 0),
				    "due", store_col_text(st, 1, NULL), "care_manager",
				    store_col_text(st, 2, NULL), "employment_consultant",
				    store_col_text(st, 3, NULL)));
	if (rc < 0) {
		json_decref(risk);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:I, s:o}", "overdue", (json_int_t)overdue, "due_this_week",
			 (json_int_t)this_week, "at_risk_count", (json_int_t)json_array_size(risk),
			 "at_risk", risk);
	return 0;
}

static int cmp_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

/* Median and quartiles of sorted v (n > 0), by the nearest-rank rule. */
static json_t *spread(int *v, size_t n)
{
	if (!n)
		return json_pack("{s:i, s:n, s:n, s:n}", "n", 0, "median", "q1", "q3");
	qsort(v, n, sizeof *v, cmp_int);
	size_t m = (n - 1) / 2;
	double med = n % 2 ? v[m] : (v[m] + v[m + 1]) / 2.0;
	return json_pack("{s:I, s:f, s:i, s:i, s:i, s:i}", "n", (json_int_t)n, "median", med, "q1",
			 v[(n - 1) / 4], "q3", v[(3 * (n - 1)) / 4], "min", v[0], "max", v[n - 1]);
}

static int pairs(struct store_conn *c, int64_t team, const struct period *p, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    c,
	    "SELECT cm.name, ec.name, count(*), min(CASE WHEN a1.from_date > a2.from_date THEN "
	    "a1.from_date ELSE a2.from_date END) FROM cases k JOIN users cm ON cm.id = "
	    "k.care_manager_id JOIN users ec ON ec.id = k.employment_consultant_id JOIN assignments "
	    "a1 ON a1.case_id = k.id AND a1.role = 'care_manager' AND a1.user_id = "
	    "k.care_manager_id AND a1.to_date IS NULL JOIN assignments a2 ON a2.case_id = k.id AND "
	    "a2.role = 'employment_consultant' AND a2.user_id = k.employment_consultant_id AND "
	    "a2.to_date IS NULL WHERE k.team_id = $1 AND k.status = 'open' "
	    "GROUP BY cm.id, cm.name, ec.id, ec.name ORDER BY 3 DESC, 1, 2 LIMIT 100",
	    &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	json_t *list = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		day_t since;
		const char *s = store_col_text(st, 3, NULL);
		int weeks = date_parse(s, &since) ? 0 : (int)((p->today - since) / 7);
		json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:s, s:i}", "care_manager",
						      store_col_text(st, 0, NULL),
						      "employment_consultant",
						      store_col_text(st, 1, NULL), "open_cases",
						      (json_int_t)store_col_int64(st, 2), "since", s,
						      "weeks_together", weeks));
	}
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

int measures_continuity(struct store_conn *c, int64_t team, const struct period *p,
			struct arena *a, json_t **out)
{
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	dstr(p->from, from);
	dstr(p->to, to);
	json_t *pl;
	int rc = pairs(c, team, p, &pl);
	if (rc)
		return rc;
	struct store_stmt *st;
	if ((rc = store_prepare(c,
				"SELECT count(DISTINCT x.case_id), coalesce(sum(x.k - 1), 0) FROM (SELECT "
				"a.case_id AS case_id, count(*) AS k FROM cases k JOIN assignments a ON a.case_id = k.id WHERE k.team_id = "
				"$1 AND k.referred_on >= $2 AND k.referred_on <= $3 GROUP BY a.case_id, "
				"a.role) x",
				&st)))
		goto fail;
	store_bind_int64(st, 1, team);
	store_bind_str(st, 2, from);
	store_bind_str(st, 3, to);
	int64_t ncases = 0, handovers = 0;
	if ((rc = store_step(st)) == STORE_ROW) {
		ncases = store_col_int64(st, 0);
		handovers = store_col_int64(st, 1);
		store_reset(st);
	} else if (rc < 0)
		goto fail;
	/* Per case referred in the period: referral, first held roundtable, and
	 * the held contacts before it. */
	if ((rc = store_prepare(
		 c,
		 "SELECT k.referred_on, f.first_rt, (SELECT count(*) FROM meetings m WHERE m.case_id "
		 "= k.id AND m.status = 'held' AND m.kind <> 'roundtable' AND m.starts_at < "
		 "f.first_rt) FROM cases k JOIN (SELECT m.case_id, min(m.starts_at) AS first_rt FROM "
		 "cases k2 JOIN meetings m ON m.case_id = k2.id WHERE k2.team_id = $1 AND "
		 "k2.referred_on >= $2 AND k2.referred_on <= $3 AND m.kind = 'roundtable' AND "
		 "m.status = 'held' GROUP BY m.case_id) f ON f.case_id = k.id",
		 &st)))
		goto fail;
	store_bind_int64(st, 1, team);
	store_bind_str(st, 2, from);
	store_bind_str(st, 3, to);
	int *days = NULL, *contacts = NULL;
	size_t n = 0, cap = 0, cap2 = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		day_t ref;
		if (date_parse(store_col_text(st, 0, NULL), &ref))
			continue;
		int64_t t = store_col_int64(st, 1);
		day_t held = ref + (day_t)((t - clock_dk_to_utc(ref, 0)) / 86400);
		days = arena_grow(a, days, n, &cap, sizeof *days);
		contacts = arena_grow(a, contacts, n, &cap2, sizeof *contacts);
		days[n] = (int)(held - ref);
		contacts[n++] = (int)store_col_int64(st, 2);
	}
	if (rc < 0)
		goto fail;
	*out = json_pack("{s:o, s:I, s:I, s:f, s:o, s:o}", "pairs", pl, "cases_referred",
			 (json_int_t)ncases, "handovers", (json_int_t)handovers, "handovers_per_case",
			 ncases ? r2((double)handovers / (double)ncases) : 0.0,
			 "days_to_first_roundtable", spread(days, n), "contacts_before_roundtable",
			 spread(contacts, n));
	return 0;
fail:
	json_decref(pl);
	return rc;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The comments shared in the period and how many people shared one; the
 * comments (sealed at rest) only when they are at least the minimum group,
 * opened here and sorted by their text in C, never by the database, so
 * their order says nothing of who wrote them or when. */
static int shared_comments(struct store_conn *c, int64_t team, int64_t t0, int64_t t1,
			   long *sharers, json_t *out)
{
	/* A comment written before migration 0008 is the answer "text" in clear
	 * until seal_upgrade moves it (at the next start). */
	static const char *const sql[2] = {
	    "SELECT count(DISTINCT r.respondent_id) FROM survey_responses r LEFT JOIN survey_answers "
	    "a ON a.response_id = r.id AND a.item = 'text' WHERE r.team_id = $1 AND r.instrument = "
	    "$2 AND r.created_at >= $3 AND r.created_at < $4 AND r.share_text = 1 AND "
	    "(r.comment_sealed IS NOT NULL OR a.text IS NOT NULL)",
	    "SELECT r.comment_sealed, a.text FROM survey_responses r LEFT JOIN survey_answers a ON "
	    "a.response_id = r.id AND a.item = 'text' WHERE r.team_id = $1 AND r.instrument = $2 "
	    "AND r.created_at >= $3 AND r.created_at < $4 AND r.share_text = 1 AND "
	    "(r.comment_sealed IS NOT NULL OR a.text IS NOT NULL)"};
	struct store_stmt *st[2];
	for (int i = 0; i < 2; i++) {
		int rc = store_prepare(c, sql[i], &st[i]);
		if (rc)
			return rc;
		store_bind_int64(st[i], 1, team);
		store_bind_str(st[i], 2, PULSE_INSTRUMENT);
		store_bind_int64(st[i], 3, t0);
		store_bind_int64(st[i], 4, t1);
	}
	int rc = store_step(st[0]);
	*sharers = rc == STORE_ROW ? (long)store_col_int64(st[0], 0) : 0;
	store_reset(st[0]);
	if (rc < 0 || *sharers < INSIGHT_MIN_GROUP)
		return rc < 0 ? rc : 0;
	struct arena a;
	arena_init(&a);
	char **v = NULL;
	size_t n = 0, cap = 0;
	while ((rc = store_step(st[1])) == STORE_ROW) {
		size_t len;
		const void *sealed = store_col_blob(st[1], 0, &len);
		ARENA_RESERVE(&a, v, n, cap);
		if (!sealed) {
			v[n++] = store_col_strdup(st[1], 1, &a);
			continue;
		}
		if ((rc = seal_decrypt(&a, sealed, len, &v[n])) != 0) {
			store_reset(st[1]);
			break;
		}
		n++;
	}
	if (rc >= 0 && n > 0) {
		qsort(v, n, sizeof *v, cmp_str);
		for (size_t i = 0; i < n; i++)
			json_array_append_new(out, json_string(v[i]));
	}
	arena_release(&a);
	return rc < 0 ? rc : 0;
}

/* Per item: the distribution and mean over distinct respondents >= 5. */
int measures_pulse(struct store_conn *c, int64_t team, const struct period *p, json_t **out)
{
	int64_t t0 = clock_dk_to_utc(p->from, 0), t1 = clock_dk_to_utc(p->to + 1, 0);
	struct store_stmt *st;
	int rc = store_prepare(
	    c,
	    "SELECT a.item, a.value, count(*), count(DISTINCT r.respondent_id) FROM survey_responses "
	    "r JOIN survey_answers a ON a.response_id = r.id WHERE r.team_id = $1 AND r.instrument "
	    "= $2 AND r.created_at >= $3 AND r.created_at < $4 AND a.value IS NOT NULL GROUP BY "
	    "a.item, a.value",
	    &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	store_bind_str(st, 2, PULSE_INSTRUMENT);
	store_bind_int64(st, 3, t0);
	store_bind_int64(st, 4, t1);
	long dist[PULSE_ITEMS][PULSE_MAX + 1];
	memset(dist, 0, sizeof dist);
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *item = store_col_text(st, 0, NULL);
		int v = (int)store_col_int64(st, 1);
		for (int i = 0; i < PULSE_ITEMS; i++)
			if (str_eq(item, pulse_items[i]) && v >= PULSE_MIN && v <= PULSE_MAX)
				dist[i][v] += (long)store_col_int64(st, 2);
	}
	if (rc < 0)
		return rc;
	/* Distinct respondents per item, and of shared comments. */
	if ((rc = store_prepare(
		 c,
		 "SELECT a.item, count(DISTINCT r.respondent_id) FROM survey_responses r JOIN "
		 "survey_answers a ON a.response_id = r.id WHERE r.team_id = $1 AND r.instrument = $2 "
		 "AND r.created_at >= $3 AND r.created_at < $4 AND a.value IS NOT NULL GROUP BY a.item",
		 &st)))
		return rc;
	store_bind_int64(st, 1, team);
	store_bind_str(st, 2, PULSE_INSTRUMENT);
	store_bind_int64(st, 3, t0);
	store_bind_int64(st, 4, t1);
	long people[PULSE_ITEMS] = {0};
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *item = store_col_text(st, 0, NULL);
		for (int i = 0; i < PULSE_ITEMS; i++)
			if (str_eq(item, pulse_items[i]))
				people[i] = (long)store_col_int64(st, 1);
	}
	if (rc < 0)
		return rc;
	long sharers = 0;
	json_t *comments = json_array();
	if ((rc = shared_comments(c, team, t0, t1, &sharers, comments))) {
		json_decref(comments);
		return rc;
	}
	json_t *items = json_array();
	for (int i = 0; i < PULSE_ITEMS; i++) {
		struct agg g = {.n = people[i]};
		json_t *d = json_array();
		for (int v = PULSE_MIN; v <= PULSE_MAX; v++) {
			g.sum += v * dist[i][v];
			g.values += dist[i][v];
		}
		suppress_one(&g);
		bool shown = g.why == SUPP_NONE && g.n > 0;
		for (int v = PULSE_MIN; v <= PULSE_MAX; v++)
			json_array_append_new(d, json_pack("{s:i, s:o}", "value", v, "count",
							   shown ? json_integer(dist[i][v]) : json_null()));
		json_array_append_new(
		    items, json_pack("{s:s, s:o, s:I, s:I, s:b, s:o}", "item", pulse_items[i], "mean",
				     shown ? json_real(r2(g.mean)) : json_null(), "n",
				     (json_int_t)g.n, "answers", (json_int_t)(shown ? g.values : 0),
				     "suppressed", g.why != SUPP_NONE, "distribution", d));
	}
	*out = json_pack("{s:o, s:o, s:I, s:b}", "items", items, "comments", comments,
			 "comment_respondents", (json_int_t)sharers, "comments_suppressed",
			 sharers > 0 && sharers < INSIGHT_MIN_GROUP);
	return 0;
}
