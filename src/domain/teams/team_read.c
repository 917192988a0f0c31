/* team_read.c: teams, members and sites as JSON. */
#include "domain/teams/team.h"

#include <stdlib.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

static json_t *text_or_null(struct store_stmt *st, int col)
{
	return store_col_is_null(st, col) ? json_null() : json_string(store_col_text(st, col, NULL));
}

static int members_json(struct store_conn *c, int64_t team, json_t *arr)
{
	struct store_stmt *st;
	int rc = store_prepare(
		c,
		"SELECT m.id, m.user_id, u.name, m.role, o.name, o.kind, m.fraction, m.from_date, "
		"m.to_date FROM memberships m JOIN users u ON u.id = m.user_id "
		"LEFT JOIN organisations o ON o.id = u.organisation_id WHERE m.team_id = $1 "
		"ORDER BY o.kind, m.role, u.name, m.id",
		&st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *m = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:f, s:s, s:o}", "id",
				      (json_int_t)store_col_int64(st, 0), "user",
				      (json_int_t)store_col_int64(st, 1), "name",
				      store_col_text(st, 2, NULL), "role", store_col_text(st, 3, NULL),
				      "organisation", text_or_null(st, 4), "kind", text_or_null(st, 5),
				      "fraction", strtod(store_col_text(st, 6, NULL), NULL), "from",
				      store_col_text(st, 7, NULL), "to", text_or_null(st, 8));
		json_array_append_new(arr, m);
	}
	return rc < 0 ? rc : 0;
}

int team_get_json(struct store_conn *c, int64_t id, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT t.name, s.name FROM teams t LEFT JOIN sites s "
			       "ON s.id = t.site_id WHERE t.id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	json_t *t = json_pack("{s:I, s:s, s:o}", "id", (json_int_t)id, "name",
			      store_col_text(st, 0, NULL), "site", text_or_null(st, 1));
	store_reset(st);
	json_t *members = json_array();
	json_object_set_new(t, "members", members);
	rc = members_json(c, id, members);
	if (rc) {
		json_decref(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* The ids first, then each team: never two uses of one cached statement. */
int team_mine_json(struct store_conn *c, int64_t user_id, day_t today, json_t **out)
{
	char d[DATE_STR_LEN];
	date_format(today, d);
	struct store_stmt *st;
	int rc = user_id ? store_prepare(c,
					 "SELECT DISTINCT t.id, t.name FROM teams t JOIN memberships m "
					 "ON m.team_id = t.id WHERE m.user_id = $1 AND "
					 "(m.to_date IS NULL OR m.to_date > $2) ORDER BY t.name",
					 &st)
			 : store_prepare(c, "SELECT id, name FROM teams ORDER BY name", &st);
	if (rc)
		return rc;
	if (user_id) {
		store_bind_int64(st, 1, user_id);
		store_bind_str(st, 2, d);
	}
	json_t *a = json_array();
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(a, json_pack("{s:I, s:s}", "id",
						   (json_int_t)store_col_int64(st, 0), "name",
						   store_col_text(st, 1, NULL)));
	store_reset(st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int team_list_json(struct store_conn *c, int64_t user_id, day_t today, json_t **out)
{
	json_t *ids;
	int rc = team_mine_json(c, user_id, today, &ids);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; rc >= 0 && i < json_array_size(ids); i++) {
		json_t *t;
		rc = team_get_json(
			c, json_integer_value(json_object_get(json_array_get(ids, i), "id")), &t);
		if (!rc)
			json_array_append_new(arr, t);
	}
	json_decref(ids);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

bool team_has_member(struct store_conn *c, int64_t team_id, int64_t user_id)
{
	struct store_stmt *st;
	if (store_prepare(c, "SELECT 1 FROM memberships WHERE team_id = $1 AND user_id = $2",
			  &st))
		return false;
	store_bind_int64(st, 1, team_id);
	store_bind_int64(st, 2, user_id);
	bool yes = store_step(st) == STORE_ROW;
	store_reset(st);
	return yes;
}

int team_sites_json(struct store_conn *c, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT id, name, address FROM sites ORDER BY name", &st);
	if (rc)
		return rc;
	json_t *arr = json_array();
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id",
						     (json_int_t)store_col_int64(st, 0), "name",
						     store_col_text(st, 1, NULL), "address",
						     store_col_text(st, 2, NULL)));
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

const char *team_role_on(struct store_conn *c, int64_t team_id, int64_t user_id, day_t d)
{
	static const char *const roles[] = {"care_manager", "employment_consultant",
					    "supervisor"};
	char ds[DATE_STR_LEN];
	date_format(d, ds);
	struct store_stmt *st;
	if (store_prepare(c,
			  "SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2 AND "
			  "from_date <= $3 AND (to_date IS NULL OR to_date > $3) ORDER BY id",
			  &st))
		return NULL;
	store_bind_int64(st, 1, team_id);
	store_bind_int64(st, 2, user_id);
	store_bind_str(st, 3, ds);
	const char *role = NULL;
	if (store_step(st) == STORE_ROW)
		for (size_t i = 0; i < 3; i++)
			if (str_eq(store_col_text(st, 0, NULL), roles[i]))
				role = roles[i];
	store_reset(st);
	return role;
}
