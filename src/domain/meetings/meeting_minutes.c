/* meeting_minutes.c: the agreements, action items (each a task) and next
 * meeting of a meeting's minutes (meeting_minutes.h). */
#include "domain/meetings/meeting_minutes.h"

#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/seal.h"
#include "store/store.h"

static int step_done(struct store_stmt *st)
{
	int rc = store_step(st);
	return rc < 0 ? rc : 0;
}

/* Decrypts column col into *out. */
static int col_unseal(struct store_stmt *st, int col, struct arena *a, const char **out)
{
	size_t len;
	const void *blob = store_col_blob(st, col, &len);
	char *text = NULL;
	if (!blob)
		return ERR_DB;
	int rc = seal_decrypt(a, blob, len, &text);
	*out = text;
	return rc;
}

static int point_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	(void)ud;
	return col_unseal(st, 0, a, (const char **)elem);
}

static int action_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	(void)ud;
	struct minutes_action *x = elem;
	x->id = store_col_int64(st, 0);
	x->who = store_col_int64(st, 1);
	x->who_name = store_col_strdup(st, 2, a);
	x->who_role = store_col_strdup(st, 3, a);
	x->due = store_col_strdup(st, 5, a);
	x->task_id = store_col_is_null(st, 6) ? 0 : store_col_int64(st, 6);
	x->done = !store_col_is_null(st, 7) && store_col_int64(st, 7) != 0;
	return col_unseal(st, 4, a, &x->what);
}

static int list_actions(struct store_conn *c, int64_t meeting_id, struct arena *a,
			struct minutes_action **out, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT x.id, x.assignee_id, u.name, u.role, x.what_sealed, x.due, "
			       "x.task_id, t.done FROM minutes_actions x JOIN users u ON u.id = "
			       "x.assignee_id LEFT JOIN tasks t ON t.id = x.task_id "
			       "WHERE x.meeting_id = $1 ORDER BY x.position, x.id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, meeting_id);
	return store_read_rows(st, a, sizeof **out, action_row, NULL, out, n);
}

static int next_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	(void)a, (void)ud;
	struct minutes_structure *s = elem;
	s->next_start = store_col_is_null(st, 0) ? 0 : store_col_int64(st, 0);
	s->next_meeting_id = store_col_is_null(st, 1) ? 0 : store_col_int64(st, 1);
	return 0;
}

int minutes_structure_get(struct store_conn *c, int64_t meeting_id, struct arena *a,
			  struct minutes_structure *out)
{
	memset(out, 0, sizeof *out);
	struct store_stmt *st;
	int rc = store_prepare(
	    c, "SELECT text_sealed FROM minutes_points WHERE meeting_id = $1 ORDER BY position, id",
	    &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, meeting_id);
	if ((rc = store_read_rows(st, a, sizeof *out->agreements, point_row, NULL, &out->agreements,
				  &out->nagreements)) ||
	    (rc = list_actions(c, meeting_id, a, &out->actions, &out->nactions)))
		return rc;
	if ((rc = store_prepare(c, "SELECT next_start, next_meeting_id FROM meetings WHERE id = $1",
				&st)))
		return rc;
	store_bind_int64(st, 1, meeting_id);
	struct minutes_structure tmp;
	memset(&tmp, 0, sizeof tmp);
	rc = store_read_row(st, a, next_row, NULL, &tmp);
	out->next_start = tmp.next_start;
	out->next_meeting_id = tmp.next_meeting_id;
	return rc;
}

static int insert_task(struct store_conn *c, int64_t meeting_id, int64_t case_id,
		       const struct minutes_action_in *in, int64_t now, int64_t *task)
{
	struct store_stmt *st;
	int64_t seq;
	int rc = store_prepare(c,
			       "UPDATE meetings SET actions_seq = actions_seq + 1 WHERE id = $1 "
			       "RETURNING actions_seq",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, meeting_id);
	if ((rc = store_step_id(st, &seq)))
		return rc;
	char key[64];
	str_fmt(key, sizeof key, "minutes:%lld:%lld", (long long)meeting_id, (long long)seq);
	if ((rc = store_prepare(
		 c,
		 "INSERT INTO tasks (user_id, case_id, kind, source, source_key, due, "
		 "done, created_at, updated_at) VALUES ($1, $2, '" MINUTES_TASK_KIND
		 "', 'meeting', $3, $4, 0, $5, $5) RETURNING id",
		 &st)))
		return rc;
	store_bind_int64(st, 1, in->who);
	store_bind_int64(st, 2, case_id);
	store_bind_str(st, 3, key);
	store_bind_str(st, 4, in->due);
	store_bind_int64(st, 5, now);
	return store_step_id(st, task);
}

static int insert_action(struct store_conn *c, int64_t meeting_id, int pos,
			 const struct minutes_action_in *in, int64_t task, int64_t now,
			 struct arena *a)
{
	unsigned char *sealed;
	size_t slen;
	int rc = seal_encrypt(a, in->what, strlen(in->what), &sealed, &slen);
	if (rc)
		return rc;
	struct store_stmt *st;
	if ((rc =
		 store_prepare(c,
			       "INSERT INTO minutes_actions (meeting_id, position, assignee_id, "
			       "what_sealed, due, task_id, created_at) VALUES ($1, $2, $3, $4, $5, "
			       "$6, $7)",
			       &st)))
		return rc;
	store_bind_int64(st, 1, meeting_id);
	store_bind_int64(st, 2, pos);
	store_bind_int64(st, 3, in->who);
	store_bind_blob(st, 4, sealed, slen);
	store_bind_str(st, 5, in->due);
	store_bind_int64(st, 6, task);
	store_bind_int64(st, 7, now);
	return step_done(st);
}

static int exec_id(struct store_conn *c, const char *sql, int64_t id)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	return step_done(st);
}

/* A kept action moves to its new place. */
static int move_action(struct store_conn *c, int64_t id, int pos)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "UPDATE minutes_actions SET position = $2 WHERE id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, pos);
	return step_done(st);
}

/* The actions: kept when written as they were, else replaced. */
static int set_actions(struct store_conn *c, int64_t meeting_id, int64_t case_id,
		       const struct minutes_action_in *in, size_t n, int64_t now, struct arena *a)
{
	struct minutes_action *old;
	size_t nold;
	int rc = list_actions(c, meeting_id, a, &old, &nold);
	if (rc)
		return rc;
	bool *kept = arena_array(a, nold ? nold : 1, sizeof *kept);
	bool *same = arena_array(a, n ? n : 1, sizeof *same);
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < nold &&
		       (kept[j] || old[j].who != in[i].who || !str_eq(old[j].what, in[i].what) ||
			!str_eq(old[j].due, in[i].due)))
			j++;
		if (j < nold) {
			kept[j] = same[i] = true;
			if ((rc = move_action(c, old[j].id, (int)i)))
				return rc;
		}
	}
	for (size_t j = 0; j < nold; j++) {
		if (kept[j])
			continue;
		if ((rc = exec_id(c, "DELETE FROM minutes_actions WHERE id = $1", old[j].id)))
			return rc;
		if (old[j].task_id && !old[j].done &&
		    (rc = exec_id(c, "DELETE FROM tasks WHERE id = $1 AND done = 0",
				  old[j].task_id)))
			return rc;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t task;
		if (!same[i] && ((rc = insert_task(c, meeting_id, case_id, &in[i], now, &task)) ||
				 (rc = insert_action(c, meeting_id, (int)i, &in[i], task, now, a))))
			return rc;
	}
	return 0;
}

int minutes_structure_set(struct store_conn *c, int64_t meeting_id, int64_t case_id,
			  const char *const *agreements, size_t nagreements,
			  const struct minutes_action_in *actions, size_t nactions,
			  int64_t next_start, int64_t next_meeting_id, int64_t now, struct arena *a)
{
	int rc = exec_id(c, "DELETE FROM minutes_points WHERE meeting_id = $1", meeting_id);
	for (size_t i = 0; !rc && i < nagreements; i++) {
		unsigned char *sealed;
		size_t slen;
		struct store_stmt *st;
		if ((rc = seal_encrypt(a, agreements[i], strlen(agreements[i]), &sealed, &slen)) ||
		    (rc = store_prepare(c,
					"INSERT INTO minutes_points (meeting_id, position, "
					"text_sealed, created_at) VALUES ($1, $2, $3, $4)",
					&st)))
			break;
		store_bind_int64(st, 1, meeting_id);
		store_bind_int64(st, 2, (int64_t)i);
		store_bind_blob(st, 3, sealed, slen);
		store_bind_int64(st, 4, now);
		rc = step_done(st);
	}
	if (rc ||
	    (case_id && (rc = set_actions(c, meeting_id, case_id, actions, nactions, now, a))))
		return rc;
	struct store_stmt *st;
	if ((rc = store_prepare(
		 c, "UPDATE meetings SET next_start = $2, next_meeting_id = $3 WHERE id = $1",
		 &st)))
		return rc;
	store_bind_int64(st, 1, meeting_id);
	if (next_start)
		store_bind_int64(st, 2, next_start);
	else
		store_bind_null(st, 2);
	if (next_meeting_id)
		store_bind_int64(st, 3, next_meeting_id);
	else
		store_bind_null(st, 3);
	return step_done(st);
}

struct of_task {
	int64_t meeting_id;
	const char *kind, *what;
};

static int of_task_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	(void)ud;
	struct of_task *o = elem;
	o->meeting_id = store_col_int64(st, 0);
	o->kind = store_col_strdup(st, 1, a);
	return col_unseal(st, 2, a, &o->what);
}

int minutes_action_of_task(struct store_conn *c, int64_t task_id, struct arena *a,
			   int64_t *meeting_id, const char **kind, const char **what)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT x.meeting_id, m.kind, x.what_sealed FROM minutes_actions x "
			       "JOIN meetings m ON m.id = x.meeting_id WHERE x.task_id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, task_id);
	struct of_task o = {0};
	if ((rc = store_read_row(st, a, of_task_row, NULL, &o)))
		return rc;
	*meeting_id = o.meeting_id;
	*kind = o.kind;
	*what = o.what;
	return 0;
}
