/* accesslog.c: the access log's reads, and break-glass flags. */
#include "domain/trust/accesslog.h"

#include <string.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/access.h"
#include "domain/accounts/account.h"
#include "store/store.h"

static int entry_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct accesslog_entry *e = elem;
	e->id = store_col_int64(st, 0);
	e->at = store_col_int64(st, 1);
	e->actor_id = store_col_is_null(st, 2) ? 0 : store_col_int64(st, 2);
	e->actor_role = store_col_strdup(st, 3, a);
	e->actor_name = store_col_strdup(st, 4, a);
	e->actor_org = store_col_strdup(st, 5, a);
	e->item = store_col_strdup(st, 6, a);
	e->category = store_col_strdup(st, 7, a);
	e->action = store_col_strdup(st, 8, a);
	e->purpose = store_col_strdup(st, 9, a);
	e->break_glass = store_col_int64(st, 10) != 0;
	return 0;
}

int accesslog_list(struct store_conn *c, struct arena *a, int64_t case_id,
		   struct accesslog_entry **out, size_t *n)
{
	struct store_stmt *st;
	*out = NULL;
	*n = 0;
	int rc = store_prepare(c,
			       "SELECT id, at, actor_id, actor_role, actor_name, actor_org, item, "
			       "category, action, purpose, break_glass FROM audit_log "
			       "WHERE case_id = $1 AND action <> 'denied' ORDER BY id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	return store_read_rows(st, a, sizeof **out, entry_row, NULL, out, n);
}

int accesslog_admin_actions(struct store_conn *c, struct arena *a, size_t limit,
			    struct accesslog_entry **out, size_t *n)
{
	struct store_stmt *st;
	*n = 0;
	*out = arena_array(a, limit ? limit : 1, sizeof **out);
	int rc = store_prepare(c,
			       "SELECT id, at, actor_id, actor_role, actor_name, actor_org, item, "
			       "category, action, purpose, break_glass FROM audit_log "
			       "WHERE category = 'admin' ORDER BY id DESC LIMIT $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, (int64_t)limit);
	while (*n < limit && (rc = store_step(st)) == STORE_ROW)
		entry_row(st, a, &(*out)[(*n)++], NULL);
	store_reset(st);
	return rc < 0 ? rc : 0;
}

int accesslog_security_events(struct store_conn *c, struct arena *a, size_t limit,
			      struct accesslog_entry **out, int64_t **case_ids, size_t *n)
{
	struct store_stmt *st;
	*out = NULL;
	*case_ids = NULL;
	*n = 0;
	int rc = store_prepare(c,
			       "SELECT id, at, actor_id, actor_role, actor_name, actor_org, item, "
			       "category, action, purpose, break_glass, case_id FROM audit_log "
			       "WHERE action IN ('denied', 'break_glass') ORDER BY id DESC LIMIT $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, (int64_t)limit);
	*out = arena_array(a, limit ? limit : 1, sizeof **out);
	*case_ids = arena_array(a, limit ? limit : 1, sizeof **case_ids);
	while (*n < limit && (rc = store_step(st)) == STORE_ROW) {
		entry_row(st, a, &(*out)[*n], NULL);
		(*case_ids)[*n] = store_col_is_null(st, 11) ? 0 : store_col_int64(st, 11);
		(*n)++;
	}
	store_reset(st);
	return rc < 0 ? rc : 0;
}

/* Whether this actor already has a break-glass flag on the case since t0. */
static int flagged_since(struct store_conn *c, int64_t case_id, int64_t actor_id, int64_t t0,
			 bool *yes)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT 1 FROM audit_log WHERE case_id = $1 AND at >= $2 AND "
			       "actor_id = $3 AND action = 'break_glass' LIMIT 1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_int64(st, 2, t0);
	store_bind_int64(st, 3, actor_id);
	rc = store_step(st);
	*yes = rc == STORE_ROW;
	store_reset(st);
	return rc < 0 ? rc : 0;
}

static int last_audit_id(struct store_conn *c, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT max(id) FROM audit_log", &st);
	if (rc)
		return rc;
	rc = store_step(st);
	*id = rc == STORE_ROW ? store_col_int64(st, 0) : 0;
	store_reset(st);
	return rc < 0 ? rc : (*id ? 0 : ERR_DB);
}

/* One review task per supervisor of the team on `today`. The key carries
 * the supervisor's id as well, because tasks are unique per (case, source,
 * source_key) and each supervisor gets their own. */
static int review_tasks(struct store_conn *c, const struct case_ref *cr, int64_t audit_id,
			int64_t now, day_t today)
{
	char d[DATE_STR_LEN];
	date_format(today, d);
	struct store_stmt *st;
	int rc = store_prepare(
		c,
		"INSERT INTO tasks (user_id, case_id, kind, source, source_key, due, done, "
		"created_at, updated_at) SELECT DISTINCT m.user_id, CAST($1 AS BIGINT), "
		"'break_glass_review', 'manual', "
		"'break_glass:' || CAST($2 AS TEXT) || ':' || CAST(m.user_id AS TEXT), "
		"CAST($3 AS TEXT), 0, CAST($4 AS BIGINT), CAST($4 AS BIGINT) "
		"FROM memberships m WHERE m.team_id = $5 AND m.role = 'supervisor' AND "
		"m.from_date <= $3 AND (m.to_date IS NULL OR m.to_date > $3)",
		&st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, cr->id);
	store_bind_int64(st, 2, audit_id);
	store_bind_str(st, 3, d);
	store_bind_int64(st, 4, now);
	store_bind_int64(st, 5, cr->team_id);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

static int break_glass_tx(struct store_conn *c, const struct case_ref *cr,
			  const struct actor *who, const char *reason, int64_t now, day_t today,
			  int64_t *audit_id)
{
	bool already = false;
	int64_t day_start = clock_dk_to_utc(today, 0);
	int rc = flagged_since(c, cr->id, who->id, day_start, &already);
	if (rc || already)
		return rc;
	struct audit_entry e = {
		.at = now,
		.actor_id = who->id,
		.actor_role = account_role_name(who->role),
		.actor_name = who->name,
		.actor_org = who->org_name ? who->org_name : "",
		.case_id = cr->id,
		.item = "case",
		.category = "core",
		.action = "break_glass",
		.purpose = reason,
		.break_glass = true,
	};
	rc = audit_append_now(c, &e);
	if (!rc)
		rc = last_audit_id(c, audit_id);
	if (!rc)
		rc = review_tasks(c, cr, *audit_id, now, today);
	return rc;
}

int accesslog_break_glass(struct store_conn *c, const struct case_ref *cr,
			  const struct actor *who, const char *reason, int64_t now, day_t today,
			  int64_t *audit_id)
{
	*audit_id = 0;
	if (store_in_transaction(c))
		return ERR_INTERNAL;
	int rc = store_begin_write(c);
	if (rc)
		return rc;
	rc = break_glass_tx(c, cr, who, reason, now, today, audit_id);
	if (rc) {
		store_rollback(c);
		*audit_id = 0;
		return rc;
	}
	return store_commit(c);
}
