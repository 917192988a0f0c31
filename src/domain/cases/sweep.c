/* sweep.c: timelines into tasks, a batch of cases per transaction
 * (sweep.h). Reads each table once per batch (case_facts_load_batch and
 * the two statements below) and writes only the tasks that changed. */
#include "domain/cases/sweep.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "domain/cases/case_facts.h"
#include "domain/cases/case_timeline.h"
#include "store/store.h"

#define MAX_WANTED (RULES_DL_N + 1)
#define ROUNDTABLE_KEY "roundtable_needed"

static const char SQL_ASSESSED[] =
	"SELECT case_id, role FROM assessments WHERE case_id BETWEEN $1 AND $2 ORDER BY case_id";
static const char SQL_ROUNDTABLES[] =
	"SELECT case_id FROM meetings WHERE case_id BETWEEN $1 AND $2 AND kind = 'roundtable' "
	"AND status IN ('planned', 'held') ORDER BY case_id";
static const char SQL_TASKS[] =
	"SELECT id, case_id, source, source_key, kind, user_id, due, done FROM tasks "
	"WHERE case_id BETWEEN $1 AND $2 AND (source = 'timeline' "
	"OR (source = 'meeting' AND source_key = 'roundtable_needed')) ORDER BY case_id, id";
static const char SQL_UPSERT[] =
	"INSERT INTO tasks (user_id, case_id, kind, source, source_key, due, done, done_at, "
	"created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) "
	"ON CONFLICT (case_id, source, source_key) DO UPDATE SET user_id = excluded.user_id, "
	"kind = excluded.kind, due = excluded.due, done = excluded.done, "
	"done_at = CASE WHEN excluded.done = 0 THEN NULL WHEN tasks.done = 0 THEN excluded.done_at "
	"ELSE tasks.done_at END, "
	"done_by = CASE WHEN excluded.done = 0 THEN NULL ELSE tasks.done_by END, "
	"updated_at = excluded.updated_at";
static const char SQL_DELETE[] = "DELETE FROM tasks WHERE id = $1";
static const char SQL_PURGE_CLOSED[] =
	"DELETE FROM tasks WHERE done = 0 AND (source = 'timeline' OR (source = 'meeting' "
	"AND source_key = 'roundtable_needed')) AND case_id IN "
	"(SELECT id FROM cases WHERE status = 'closed')";
static const char SQL_COUNT_OPEN[] = "SELECT COUNT(*) FROM cases WHERE status = 'open'";

/* A task as stored. */
struct task {
	int64_t id, case_id, user_id;
	char source[16], key[40], kind[40];
	day_t due; /* RULES_NO_DAY for NULL */
	bool done;
};

/* A task as the timeline wants it. */
struct wanted {
	const char *source, *key, *kind; /* static */
	int64_t user_id;
	day_t due;
	bool met;
	bool only_if_exists; /* a met condition never creates a task */
};

/* What a batch knows besides the facts. */
struct extra {
	bool cm_assessed, ec_assessed, roundtable;
};

struct batch {
	struct case_facts *cs; /* arena */
	size_t n;
	struct extra *ex;  /* arena, n */
	struct task *tasks; /* heap */
	size_t ntasks;
};

static int bind_range(struct store_conn *c, const char *sql, const struct batch *b,
		      struct store_stmt **st)
{
	int rc = store_prepare(c, sql, st);
	if (rc == 0)
		rc = store_bind_int64(*st, 1, b->cs[0].case_id);
	if (rc == 0)
		rc = store_bind_int64(*st, 2, b->cs[b->n - 1].case_id);
	return rc;
}

/* The batch index of case_id at or after *j, or -1. */
static long find(const struct batch *b, size_t *j, int64_t case_id)
{
	while (*j < b->n && b->cs[*j].case_id < case_id)
		(*j)++;
	return *j < b->n && b->cs[*j].case_id == case_id ? (long)*j : -1;
}

static int load_extra(struct store_conn *c, struct batch *b, struct arena *a)
{
	struct store_stmt *st;
	size_t j = 0;
	int rc, step;
	b->ex = arena_array(a, b->n, sizeof *b->ex);
	rc = bind_range(c, SQL_ASSESSED, b, &st);
	while (rc == 0 && (step = store_step(st)) == STORE_ROW) {
		long i = find(b, &j, store_col_int64(st, 0));
		bool cm = strcmp(store_col_text(st, 1, NULL), "care_manager") == 0;
		if (i >= 0)
			*(cm ? &b->ex[i].cm_assessed : &b->ex[i].ec_assessed) = true;
	}
	if (rc == 0 && step < 0)
		rc = step;
	j = 0;
	if (rc == 0)
		rc = bind_range(c, SQL_ROUNDTABLES, b, &st);
	while (rc == 0 && (step = store_step(st)) == STORE_ROW) {
		long i = find(b, &j, store_col_int64(st, 0));
		if (i >= 0)
			b->ex[i].roundtable = true;
	}
	return rc == 0 && step < 0 ? step : rc;
}

static void read_task(struct store_stmt *st, struct task *t)
{
	t->id = store_col_int64(st, 0);
	t->case_id = store_col_int64(st, 1);
	(void)str_copy(t->source, sizeof t->source, store_col_text(st, 2, NULL));
	(void)str_copy(t->key, sizeof t->key, store_col_text(st, 3, NULL));
	(void)str_copy(t->kind, sizeof t->kind, store_col_text(st, 4, NULL));
	t->user_id = store_col_int64(st, 5);
	if (store_col_is_null(st, 6) || date_parse(store_col_text(st, 6, NULL), &t->due))
		t->due = RULES_NO_DAY;
	t->done = store_col_int64(st, 7) != 0;
}

static int load_tasks(struct store_conn *c, struct batch *b)
{
	struct store_stmt *st;
	size_t cap = 0;
	int step = 0;
	int rc = bind_range(c, SQL_TASKS, b, &st);
	b->tasks = NULL;
	b->ntasks = 0;
	while (rc == 0 && (step = store_step(st)) == STORE_ROW) {
		if (b->ntasks == cap) {
			cap = cap ? cap * 2 : 256;
			b->tasks = realloc(b->tasks, cap * sizeof *b->tasks);
			if (!b->tasks)
				abort();
		}
		read_task(st, &b->tasks[b->ntasks++]);
	}
	return rc == 0 && step < 0 ? step : rc;
}

/* The tasks one case's timeline wants. Returns their number. */
static int wanted_tasks(const struct case_facts *cf, const struct rules_timeline *t,
			const struct extra *ex, struct wanted w[MAX_WANTED])
{
	int n = 0;
	for (int i = 0; t && i < t->n_deadlines; i++) {
		const struct rules_deadline *d = &t->deadlines[i];
		const char *name = rules_deadline_name(d->kind);
		w[n++] = (struct wanted){"timeline", name, name, cf->ec_id, d->due,
					 d->met_on != RULES_NO_DAY, false};
	}
	if (ex->cm_assessed && ex->ec_assessed)
		w[n++] = (struct wanted){"meeting", ROUNDTABLE_KEY, "plan_roundtable", cf->cm_id,
					 RULES_NO_DAY, ex->roundtable, ex->roundtable};
	return n;
}

static int upsert(struct store_conn *c, int64_t case_id, const struct wanted *w, bool done,
		  int64_t now)
{
	struct store_stmt *st;
	char due[DATE_STR_LEN];
	int rc = store_prepare(c, SQL_UPSERT, &st);
	if (w->due != RULES_NO_DAY)
		date_format(w->due, due);
	if (rc == 0)
		rc = w->user_id ? store_bind_int64(st, 1, w->user_id) : store_bind_null(st, 1);
	if (rc == 0)
		rc = store_bind_int64(st, 2, case_id);
	if (rc == 0)
		rc = store_bind_str(st, 3, w->kind);
	if (rc == 0)
		rc = store_bind_str(st, 4, w->source);
	if (rc == 0)
		rc = store_bind_str(st, 5, w->key);
	if (rc == 0)
		rc = store_bind_str(st, 6, w->due != RULES_NO_DAY ? due : NULL);
	if (rc == 0)
		rc = store_bind_int64(st, 7, done);
	if (rc == 0)
		rc = done ? store_bind_int64(st, 8, now) : store_bind_null(st, 8);
	if (rc == 0)
		rc = store_bind_int64(st, 9, now);
	if (rc == 0)
		rc = store_step(st);
	return rc < 0 ? rc : 0;
}

static int delete_task(struct store_conn *c, int64_t id)
{
	struct store_stmt *st;
	int rc = store_prepare(c, SQL_DELETE, &st);
	if (rc == 0)
		rc = store_bind_int64(st, 1, id);
	if (rc == 0)
		rc = store_step(st);
	return rc < 0 ? rc : 0;
}

/* Brings one case's stored tasks (have, nhave) to what it wants. */
static int reconcile(struct store_conn *c, int64_t case_id, const struct wanted *w, int nw,
		     struct task *have, size_t nhave, int64_t now, struct sweep_stats *st)
{
	bool used[MAX_WANTED * 4] = {false};
	int rc = 0;
	for (int i = 0; rc == 0 && i < nw; i++) {
		struct task *old = NULL;
		for (size_t k = 0; k < nhave && k < MAX_WANTED * 4; k++)
			if (strcmp(have[k].source, w[i].source) == 0 && strcmp(have[k].key, w[i].key) == 0)
				old = &have[k], used[k] = true;
		if (!old) {
			if (w[i].only_if_exists)
				continue;
			rc = upsert(c, case_id, &w[i], w[i].met, now);
			st->inserted++;
			continue;
		}
		/* Met: done. A new due date reopens. Otherwise a person's mark stays. */
		bool done = w[i].met || (old->done && old->due == w[i].due);
		if (old->user_id == w[i].user_id && old->due == w[i].due && old->done == done &&
		    strcmp(old->kind, w[i].kind) == 0) {
			st->unchanged++;
			continue;
		}
		rc = upsert(c, case_id, &w[i], done, now);
		st->updated++;
	}
	for (size_t k = 0; rc == 0 && k < nhave && k < MAX_WANTED * 4; k++)
		if (!used[k] && !have[k].done) {
			rc = delete_task(c, have[k].id);
			st->removed++;
		}
	return rc;
}

/* Computes and reconciles every case of a loaded batch. */
static int sweep_batch(struct store_conn *c, struct batch *b, int64_t now, struct arena *a,
		       struct sweep_stats *st)
{
	size_t k = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < b->n; i++) {
		struct case_facts *cf = &b->cs[i];
		struct rules_timeline t;
		struct wanted w[MAX_WANTED];
		size_t first;
		while (k < b->ntasks && b->tasks[k].case_id < cf->case_id)
			k++;
		for (first = k; k < b->ntasks && b->tasks[k].case_id == cf->case_id;)
			k++;
		bool ok = cf->open && case_timeline_compute(&cf->f, a, &t) == 0;
		if (cf->open && !ok) {
			log_warn("sweep: case %lld: the engine refused its facts",
				 (long long)cf->case_id);
			st->failed++;
			continue; /* its tasks stay as they were */
		}
		int nw = wanted_tasks(cf, ok ? &t : NULL, &b->ex[i], w);
		if (!cf->open)
			nw = 0;
		rc = reconcile(c, cf->case_id, w, nw, b->tasks + first, k - first, now, st);
		st->cases++;
	}
	return rc;
}

/* Loads and sweeps the next batch after *after inside one write
 * transaction; *got = cases in it (0: done). */
static int next_batch(struct store_conn *c, int64_t *after, size_t limit, bool open_only,
		      day_t today, int64_t now, struct arena *a, struct sweep_stats *st,
		      size_t *got)
{
	struct batch b = {0};
	int rc = store_begin_write(c);
	if (rc == 0)
		rc = audit_lock_chain(c); /* see audit.h: chain before rows */
	if (rc) {
		store_rollback(c);
		return rc;
	}
	rc = case_facts_load_batch(c, *after, limit, open_only, today, a, &b.cs, &b.n);
	if (rc == 0 && b.n) {
		rc = load_extra(c, &b, a);
		if (rc == 0)
			rc = load_tasks(c, &b);
		if (rc == 0)
			rc = sweep_batch(c, &b, now, a, st);
		*after = b.cs[b.n - 1].case_id;
	}
	free(b.tasks);
	*got = b.n;
	return store_end(c, rc);
}

static int count_open(struct store_conn *c, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c, SQL_COUNT_OPEN, &st);
	if (rc == 0 && (rc = store_step(st)) == STORE_ROW) {
		*n = (size_t)store_col_int64(st, 0);
		store_reset(st);
		return 0;
	}
	return rc < 0 ? rc : ERR_DB;
}

static int purge_closed(struct store_conn *c, struct sweep_stats *st)
{
	struct store_stmt *s;
	int rc = store_begin_write(c);
	if (rc == 0)
		rc = audit_lock_chain(c);
	if (rc == 0)
		rc = store_prepare(c, SQL_PURGE_CLOSED, &s);
	if (rc == 0 && (rc = store_step(s)) >= 0) {
		st->removed += (size_t)store_changes(s);
		rc = 0;
	}
	return store_end(c, rc);
}

int sweep_all(struct store_conn *c, day_t today, int64_t now, size_t batch,
	      sweep_progress_fn progress, void *user, struct sweep_stats *st)
{
	struct arena a;
	size_t total = 0, got;
	int64_t after = 0;
	memset(st, 0, sizeof *st);
	int rc = count_open(c, &total);
	if (rc == 0)
		rc = purge_closed(c, st);
	arena_init(&a);
	do {
		rc = rc ? rc : next_batch(c, &after, batch ? batch : SWEEP_BATCH, true, today, now,
					  &a, st, &got);
		arena_reset(&a);
		if (rc == 0 && progress)
			progress(user, st->cases + st->failed, total);
	} while (rc == 0 && got > 0);
	arena_release(&a);
	return rc;
}

int sweep_case(struct store_conn *c, int64_t case_id, day_t today, int64_t now,
	       struct sweep_stats *st)
{
	struct sweep_stats local = {0};
	struct arena a;
	size_t got = 0;
	int64_t after = case_id - 1;
	arena_init(&a);
	int rc = next_batch(c, &after, 1, false, today, now, &a, st ? st : &local, &got);
	arena_release(&a);
	if (rc == 0 && (got == 0 || after != case_id))
		rc = ERR_NOT_FOUND;
	return rc;
}
