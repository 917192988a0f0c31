/* task.c: tasks: listing, done/undone, and the plan's step tasks. */
#include "domain/plans/task.h"

#include <assert.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/plans/plan.h"
#include "store/store.h"

#define TASK_COLS "SELECT id, user_id, case_id, kind, source, source_key, due, done, done_at "

static int task_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct task *t = elem;
	memset(t, 0, sizeof *t);
	t->id = store_col_int64(st, 0);
	t->user_id = store_col_is_null(st, 1) ? 0 : store_col_int64(st, 1);
	t->case_id = store_col_is_null(st, 2) ? 0 : store_col_int64(st, 2);
	t->kind = store_col_strdup(st, 3, a);
	t->source = store_col_strdup(st, 4, a);
	t->source_key = store_col_strdup(st, 5, a);
	t->due = store_col_strdup(st, 6, a);
	t->done = store_col_int64(st, 7) != 0;
	t->done_at = store_col_is_null(st, 8) ? 0 : store_col_int64(st, 8);
	return 0;
}

int task_list_for_user(struct store_conn *c, int64_t user_id, const char *due_before,
		       int64_t done_since, struct arena *a, struct task **out, size_t *n)
{
	static const char *const all = TASK_COLS
		"FROM tasks WHERE user_id = $1 AND (done = 0 OR done_at >= $2) "
		"ORDER BY due IS NULL, due, id";
	static const char *const before = TASK_COLS
		"FROM tasks WHERE user_id = $1 AND (done = 0 OR done_at >= $2) AND due < $3 "
		"ORDER BY due, id";
	struct store_stmt *st;
	int rc = store_prepare(c, due_before ? before : all, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, user_id);
	store_bind_int64(st, 2, done_since);
	if (due_before)
		store_bind_str(st, 3, due_before);
	return store_read_rows(st, a, sizeof **out, task_row, NULL, out, n);
}

int task_get(struct store_conn *c, int64_t id, struct arena *a, struct task *out)
{
	struct store_stmt *st;
	int rc = store_prepare(c, TASK_COLS "FROM tasks WHERE id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	return store_read_row(st, a, task_row, NULL, out);
}

int task_set_done(struct store_conn *c, int64_t id, bool done, int64_t by, int64_t now)
{
	static const char *const sql_done =
		"UPDATE tasks SET done = 1, done_at = $2, done_by = $3, updated_at = $2 "
		"WHERE id = $1 AND done = 0";
	static const char *const sql_undo =
		"UPDATE tasks SET done = 0, done_at = NULL, done_by = NULL, updated_at = $2 "
		"WHERE id = $1 AND done = 1";
	struct store_stmt *st;
	int rc = store_prepare(c, done ? sql_done : sql_undo, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, now);
	if (done)
		store_bind_int64(st, 3, by);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

/* The existing task for (case, plan, key): *id 0 when none. */
static int plan_task_find(struct store_conn *c, int64_t case_id, const char *key, int64_t *id,
			  bool *done)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT id, done FROM tasks WHERE case_id = $1 AND source = 'plan' "
			       "AND source_key = $2",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_str(st, 2, key);
	*id = 0;
	*done = false;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*id = store_col_int64(st, 0);
		*done = store_col_int64(st, 1) != 0;
		store_reset(st);
		return 0;
	}
	return rc < 0 ? rc : 0;
}

static int plan_task_insert(struct store_conn *c, int64_t case_id, const char *key,
			    const struct plan_step *s, int64_t author, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO tasks (user_id, case_id, kind, source, source_key, due, "
			       "done, done_at, done_by, created_at, updated_at) VALUES ($1, $2, "
			       "'plan_step', 'plan', $3, $4, $5, $6, $7, $8, $8)",
			       &st);
	if (rc)
		return rc;
	bool closed = plan_step_closed(s);
	store_bind_int64(st, 1, s->responsible_id);
	store_bind_int64(st, 2, case_id);
	store_bind_str(st, 3, key);
	store_bind_str(st, 4, s->due);
	store_bind_int64(st, 5, closed);
	if (closed) {
		store_bind_int64(st, 6, now);
		store_bind_int64(st, 7, author);
	} else {
		store_bind_null(st, 6);
		store_bind_null(st, 7);
	}
	store_bind_int64(st, 8, now);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

/* Moves the task to the step's responsible and due date; done changes only
 * when it must (a done task keeps who marked it and when). */
static int plan_task_update(struct store_conn *c, int64_t id, const struct plan_step *s,
			    bool done, bool was_done, int64_t author, int64_t now)
{
	static const char *const sql_keep =
		"UPDATE tasks SET user_id = $2, due = $3, updated_at = $4 WHERE id = $1";
	static const char *const sql_done =
		"UPDATE tasks SET user_id = $2, due = $3, updated_at = $4, done = 1, "
		"done_at = $4, done_by = $5 WHERE id = $1";
	static const char *const sql_open =
		"UPDATE tasks SET user_id = $2, due = $3, updated_at = $4, done = 0, "
		"done_at = NULL, done_by = NULL WHERE id = $1";
	const char *sql = done == was_done ? sql_keep : done ? sql_done : sql_open;
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, s->responsible_id);
	store_bind_str(st, 3, s->due);
	store_bind_int64(st, 4, now);
	if (sql == sql_done)
		store_bind_int64(st, 5, author);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

static int plan_task_delete_open(struct store_conn *c, int64_t case_id, const char *key)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "DELETE FROM tasks WHERE case_id = $1 AND source = 'plan' AND "
			       "source_key = $2 AND done = 0",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_str(st, 2, key);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

static const struct plan_step *step_by_key(const struct plan *p, int64_t key)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (p->steps[i].key == key)
			return &p->steps[i];
	return NULL;
}

static int sync_step(struct store_conn *c, int64_t case_id, int64_t person_id, int64_t author,
		     const struct plan_step *before, const struct plan_step *s, int64_t now)
{
	char key[32];
	str_fmt(key, sizeof key, "step:%lld", (long long)s->key);
	if (!s->responsible_id || s->responsible_id == person_id)
		return plan_task_delete_open(c, case_id, key);
	int64_t id;
	bool was_done;
	int rc = plan_task_find(c, case_id, key, &id, &was_done);
	if (rc)
		return rc;
	if (!id)
		return plan_task_insert(c, case_id, key, s, author, now);
	bool done = plan_step_closed(s) ? true
		    : (before && plan_step_closed(before)) ? false
							    : was_done;
	return plan_task_update(c, id, s, done, was_done, author, now);
}

int task_sync_plan(struct store_conn *c, int64_t case_id, int64_t person_id, int64_t author,
		   const struct plan *prev, const struct plan *cur, int64_t now)
{
	assert(store_in_write_transaction(c)); /* promised by the header */
	for (size_t i = 0; i < cur->n; i++) {
		const struct plan_step *s = &cur->steps[i];
		int rc = sync_step(c, case_id, person_id, author, step_by_key(prev, s->key), s, now);
		if (rc)
			return rc;
	}
	for (size_t i = 0; prev && i < prev->n; i++) {
		if (step_by_key(cur, prev->steps[i].key))
			continue;
		char key[32];
		str_fmt(key, sizeof key, "step:%lld", (long long)prev->steps[i].key);
		int rc = plan_task_delete_open(c, case_id, key);
		if (rc)
			return rc;
	}
	return 0;
}

int task_plan_step_text(struct store_conn *c, int64_t case_id, int64_t key, struct arena *a,
			const char **text)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT s.text FROM plan_steps s JOIN plan_versions v ON v.id = "
			       "s.plan_version_id WHERE v.case_id = $1 AND s.step_key = $2 "
			       "ORDER BY v.version DESC LIMIT 1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_int64(st, 2, key);
	*text = NULL;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*text = store_col_strdup(st, 0, a);
		store_reset(st);
		return 0;
	}
	return rc < 0 ? rc : 0;
}
