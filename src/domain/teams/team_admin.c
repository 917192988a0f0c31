/* team_admin.c: what the administrator's pages list and make besides teams:
 * organisations with their accounts, sites with their address, and the
 * staff who may join a team. */
#include "domain/teams/team.h"

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* Every row of st as an object built by row(); *out a new array. */
static int rows_json(struct store_stmt *st, json_t *(*row)(struct store_stmt *), json_t **out)
{
	json_t *arr = json_array();
	int rc;
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(arr, row(st));
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

static json_t *org_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)store_col_int64(st, 0), "name",
			 store_col_text(st, 1, NULL), "kind", store_col_text(st, 2, NULL),
			 "accounts", (json_int_t)store_col_int64(st, 3));
}

int team_orgs_json(struct store_conn *c, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT o.id, o.name, o.kind, COUNT(u.id) FROM organisations o "
			       "LEFT JOIN users u ON u.organisation_id = o.id "
			       "GROUP BY o.id, o.name, o.kind ORDER BY o.name",
			       &st);
	return rc ? rc : rows_json(st, org_row, out);
}

static json_t *staff_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s?}", "id", (json_int_t)store_col_int64(st, 0), "name",
			 store_col_text(st, 1, NULL), "role", store_col_text(st, 2, NULL),
			 "organisation", store_col_text(st, 3, NULL));
}

int team_staff_json(struct store_conn *c, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT u.id, u.name, u.role, o.name FROM users u "
			       "LEFT JOIN organisations o ON o.id = u.organisation_id "
			       "WHERE u.disabled = 0 AND u.role IN ('care_manager', "
			       "'employment_consultant', 'supervisor') ORDER BY u.name, u.id",
			       &st);
	return rc ? rc : rows_json(st, staff_row, out);
}

int team_site_create(struct store_conn *c, struct in_ctx *x, json_t *in, int64_t *id)
{
	const char *name, *address;
	int rc = in_text(x, in, "name", "name", IN_REQUIRED, TEAM_NAME_MAX, "teams.err.site_name",
			 &name);
	if (!rc)
		rc = in_text(x, in, "address", "address", IN_NULLABLE, 500, "teams.err.site_address",
			     &address);
	if (rc)
		return rc;
	if ((rc = store_begin_write(c)))
		return rc;
	struct store_stmt *st;
	rc = store_prepare(c, "INSERT INTO sites (name, address) VALUES ($1, $2) RETURNING id", &st);
	if (!rc) {
		store_bind_str(st, 1, name);
		store_bind_str(st, 2, address ? address : "");
		rc = store_step_id(st, id);
	}
	if (rc == ERR_CONFLICT)
		in_fail(x, "name", "teams.err.site_taken");
	return store_end(c, rc);
}
