/* case_facts.c: struct rules_facts for a batch of cases, one statement per
 * table, merged in case_id order (see case_facts.h). */
#include "domain/cases/case_facts.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "store/store.h"

static const char SQL_CASES_OPEN[] =
	"SELECT id, first_absence_day, employment, fast_track_requested, fast_track_refused, "
	"care_manager_id, employment_consultant_id, status FROM cases "
	"WHERE id > $1 AND status = 'open' ORDER BY id LIMIT $2";
static const char SQL_CASES_ALL[] =
	"SELECT id, first_absence_day, employment, fast_track_requested, fast_track_refused, "
	"care_manager_id, employment_consultant_id, status FROM cases "
	"WHERE id > $1 ORDER BY id LIMIT $2";
static const char SQL_ABSENCES[] =
	"SELECT case_id, from_date, to_date FROM case_absences "
	"WHERE case_id BETWEEN $1 AND $2 ORDER BY case_id, from_date";
static const char SQL_EARLIER[] =
	"SELECT case_id, from_date, to_date FROM case_earlier_benefit "
	"WHERE case_id BETWEEN $1 AND $2 ORDER BY case_id, from_date";
static const char SQL_FOLLOWUPS[] =
	"SELECT case_id, starts_at FROM meetings WHERE case_id BETWEEN $1 AND $2 "
	"AND kind = 'followup' AND status = 'held' ORDER BY case_id, starts_at";
static const char SQL_CATEGORIES[] =
	"SELECT case_id, on_date, category FROM decisions WHERE case_id BETWEEN $1 AND $2 "
	"AND kind = 'category' AND category IS NOT NULL "
	"UNION ALL SELECT case_id, on_date, category FROM assessments "
	"WHERE case_id BETWEEN $1 AND $2 AND role = 'employment_consultant' "
	"AND category IS NOT NULL ORDER BY 1, 2";
static const char SQL_DECISIONS[] =
	"SELECT case_id, kind, on_date, hearing, ground FROM decisions "
	"WHERE case_id BETWEEN $1 AND $2 AND kind IN ('extension', 'job_clarification') "
	"ORDER BY case_id, on_date, id";
static const char SQL_EVENTS[] =
	"SELECT case_id, kind, on_date FROM case_events WHERE case_id BETWEEN $1 AND $2 "
	"ORDER BY case_id, on_date, id";

/* A growable array of fixed-size elements (heap; copied to the arena at the end). */
struct vec {
	char *p; /* owned */
	size_t n, cap, size;
};

static void *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->p = realloc(v->p, v->cap * v->size);
		if (!v->p)
			abort();
	}
	return v->p + v->n++ * v->size;
}

/* The merge state of one table: where each case's rows start and how many. */
struct merge {
	struct case_facts *cases; /* borrowed */
	size_t ncases, j;
	size_t *start, *count; /* heap, ncases each */
	struct vec v;
};

static void merge_init(struct merge *m, struct case_facts *cases, size_t n, size_t size)
{
	memset(m, 0, sizeof *m);
	m->cases = cases;
	m->ncases = n;
	m->start = calloc(n ? n : 1, sizeof *m->start);
	m->count = calloc(n ? n : 1, sizeof *m->count);
	if (!m->start || !m->count)
		abort();
	m->v.size = size;
}

/* A slot for a row of case_id, or NULL when the case is not in the batch. */
static void *merge_row(struct merge *m, int64_t case_id)
{
	while (m->j < m->ncases && m->cases[m->j].case_id < case_id)
		m->j++;
	if (m->j >= m->ncases || m->cases[m->j].case_id != case_id)
		return NULL;
	if (m->count[m->j] == 0)
		m->start[m->j] = m->v.n;
	m->count[m->j]++;
	return vec_push(&m->v);
}

/* Copies the rows into the arena; base gets the copy (NULL when none). */
static void *merge_finish(struct merge *m, struct arena *a)
{
	void *base = NULL;
	if (m->v.n) {
		base = arena_alloc(a, m->v.n * m->v.size);
		memcpy(base, m->v.p, m->v.n * m->v.size);
	}
	free(m->v.p);
	m->v.p = NULL;
	return base;
}

static void merge_release(struct merge *m)
{
	free(m->v.p);
	free(m->start);
	free(m->count);
}

static int col_date(struct store_stmt *st, int col, day_t *out, int64_t case_id)
{
	if (store_col_is_null(st, col)) {
		*out = RULES_NO_DAY;
		return 0;
	}
	if (date_parse(store_col_text(st, col, NULL), out) == 0)
		return 0;
	log_error("case %lld: stored date '%s' is not YYYY-MM-DD", (long long)case_id,
		  store_col_text(st, col, NULL));
	return ERR_DB;
}

static int prepare_range(struct store_conn *c, const char *sql, int64_t lo, int64_t hi,
			 struct store_stmt **st)
{
	int rc = store_prepare(c, sql, st);
	if (rc == 0)
		rc = store_bind_int64(*st, 1, lo);
	if (rc == 0)
		rc = store_bind_int64(*st, 2, hi);
	return rc;
}

/* Steps st to the end, handing each row to fill; keeps stepping after a
 * fill error so the statement is left reset. */
typedef int (*fill_fn)(struct store_stmt *st, void *slot, int64_t case_id);

static int load_table(struct store_conn *c, const char *sql, struct case_facts *cs, size_t n,
		      size_t size, fill_fn fill, struct arena *a, struct merge *m)
{
	struct store_stmt *st;
	merge_init(m, cs, n, size);
	int rc = prepare_range(c, sql, cs[0].case_id, cs[n - 1].case_id, &st);
	int step;
	while (rc == 0 && (step = store_step(st)) == STORE_ROW) {
		int64_t id = store_col_int64(st, 0);
		void *slot = merge_row(m, id);
		if (slot)
			rc = fill(st, slot, id);
	}
	if (rc)
		store_reset(st);
	else if (step < 0)
		rc = step;
	return rc;
}

static int fill_period(struct store_stmt *st, void *slot, int64_t id)
{
	struct rules_period *p = slot;
	int rc = col_date(st, 1, &p->a, id);
	if (rc == 0)
		rc = col_date(st, 2, &p->b, id);
	if (rc == 0 && p->b == RULES_NO_DAY)
		p->b = RULES_OPEN;
	return rc;
}

static int fill_followup(struct store_stmt *st, void *slot, int64_t id)
{
	*(day_t *)slot = clock_dk_day(store_col_int64(st, 1));
	return 0;
}

static int fill_category(struct store_stmt *st, void *slot, int64_t id)
{
	struct rules_category *k = slot;
	k->category = (int)store_col_int64(st, 2);
	return col_date(st, 1, &k->on, id);
}

static int fill_decision(struct store_stmt *st, void *slot, int64_t id)
{
	struct rules_decision *d = slot;
	bool ext = strcmp(store_col_text(st, 1, NULL), "extension") == 0;
	d->kind = ext ? RULES_DEC_EXTENSION : RULES_DEC_JOB_CLARIFICATION;
	d->ground = ext && !store_col_is_null(st, 4) ? (int)store_col_int64(st, 4) : 0;
	int rc = col_date(st, 2, &d->on, id);
	if (rc == 0)
		rc = col_date(st, 3, &d->hearing, id);
	if (rc == 0 && ext && (d->ground < 1 || d->ground > RULES_GROUNDS)) {
		log_error("case %lld: extension decision without a ground", (long long)id);
		rc = ERR_DB;
	}
	return rc;
}

static int fill_event(struct store_stmt *st, void *slot, int64_t id)
{
	struct rules_event_rec *e = slot;
	const char *k = store_col_text(st, 1, NULL);
	e->kind = RULES_EV_NONE;
	for (int i = 0; i < RULES_EV_N; i++)
		if (strcmp(k, rules_event_name((enum rules_event)i)) == 0)
			e->kind = (enum rules_event)i;
	if (e->kind == RULES_EV_NONE) {
		log_error("case %lld: unknown event kind '%s'", (long long)id, k);
		return ERR_DB;
	}
	return col_date(st, 2, &e->on, id);
}

/* Which table fills which array of struct rules_facts. */
enum table { T_ABSENCES, T_EARLIER, T_FOLLOWUPS, T_CATEGORIES, T_DECISIONS, T_EVENTS, T_N };

static const struct {
	const char *sql;
	size_t size;
	fill_fn fill;
} tables[T_N] = {
	[T_ABSENCES] = {SQL_ABSENCES, sizeof(struct rules_period), fill_period},
	[T_EARLIER] = {SQL_EARLIER, sizeof(struct rules_period), fill_period},
	[T_FOLLOWUPS] = {SQL_FOLLOWUPS, sizeof(day_t), fill_followup},
	[T_CATEGORIES] = {SQL_CATEGORIES, sizeof(struct rules_category), fill_category},
	[T_DECISIONS] = {SQL_DECISIONS, sizeof(struct rules_decision), fill_decision},
	[T_EVENTS] = {SQL_EVENTS, sizeof(struct rules_event_rec), fill_event},
};

static void assign(struct rules_facts *f, enum table t, char *base, size_t size, size_t start,
		   size_t count)
{
	void *p = count ? base + start * size : NULL;
	switch (t) {
	case T_ABSENCES: f->absences = p, f->n_absences = count; break;
	case T_EARLIER: f->earlier = p, f->n_earlier = count; break;
	case T_FOLLOWUPS: f->followups = p, f->n_followups = count; break;
	case T_CATEGORIES: f->categories = p, f->n_categories = count; break;
	case T_DECISIONS: f->decisions = p, f->n_decisions = count; break;
	case T_EVENTS: f->events = p, f->n_events = count; break;
	default: break;
	}
}

static int load_children(struct store_conn *c, struct case_facts *cs, size_t n, struct arena *a)
{
	for (int t = 0; t < T_N; t++) {
		struct merge m;
		int rc = load_table(c, tables[t].sql, cs, n, tables[t].size, tables[t].fill, a, &m);
		if (rc == 0) {
			char *base = merge_finish(&m, a);
			for (size_t i = 0; i < n; i++)
				assign(&cs[i].f, (enum table)t, base, tables[t].size, m.start[i],
				       m.count[i]);
		}
		merge_release(&m);
		if (rc)
			return rc;
	}
	return 0;
}

static int read_case(struct store_stmt *st, day_t as_of, struct case_facts *cf)
{
	static const char *const emp[] = {"employee", "self_employed", "unemployed"};
	memset(cf, 0, sizeof *cf);
	cf->case_id = store_col_int64(st, 0);
	cf->cm_id = store_col_int64(st, 5);
	cf->ec_id = store_col_int64(st, 6);
	cf->open = strcmp(store_col_text(st, 7, NULL), "open") == 0;
	cf->f.as_of = as_of;
	const char *e = store_col_text(st, 2, NULL);
	cf->f.employment = RULES_EMPLOYEE;
	for (int i = 0; i < RULES_EMPLOYMENT_N; i++)
		if (strcmp(e, emp[i]) == 0)
			cf->f.employment = (enum rules_employment)i;
	cf->f.fast_track_refused = store_col_int64(st, 4) != 0;
	int rc = col_date(st, 1, &cf->f.first_absence_day, cf->case_id);
	if (rc == 0)
		rc = col_date(st, 3, &cf->f.fast_track_requested, cf->case_id);
	return rc;
}

int case_facts_load_batch(struct store_conn *c, int64_t after_id, size_t limit, bool open_only,
			  day_t as_of, struct arena *a, struct case_facts **out, size_t *n)
{
	struct store_stmt *st;
	*out = NULL;
	*n = 0;
	if (limit == 0)
		return 0;
	struct case_facts *cs = arena_array(a, limit, sizeof *cs);
	int rc = prepare_range(c, open_only ? SQL_CASES_OPEN : SQL_CASES_ALL, after_id,
			       (int64_t)limit, &st);
	int step = 0;
	size_t k = 0;
	while (rc == 0 && k < limit && (step = store_step(st)) == STORE_ROW)
		rc = read_case(st, as_of, &cs[k++]);
	if (rc || step == STORE_ROW)
		store_reset(st);
	if (rc == 0 && step < 0)
		rc = step;
	if (rc == 0 && k > 0)
		rc = load_children(c, cs, k, a);
	if (rc == 0) {
		*out = cs;
		*n = k;
	}
	return rc;
}

int case_facts_load(struct store_conn *c, int64_t case_id, day_t as_of, struct arena *a,
		    struct case_facts *out)
{
	struct case_facts *cs;
	size_t n;
	int rc = store_begin_read(c);
	if (rc)
		return rc;
	rc = case_facts_load_batch(c, case_id - 1, 1, false, as_of, a, &cs, &n);
	if (rc == 0 && (n == 0 || cs[0].case_id != case_id))
		rc = ERR_NOT_FOUND;
	if (rc == 0)
		*out = cs[0];
	/* Commit even on failure: nothing was written, and a rollback would
	 * doom a caller's outer transaction. */
	int rc2 = store_commit(c);
	return rc ? rc : rc2;
}

static json_t *jdate(day_t d)
{
	char s[DATE_STR_LEN];
	if (d == RULES_NO_DAY || d == RULES_OPEN)
		return json_null();
	date_format(d, s);
	return json_string(s);
}

static json_t *periods_json(const struct rules_period *p, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:o, s:o}", "from", jdate(p[i].a), "to",
						     jdate(p[i].b)));
	return arr;
}

static json_t *decisions_json(const struct rules_facts *f)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < f->n_decisions; i++) {
		const struct rules_decision *d = &f->decisions[i];
		json_t *o = json_pack("{s:o, s:o, s:s}", "on", jdate(d->on), "hearing",
				      jdate(d->hearing), "kind",
				      d->kind == RULES_DEC_EXTENSION ? "extension" : "job_clarification");
		if (d->hearing == RULES_NO_DAY)
			json_object_del(o, "hearing");
		if (d->kind == RULES_DEC_EXTENSION)
			json_object_set_new(o, "ground", json_integer(d->ground));
		json_array_append_new(arr, o);
	}
	return arr;
}

int case_facts_to_json(const struct rules_facts *f, json_t **out)
{
	static const char *const emp[] = {"employee", "self_employed", "unemployed"};
	json_t *o = json_pack("{s:o, s:s, s:o, s:o, s:o}", "as_of", jdate(f->as_of), "employment",
			      emp[f->employment], "first_absence_day", jdate(f->first_absence_day),
			      "absences", periods_json(f->absences, f->n_absences),
			      "earlier_benefit", periods_json(f->earlier, f->n_earlier));
	if (!o)
		return ERR_INTERNAL;
	if (f->fast_track_requested != RULES_NO_DAY)
		json_object_set_new(o, "fast_track",
				    json_pack("{s:o, s:b}", "requested", jdate(f->fast_track_requested),
					      "refused", f->fast_track_refused));
	json_t *fu = json_array(), *cat = json_array(), *ev = json_array();
	for (size_t i = 0; i < f->n_followups; i++)
		json_array_append_new(fu, jdate(f->followups[i]));
	for (size_t i = 0; i < f->n_categories; i++)
		json_array_append_new(cat, json_pack("{s:o, s:i}", "on", jdate(f->categories[i].on),
						     "category", f->categories[i].category));
	for (size_t i = 0; i < f->n_events; i++)
		json_array_append_new(ev, json_pack("{s:o, s:s}", "on", jdate(f->events[i].on), "kind",
						    rules_event_name(f->events[i].kind)));
	json_object_set_new(o, "followups", fu);
	json_object_set_new(o, "categories", cat);
	json_object_set_new(o, "decisions", decisions_json(f));
	json_object_set_new(o, "events", ev);
	*out = o;
	return 0;
}
