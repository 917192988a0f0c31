/* team.c: sites, teams and memberships. */
#include "domain/teams/team.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

static const char *const member_roles[] = {"care_manager", "employment_consultant", "supervisor"};

static const char *role_static(const char *s)
{
	for (size_t i = 0; i < sizeof member_roles / sizeof member_roles[0]; i++)
		if (str_eq(s, member_roles[i]))
			return member_roles[i];
	return NULL;
}

/* The id of the named site, created when new. */
static int site_ensure(struct store_conn *c, const char *name, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT id FROM sites WHERE name = $1", &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, name);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*id = store_col_int64(st, 0);
		store_reset(st);
		return 0;
	}
	if (rc < 0)
		return rc;
	rc = store_prepare(c, "INSERT INTO sites (name) VALUES ($1) RETURNING id", &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, name);
	return store_step_id(st, id);
}

/* A care manager must be health staff, an employment consultant jobcentre
 * staff; a supervisor either (its side is its organisation's kind). */
/* *(bool *)elem: whether the user's role and organisation fit the member
 * role ud (a const char *). */
static int role_fits_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	const char *role = ud;
	const char *urole = store_col_text(st, 0, NULL);
	const char *kind = store_col_text(st, 1, NULL);
	bool *ok = elem;
	if (str_eq(role, "care_manager"))
		*ok = str_eq(urole, "care_manager") && str_eq(kind, "health");
	else if (str_eq(role, "employment_consultant"))
		*ok = str_eq(urole, "employment_consultant") && str_eq(kind, "jobcentre");
	else
		*ok = str_eq(urole, "supervisor") &&
		      (str_eq(kind, "health") || str_eq(kind, "jobcentre"));
	return 0;
}

static int member_user_check(struct store_conn *c, struct in_ctx *x, int64_t user,
			     const char *role, const char *pfx, int i)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT u.role, o.kind FROM users u LEFT JOIN organisations o "
			       "ON o.id = u.organisation_id WHERE u.id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, user);
	bool ok = false;
	rc = store_read_row(st, NULL, role_fits_row, (void *)role, &ok);
	if (rc == ERR_NOT_FOUND)
		return in_fail(x, in_path(x, pfx, i, "user"), "teams.err.member_user");
	if (rc)
		return rc;
	return ok ? 0 : in_fail(x, in_path(x, pfx, i, "role"), "teams.err.member_role_org");
}

struct member_in {
	int64_t user;
	const char *role; /* static */
	double fraction;
	const char *from; /* borrowed */
	const char *to;   /* borrowed or NULL */
};

static int member_read(struct in_ctx *x, json_t *m, const char *pfx, int i, day_t today,
		       struct member_in *out)
{
	if (!json_is_object(m))
		return in_fail(x, in_path(x, pfx, i, NULL), "teams.err.member");
	int rc = in_id(x, m, "user", in_path(x, pfx, i, "user"), IN_REQUIRED,
		       "teams.err.member_user", &out->user);
	const char *role = NULL;
	if (!rc)
		rc = in_text(x, m, "role", in_path(x, pfx, i, "role"), IN_REQUIRED, 64,
			     "teams.err.member_role", &role);
	if (!rc && !(out->role = role_static(role)))
		rc = in_fail(x, in_path(x, pfx, i, "role"), "teams.err.member_role");
	bool has = false;
	out->fraction = 1.0;
	if (!rc)
		rc = in_real(x, m, "fraction", in_path(x, pfx, i, "fraction"),
			     "teams.err.member_fraction", &out->fraction, &has);
	if (!rc && (out->fraction <= 0 || out->fraction > 1))
		rc = in_fail(x, in_path(x, pfx, i, "fraction"), "teams.err.member_fraction");
	day_t from = today, to = 0;
	if (!rc)
		rc = in_date(x, m, "from", in_path(x, pfx, i, "from"), IN_OPTIONAL,
			     "teams.err.member_from", &out->from, &from);
	if (!rc && !out->from) {
		char *d = arena_alloc(x->a, DATE_STR_LEN);
		date_format(today, d);
		out->from = d;
	}
	if (!rc)
		rc = in_date(x, m, "to", in_path(x, pfx, i, "to"), IN_NULLABLE,
			     "teams.err.member_to", &out->to, &to);
	if (!rc && out->to && to < from)
		rc = in_fail(x, in_path(x, pfx, i, "to"), "teams.err.member_to");
	return rc;
}

static int member_insert(struct store_conn *c, int64_t team, const struct member_in *m,
			 int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO memberships (team_id, user_id, role, fraction, "
			       "from_date, to_date) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			       &st);
	if (rc)
		return rc;
	char frac[32];
	str_fmt(frac, sizeof frac, "%.6g", m->fraction);
	store_bind_int64(st, 1, team);
	store_bind_int64(st, 2, m->user);
	store_bind_str(st, 3, m->role);
	store_bind_str(st, 4, frac);
	store_bind_str(st, 5, m->from);
	store_bind_str(st, 6, m->to);
	return store_step_id(st, id);
}

static int member_add(struct store_conn *c, struct in_ctx *x, int64_t team, json_t *m,
		      const char *pfx, int i, day_t today, int64_t *id)
{
	struct member_in mi;
	int rc = member_read(x, m, pfx, i, today, &mi);
	if (!rc)
		rc = member_user_check(c, x, mi.user, mi.role, pfx, i);
	if (!rc)
		rc = member_insert(c, team, &mi, id);
	return rc;
}

static int team_insert(struct store_conn *c, struct in_ctx *x, const char *name, int64_t site,
		       int64_t now, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO teams (name, site_id, created_at) VALUES ($1, $2, $3) "
			       "RETURNING id",
			       &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, name);
	if (site)
		store_bind_int64(st, 2, site);
	else
		store_bind_null(st, 2);
	store_bind_int64(st, 3, now);
	rc = store_step_id(st, id);
	if (rc == ERR_CONFLICT) {
		x->fe->field = "name";
		x->fe->key = "teams.err.name_taken";
	}
	return rc;
}

static int team_create_tx(struct store_conn *c, struct in_ctx *x, json_t *in, day_t today,
			  int64_t now, int64_t *id)
{
	const char *name, *site;
	json_t *members;
	int rc = in_text(x, in, "name", "name", IN_REQUIRED, TEAM_NAME_MAX, "teams.err.name",
			 &name);
	if (!rc)
		rc = in_text(x, in, "site", "site", IN_NULLABLE, TEAM_NAME_MAX, "teams.err.site",
			     &site);
	if (!rc)
		rc = in_array(x, in, "members", "teams.err.members", &members);
	int64_t site_id = 0;
	if (!rc && site)
		rc = site_ensure(c, site, &site_id);
	if (!rc)
		rc = team_insert(c, x, name, site_id, now, id);
	for (size_t i = 0; !rc && members && i < json_array_size(members); i++)
		rc = member_add(c, x, *id, json_array_get(members, i), "members", (int)i, today,
				NULL);
	return rc;
}

int team_create(struct store_conn *c, struct in_ctx *x, json_t *in, day_t today, int64_t now,
		int64_t *id)
{
	int rc = store_begin_write(c);
	if (rc)
		return rc;
	rc = team_create_tx(c, x, in, today, now, id);
	return store_end(c, rc);
}

static bool team_exists(struct store_conn *c, int64_t id)
{
	struct store_stmt *st;
	if (store_prepare(c, "SELECT 1 FROM teams WHERE id = $1", &st))
		return false;
	store_bind_int64(st, 1, id);
	bool found = store_step(st) == STORE_ROW;
	store_reset(st);
	return found;
}

int team_member_add(struct store_conn *c, struct in_ctx *x, int64_t team_id, json_t *in,
		    day_t today, int64_t *membership_id)
{
	int rc = store_begin_write(c);
	if (rc)
		return rc;
	rc = team_exists(c, team_id) ? member_add(c, x, team_id, in, NULL, 0, today, membership_id)
				     : ERR_NOT_FOUND;
	return store_end(c, rc);
}

/* elem: struct membership_from, the membership's team and first day. */
struct membership_from {
	int64_t team;
	day_t from;
};

static int membership_from_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct membership_from *m = elem;
	m->team = store_col_int64(st, 0);
	m->from = 0;
	date_parse(store_col_text(st, 1, NULL), &m->from);
	return 0;
}

static int membership_end_tx(struct store_conn *c, struct in_ctx *x, int64_t id, json_t *in,
			     int64_t *team_id)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT team_id, from_date FROM memberships WHERE id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	struct membership_from m;
	if ((rc = store_read_row(st, NULL, membership_from_row, NULL, &m)))
		return rc;
	*team_id = m.team;
	day_t from = m.from, to = 0;
	const char *tos;
	rc = in_date(x, in, "to", "to", IN_REQUIRED, "teams.err.member_to", &tos, &to);
	if (!rc && to < from)
		rc = in_fail(x, "to", "teams.err.member_to");
	if (rc)
		return rc;
	rc = store_prepare(c, "UPDATE memberships SET to_date = $1 WHERE id = $2", &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, tos);
	store_bind_int64(st, 2, id);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int team_membership_end(struct store_conn *c, struct in_ctx *x, int64_t id, json_t *in,
			int64_t *team_id)
{
	int rc = store_begin_write(c);
	if (rc)
		return rc;
	rc = membership_end_tx(c, x, id, in, team_id);
	return store_end(c, rc);
}
