/* account_admin.c: the operator's account commands (ibbis user list,
 * disable, enable, role): listing accounts, and changes that end the
 * account's sessions so that they take effect on the next request. */
#include "domain/accounts/account.h"

#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/store.h"

static int account_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct account_row *r = elem;
	r->id = store_col_int64(st, 0);
	r->username = store_col_strdup(st, 1, a);
	r->name = store_col_strdup(st, 2, a);
	if (account_role_parse(store_col_text(st, 3, NULL), &r->role) != 0)
		r->role = ROLE_COUNT;
	r->org_name = store_col_strdup(st, 4, a);
	r->disabled = store_col_int64(st, 5) != 0;
	r->sessions = store_col_int64(st, 6);
	return 0;
}

int account_list(struct store_conn *c, struct arena *a, const enum account_role *role_or_null,
		 struct account_row **out, size_t *n)
{
	struct store_stmt *st;
	*out = NULL;
	*n = 0;
	int rc = store_prepare(c,
			       "SELECT u.id, u.username, u.name, u.role, o.name, u.disabled, "
			       "(SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id) "
			       "FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id "
			       "WHERE $1 = '' OR u.role = $1 ORDER BY u.username",
			       &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, role_or_null ? account_role_name(*role_or_null) : "");
	if (rc == 0)
		rc = store_read_rows(st, a, sizeof **out, account_row, NULL, out, n);
	return rc;
}

/* Ends every session of the account; *ended: how many. */
static int sessions_end(struct store_conn *c, int64_t id, int64_t *ended)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "DELETE FROM sessions WHERE user_id = $1", &st);
	if (rc == 0)
		rc = store_bind_int64(st, 1, id);
	if (rc == 0)
		rc = store_step(st);
	if (rc == 0 && ended)
		*ended = store_changes(st);
	return rc;
}

int account_set_disabled(struct store_conn *c, int64_t id, bool disabled,
			 int64_t *sessions_ended)
{
	struct store_stmt *st;
	if (sessions_ended)
		*sessions_ended = 0;
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	rc = store_prepare(c, "UPDATE users SET disabled = $1 WHERE id = $2", &st);
	if (rc == 0)
		rc = store_bind_int64(st, 1, disabled ? 1 : 0);
	if (rc == 0)
		rc = store_bind_int64(st, 2, id);
	if (rc == 0)
		rc = store_step(st);
	if (rc == 0 && store_changes(st) == 0)
		rc = ERR_NOT_FOUND;
	if (rc == 0 && disabled)
		rc = sessions_end(c, id, sessions_ended);
	return store_end(c, rc);
}

/* The account's role now and whether it has an organisation. */
struct role_now {
	enum account_role role;
	bool has_org;
};

static int role_now_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct role_now *r = elem;
	r->has_org = !store_col_is_null(st, 1);
	return account_role_parse(store_col_text(st, 0, NULL), &r->role);
}

int account_set_role(struct store_conn *c, int64_t id, enum account_role role,
		     int64_t *sessions_ended)
{
	struct store_stmt *st;
	struct role_now was = {0};
	if (sessions_ended)
		*sessions_ended = 0;
	if (role == ROLE_SERVICE_USER || role >= ROLE_COUNT)
		return ERR_INVALID;
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	rc = store_prepare(c, "SELECT role, organisation_id FROM users WHERE id = $1", &st);
	if (rc == 0)
		rc = store_bind_int64(st, 1, id);
	if (rc == 0)
		rc = store_read_row(st, NULL, role_now_row, NULL, &was);
	/* A service user's account belongs to their case: it never becomes
	 * staff, and staff never become one. A role that needs an
	 * organisation needs the account to have one. */
	if (rc == 0 && (was.role == ROLE_SERVICE_USER ||
			(role != ROLE_ADMIN && role != ROLE_RESEARCHER && !was.has_org)))
		rc = ERR_INVALID;
	if (rc == 0)
		rc = store_run(c, "UPDATE users SET role = $1 WHERE id = $2", "si",
			       account_role_name(role), id);
	if (rc == 0)
		rc = sessions_end(c, id, sessions_ended);
	return store_end(c, rc);
}
