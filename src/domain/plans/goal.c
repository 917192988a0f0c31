/* goal.c: goals and their kept versions. */
#include "domain/plans/goal.h"

#include <assert.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

int goal_text_check(const char *s, size_t max)
{
	if (!s)
		return ERR_INVALID;
	size_t n = strlen(s);
	if (!str_valid_utf8(s, n))
		return ERR_INVALID;
	size_t chars = 0;
	int visible = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];
		if ((b & 0xC0) != 0x80)
			chars++;
		if (b != ' ' && b != '\t' && b != '\n' && b != '\r')
			visible = 1;
	}
	return visible && chars <= max ? 0 : ERR_INVALID;
}

int goal_status_valid(const char *s)
{
	return str_eq(s, "active") || str_eq(s, "reached") || str_eq(s, "dropped");
}

static int version_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct goal_version *v = elem;
	v->text = store_col_strdup(st, 0, a);
	v->status = store_col_strdup(st, 1, a);
	v->by_id = store_col_int64(st, 2);
	v->by_name = store_col_strdup(st, 3, a);
	v->at = store_col_int64(st, 4);
	return 0;
}

static int goal_versions_load(struct store_conn *c, struct arena *a, struct goal *g)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT v.text, v.status, v.by_user, u.name, v.at FROM goal_versions v "
			       "JOIN users u ON u.id = v.by_user WHERE v.goal_id = $1 ORDER BY v.id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, g->id);
	return store_read_rows(st, a, sizeof *g->versions, version_row, NULL, &g->versions,
			       &g->nversions);
}

#define GOAL_COLS                                                                                 \
	"SELECT g.id, g.case_id, g.text, g.status, g.created_by, cu.name, g.created_at, "          \
	"g.updated_by, uu.name, g.updated_at FROM goals g JOIN users cu ON cu.id = g.created_by " \
	"LEFT JOIN users uu ON uu.id = g.updated_by "

static int goal_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct goal *g = elem;
	g->id = store_col_int64(st, 0);
	g->case_id = store_col_int64(st, 1);
	g->text = store_col_strdup(st, 2, a);
	g->status = store_col_strdup(st, 3, a);
	g->author_id = store_col_int64(st, 4);
	g->author_name = store_col_strdup(st, 5, a);
	g->created_at = store_col_int64(st, 6);
	g->updated_by = store_col_is_null(st, 7) ? 0 : store_col_int64(st, 7);
	g->updated_by_name = store_col_strdup(st, 8, a);
	g->updated_at = store_col_int64(st, 9);
	return 0;
}

int goal_list(struct store_conn *c, int64_t case_id, struct arena *a, struct goal **out,
	      size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c, GOAL_COLS "WHERE g.case_id = $1 ORDER BY g.id", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	rc = store_read_rows(st, a, sizeof **out, goal_row, NULL, out, n);
	if (rc)
		return rc;
	for (size_t i = 0; i < *n; i++) {
		rc = goal_versions_load(c, a, &(*out)[i]);
		if (rc)
			return rc;
	}
	return 0;
}

int goal_get(struct store_conn *c, int64_t id, struct arena *a, struct goal *out)
{
	struct store_stmt *st;
	int rc = store_prepare(c, GOAL_COLS "WHERE g.id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	memset(out, 0, sizeof *out);
	rc = store_read_row(st, a, goal_row, NULL, out);
	return rc ? rc : goal_versions_load(c, a, out);
}

static int goal_version_add(struct store_conn *c, int64_t id, int64_t by, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO goal_versions (goal_id, text, status, by_user, at) "
			       "SELECT id, text, status, $2, $3 FROM goals WHERE id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, by);
	store_bind_int64(st, 3, now);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int goal_create(struct store_conn *c, int64_t case_id, const char *text, int64_t by, int64_t now,
		int64_t *id)
{
	assert(store_in_write_transaction(c)); /* promised by the header */
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO goals (case_id, text, status, created_by, created_at, "
			       "updated_at) VALUES ($1, $2, 'active', $3, $4, $4) RETURNING id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_str(st, 2, text);
	store_bind_int64(st, 3, by);
	store_bind_int64(st, 4, now);
	rc = store_step_id(st, id);
	return rc ? rc : goal_version_add(c, *id, by, now);
}

int goal_update(struct store_conn *c, int64_t id, const char *text, const char *status,
		int64_t by, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "UPDATE goals SET text = COALESCE($2, text), status = COALESCE($3, "
			       "status), updated_by = $4, updated_at = $5 WHERE id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_str(st, 2, text);
	store_bind_str(st, 3, status);
	store_bind_int64(st, 4, by);
	store_bind_int64(st, 5, now);
	rc = store_step(st);
	if (rc < 0)
		return rc;
	if (store_changes(st) == 0)
		return ERR_NOT_FOUND;
	return goal_version_add(c, id, by, now);
}
