/* supervision.c: one supervision action and its form's choices (supervision.h). */
#include "domain/insight/supervision.h"

#include <stdbool.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "store/store.h"

int sup_action_get(struct store_conn *c, int64_t id, struct arena *a, int64_t *team,
		   struct sup_action *out)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    c,
	    "SELECT s.id, s.meeting_id, s.assignee_id, s.task_id, s.case_ref, s.action, s.due, "
	    "u.name, m.starts_at, t.done, s.team_id FROM supervision_actions s JOIN users u ON "
	    "u.id = s.assignee_id JOIN meetings m ON m.id = s.meeting_id LEFT JOIN tasks t ON "
	    "t.id = s.task_id WHERE s.id = $1",
	    &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	if ((rc = store_step(st)) != STORE_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	out->id = store_col_int64(st, 0);
	out->meeting_id = store_col_int64(st, 1);
	out->assignee = store_col_int64(st, 2);
	out->task_id = store_col_int64(st, 3);
	out->case_ref = store_col_strdup(st, 4, a);
	out->action = store_col_strdup(st, 5, a);
	out->due = store_col_strdup(st, 6, a);
	out->assignee_name = store_col_strdup(st, 7, a);
	char d[DATE_STR_LEN];
	date_format((day_t)(store_col_int64(st, 8) / 86400), d);
	out->meeting_day = arena_strdup(a, d);
	out->done = store_col_int64(st, 9) != 0;
	*team = store_col_int64(st, 10);
	store_reset(st);
	return 0;
}

int sup_action_update(struct store_conn *c, int64_t id, const char *case_ref, const char *action,
		      int64_t assignee, const char *due, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "UPDATE supervision_actions SET case_ref = $2, action = $3, "
			       "assignee_id = $4, due = $5 WHERE id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_str(st, 2, case_ref);
	store_bind_str(st, 3, action);
	store_bind_int64(st, 4, assignee);
	store_bind_str(st, 5, due);
	if ((rc = store_step(st)) < 0)
		return rc;
	if ((rc = store_prepare(c,
				"UPDATE tasks SET user_id = $2, due = $3, updated_at = $4 WHERE id = "
				"(SELECT task_id FROM supervision_actions WHERE id = $1)",
				&st)))
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, assignee);
	store_bind_str(st, 3, due);
	store_bind_int64(st, 4, now);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

static int choices(struct store_stmt *st, struct arena *a, bool day, struct sup_choice **v,
		   size_t *n)
{
	int rc;
	size_t cap = 0;
	*v = NULL;
	*n = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		*v = arena_grow(a, *v, *n, &cap, sizeof **v);
		struct sup_choice *x = &(*v)[(*n)++];
		x->id = store_col_int64(st, 0);
		if (day) {
			int64_t t = store_col_int64(st, 1), local = t + clock_dk_offset(t);
			int64_t d = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
			int minute = (int)((local - d * 86400) / 60);
			char ds[DATE_STR_LEN];
			date_format((day_t)d, ds);
			x->label = arena_printf(a, "%s %02d:%02d", ds, minute / 60, minute % 60);
		} else
			x->label = store_col_strdup(st, 1, a);
	}
	return rc < 0 ? rc : 0;
}

int sup_meetings_list(struct store_conn *c, int64_t team, struct arena *a,
		      struct sup_choice **v, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT id, starts_at FROM meetings WHERE team_id = $1 AND kind = "
			       "'supervision' ORDER BY starts_at DESC, id DESC LIMIT 50",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	return choices(st, a, true, v, n);
}

int sup_members_list(struct store_conn *c, int64_t team, const char *today, struct arena *a,
		     struct sup_choice **v, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT DISTINCT u.id, u.name FROM memberships m JOIN users u ON u.id = "
			       "m.user_id WHERE m.team_id = $1 AND m.from_date <= $2 AND (m.to_date "
			       "IS NULL OR m.to_date > $2) ORDER BY u.name, u.id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	store_bind_str(st, 2, today);
	return choices(st, a, false, v, n);
}
