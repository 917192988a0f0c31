/* case_summary.c: read-only SQL over meetings, goals, plans, tasks and the
 * audit log for the case page. Each query is one indexed look-up. */
#include "domain/cases/case_summary.h"

#include "base/err.h"
#include "store/store.h"

typedef json_t *(*row_fn)(struct store_stmt *st);

static int collect(struct store_conn *c, const char *sql, int64_t id, int64_t p2, json_t *arr,
		   row_fn fn)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	if (p2 >= 0)
		store_bind_int64(st, 2, p2);
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(arr, fn(st));
	return rc < 0 ? rc : 0;
}

static json_t *opt(struct store_stmt *st, int col)
{
	return store_col_is_null(st, col) ? json_null() : json_string(store_col_text(st, col, NULL));
}

static json_t *meeting_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:o}", "id", (json_int_t)store_col_int64(st, 0),
			 "kind", store_col_text(st, 1, NULL), "starts_at",
			 (json_int_t)store_col_int64(st, 2), "mode", store_col_text(st, 3, NULL),
			 "status", store_col_text(st, 4, NULL), "site", opt(st, 5));
}

static json_t *goal_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)store_col_int64(st, 0), "text",
			 store_col_text(st, 1, NULL), "status", store_col_text(st, 2, NULL));
}

static json_t *step_row(struct store_stmt *st)
{
	return json_pack("{s:s, s:s, s:o, s:s, s:o}", "kind", store_col_text(st, 0, NULL), "text",
			 store_col_text(st, 1, NULL), "due", opt(st, 2), "status",
			 store_col_text(st, 3, NULL), "responsible", opt(st, 4));
}

static json_t *task_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)store_col_int64(st, 0), "kind",
			 store_col_text(st, 1, NULL), "due", opt(st, 2), "assignee", opt(st, 3));
}

static json_t *activity_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "at", (json_int_t)store_col_int64(st, 0),
			 "who", store_col_text(st, 1, NULL), "role", store_col_text(st, 2, NULL),
			 "action", store_col_text(st, 3, NULL), "item", store_col_text(st, 4, NULL),
			 "category", store_col_text(st, 5, NULL));
}

int case_summary_json(struct store_conn *c, int64_t case_id, int64_t now,
		      const struct case_summary_opts *o, json_t **out)
{
	json_t *m = json_array(), *g = json_array(), *p = json_array(), *t = json_array(),
	       *a = json_array();
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o}", "meetings", m, "goals", g, "plan_steps", p,
			 "tasks", t, "activity", a);
	int rc = 0;
	if (o->joint || o->therapy)
		rc = collect(c,
			     o->therapy && o->joint
				     ? "SELECT m.id, m.kind, m.starts_at, m.mode, m.status, s.name "
				       "FROM meetings m LEFT JOIN sites s ON s.id = m.site_id "
				       "WHERE m.case_id = $1 AND m.starts_at >= $2 AND "
				       "m.status = 'planned' ORDER BY m.starts_at LIMIT 5"
				     : "SELECT m.id, m.kind, m.starts_at, m.mode, m.status, s.name "
				       "FROM meetings m LEFT JOIN sites s ON s.id = m.site_id "
				       "WHERE m.case_id = $1 AND m.starts_at >= $2 AND "
				       "m.status = 'planned' AND m.kind <> 'therapy' "
				       "ORDER BY m.starts_at LIMIT 5",
			     case_id, now, m, meeting_row);
	if (!rc && o->joint)
		rc = collect(c,
			     "SELECT id, text, status FROM goals WHERE case_id = $1 AND "
			     "status = 'active' ORDER BY id",
			     case_id, -1, g, goal_row);
	if (!rc && o->joint)
		rc = collect(c,
			     "SELECT s.kind, s.text, s.due, s.status, u.name FROM plan_steps s "
			     "LEFT JOIN users u ON u.id = s.responsible_id WHERE s.plan_version_id = "
			     "(SELECT id FROM plan_versions WHERE case_id = $1 ORDER BY version DESC "
			     "LIMIT 1) ORDER BY s.position",
			     case_id, -1, p, step_row);
	if (!rc && o->joint)
		rc = collect(c,
			     "SELECT k.id, k.kind, k.due, u.name FROM tasks k LEFT JOIN users u "
			     "ON u.id = k.user_id WHERE k.case_id = $1 AND k.done = 0 "
			     "ORDER BY k.due, k.id LIMIT 10",
			     case_id, -1, t, task_row);
	/* Changes only: who looked is the access log's business (docs/cache.md). */
	if (!rc && o->activity)
		rc = collect(c,
			     o->no_clinical
				     ? "SELECT at, actor_name, actor_role, action, item, category FROM "
				       "audit_log WHERE case_id = $1 AND action NOT IN ('viewed', 'read') "
				       "AND action <> 'denied' AND category <> 'clinical' "
				       "ORDER BY id DESC LIMIT 10"
				     : "SELECT at, actor_name, actor_role, action, item, category FROM "
				       "audit_log WHERE case_id = $1 AND action NOT IN ('viewed', 'read') "
				       "AND action <> 'denied' ORDER BY id DESC LIMIT 10",
			     case_id, -1, a, activity_row);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int case_handover_note(struct store_conn *c, int64_t case_id, int64_t user_id, day_t today,
		       json_t **out)
{
	*out = NULL;
	char since[DATE_STR_LEN];
	date_format(today - 30, since);
	struct store_stmt *st;
	int rc = store_prepare(
		c,
		"SELECT a.role, a.from_date, a.reason, p.user_id, u.name FROM assignments a "
		"JOIN assignments p ON p.case_id = a.case_id AND p.role = a.role AND p.id < a.id "
		"AND p.user_id <> a.user_id JOIN users u ON u.id = p.user_id "
		"WHERE a.case_id = $1 AND a.user_id = $2 AND a.to_date IS NULL AND "
		"a.from_date >= $3 ORDER BY p.id DESC LIMIT 1",
		&st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_int64(st, 2, user_id);
	store_bind_str(st, 3, since);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*out = json_pack("{s:s, s:s, s:s, s:{s:I, s:s}}", "role", store_col_text(st, 0, NULL),
				 "on", store_col_text(st, 1, NULL), "reason",
				 store_col_text(st, 2, NULL), "from", "id",
				 (json_int_t)store_col_int64(st, 3), "name",
				 store_col_text(st, 4, NULL));
		store_reset(st);
		return 0;
	}
	return rc < 0 ? rc : 0;
}
