/* plan.c: plan versions and their steps. */
#include "domain/plans/plan.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/plans/task.h"
#include "store/store.h"

bool plan_kind_valid(const char *s)
{
	return str_eq(s, "treatment") || str_eq(s, "return_to_work");
}

bool plan_status_valid(const char *s)
{
	return str_eq(s, "planned") || str_eq(s, "in_progress") || str_eq(s, "done") ||
	       str_eq(s, "dropped");
}

static int version_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct plan_version_info *v = elem;
	v->version = (int)store_col_int64(st, 0);
	v->author_id = store_col_int64(st, 1);
	v->author_name = store_col_strdup(st, 2, a);
	v->created_at = store_col_int64(st, 3);
	return 0;
}

int plan_versions(struct store_conn *c, int64_t case_id, struct arena *a,
		  struct plan_version_info **out, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT v.version, v.author_id, u.name, v.created_at FROM plan_versions v "
			       "JOIN users u ON u.id = v.author_id WHERE v.case_id = $1 "
			       "ORDER BY v.version",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	return store_read_rows(st, a, sizeof **out, version_row, NULL, out, n);
}

static int step_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct plan_step *s = elem;
	s->key = store_col_int64(st, 0);
	s->position = (int)store_col_int64(st, 1);
	s->kind = store_col_strdup(st, 2, a);
	s->text = store_col_strdup(st, 3, a);
	s->responsible_id = store_col_is_null(st, 4) ? 0 : store_col_int64(st, 4);
	s->responsible_name = store_col_strdup(st, 5, a);
	s->due = store_col_strdup(st, 6, a);
	s->status = store_col_strdup(st, 7, a);
	s->has_hours = !store_col_is_null(st, 8);
	if (s->has_hours)
		s->hours_per_week = strtod(store_col_text(st, 8, NULL), NULL);
	return 0;
}

static int plan_steps_load(struct store_conn *c, struct arena *a, struct plan *p)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT s.step_key, s.position, s.kind, s.text, s.responsible_id, u.name, "
			       "s.due, s.status, s.hours_per_week FROM plan_steps s "
			       "LEFT JOIN users u ON u.id = s.responsible_id "
			       "WHERE s.plan_version_id = $1 ORDER BY s.position",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, p->id);
	return store_read_rows(st, a, sizeof *p->steps, step_row, NULL, &p->steps, &p->n);
}

static int plan_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct plan *p = elem;
	p->id = store_col_int64(st, 0);
	p->version = (int)store_col_int64(st, 1);
	p->author_id = store_col_int64(st, 2);
	p->author_name = store_col_strdup(st, 3, a);
	p->created_at = store_col_int64(st, 4);
	return 0;
}

int plan_load(struct store_conn *c, int64_t case_id, int version, struct arena *a,
	      struct plan *out)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT v.id, v.version, v.author_id, u.name, v.created_at "
			       "FROM plan_versions v JOIN users u ON u.id = v.author_id "
			       "WHERE v.case_id = $1 AND ($2 = 0 OR v.version = $2) "
			       "ORDER BY v.version DESC LIMIT 1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_int64(st, 2, version);
	memset(out, 0, sizeof *out);
	out->case_id = case_id;
	rc = store_read_row(st, a, plan_row, NULL, out);
	return rc ? rc : plan_steps_load(c, a, out);
}

/* The next free step key of the case (keys are never reused). */
static int plan_next_key(struct store_conn *c, int64_t case_id, int64_t *next)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT COALESCE(MAX(s.step_key), 0) FROM plan_steps s "
			       "JOIN plan_versions v ON v.id = s.plan_version_id WHERE v.case_id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	rc = store_read_int64(st, next);
	if (rc == ERR_NOT_FOUND)
		return ERR_DB; /* MAX() always answers one row */
	if (rc == 0)
		(*next)++;
	return rc;
}

static int plan_version_insert(struct store_conn *c, int64_t case_id, int64_t author,
			       int64_t now, int64_t *id, int *version)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO plan_versions (case_id, version, author_id, created_at) "
			       "SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3 FROM plan_versions "
			       "WHERE case_id = $1 RETURNING id, version",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_int64(st, 2, author);
	store_bind_int64(st, 3, now);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_DB;
	*id = store_col_int64(st, 0);
	*version = (int)store_col_int64(st, 1);
	store_reset(st);
	return 0;
}

static int plan_step_insert(struct store_conn *c, int64_t version_id, const struct plan_step *s)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO plan_steps (plan_version_id, position, kind, text, "
			       "responsible_id, due, status, hours_per_week, step_key) "
			       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, version_id);
	store_bind_int64(st, 2, s->position);
	store_bind_str(st, 3, s->kind);
	store_bind_str(st, 4, s->text);
	if (s->responsible_id)
		store_bind_int64(st, 5, s->responsible_id);
	else
		store_bind_null(st, 5);
	store_bind_str(st, 6, s->due);
	store_bind_str(st, 7, s->status ? s->status : "planned");
	if (s->has_hours) {
		char h[32];
		str_fmt(h, sizeof h, "%.2f", s->hours_per_week);
		store_bind_str(st, 8, h);
	} else {
		store_bind_null(st, 8);
	}
	store_bind_int64(st, 9, s->key);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int plan_save(struct store_conn *c, int64_t case_id, int64_t person_id, int64_t author,
	      int64_t now, struct plan_step *steps, size_t n, int *version)
{
	assert(store_in_write_transaction(c)); /* promised by the header */
	struct plan prev, cur;
	struct arena a;
	arena_init(&a);
	int rc = plan_load(c, case_id, 0, &a, &prev);
	bool have_prev = rc == 0;
	if (rc && rc != ERR_NOT_FOUND)
		goto out;
	int64_t next;
	rc = plan_next_key(c, case_id, &next);
	if (rc)
		goto out;
	int64_t vid;
	rc = plan_version_insert(c, case_id, author, now, &vid, version);
	for (size_t i = 0; !rc && i < n; i++) {
		steps[i].position = (int)i + 1;
		if (!steps[i].key)
			steps[i].key = next++;
		rc = plan_step_insert(c, vid, &steps[i]);
	}
	if (rc)
		goto out;
	cur = (struct plan){.id = vid, .case_id = case_id, .version = *version, .steps = steps,
			    .n = n};
	rc = task_sync_plan(c, case_id, person_id, author, have_prev ? &prev : NULL, &cur, now);
out:
	arena_release(&a);
	return rc;
}

int plan_case_name(struct store_conn *c, int64_t case_id, struct arena *a, const char **name)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT name FROM cases WHERE id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	return store_read_row(st, a, store_row_text, NULL, name);
}
