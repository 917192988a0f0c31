/* h_teams.c: sites, teams, memberships and the organisation chart. An
 * administrator manages teams; a professional reads the teams they belong
 * to today. Teams are not case content, but the policy decides (category
 * team, through gate_team_allow); all SQL is in domain/team.c. */
#include "base/clock.h"
#include "base/err.h"
#include "domain/accounts/account.h"
#include "domain/teams/team.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/admin/h_admin.h"
#include "web/gate.h"
#include "web/h_form_int.h"
#include "web/teams/h_teams.h"
#include "web/handlers.h"
#include "web/web.h"

static bool is_admin(struct web_ctx *c)
{
	return admin_is(c);
}

/* Changing a team or its memberships (the policy: the administrator). */
static int admin_only(struct web_ctx *c)
{
	return admin_allowed(c);
}

static int domain_fail(struct web_ctx *c, int rc, struct field_err *fe)
{
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, rc, NULL, N_("teams.err.not_found"));
	if ((rc == ERR_INVALID || rc == ERR_CONFLICT) && fe && fe->key)
		return web_fail(c, rc, fe->field, fe->key);
	return rc;
}

static int h_teams_list(struct web_ctx *c)
{
	json_t *arr;
	int rc = store_begin_read(c->db);
	if (rc)
		return rc;
	rc = team_list_json(c->db, is_admin(c) ? 0 : c->actor->id, clock_today(), &arr);
	store_commit(c->db);
	if (rc)
		return rc;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *t = json_array_get(arr, i);
		json_object_set_new(t, "href", json_sprintf("/teams/%lld",
							     (long long)json_integer_value(
								     json_object_get(t, "id"))));
		json_object_set_new(t, "member_count",
				    json_integer((json_int_t)json_array_size(
					    json_object_get(t, "members"))));
	}
	web_set_model(c, json_pack("{s:o, s:b}", "teams", arr, "admin", is_admin(c)));
	if (is_admin(c) && !c->want_json)
		teams_admin_list_model(c, c->model);
	c->template = "teams/list";
	c->title_key = N_("teams.list.title");
	return 0;
}

static int teams_create(struct web_ctx *c)
{
	int rc = admin_only(c);
	if (rc)
		return rc;
	json_t *in;
	if ((rc = web_input(c, &in)))
		return rc;
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	int64_t id;
	rc = team_create(c->db, &x, in, clock_today(), clock_now(), &id);
	if (rc)
		return domain_fail(c, rc, &fe);
	json_t *t;
	if ((rc = team_get_json(c->db, id, &t)))
		return rc;
	admin_audit(c, arena_printf(c->a, "team:%lld", (long long)id), "team_created",
		    json_string_value(json_object_get(t, "name")));
	web_set_model(c, t);
	c->status = 201;
	c->redirect = arena_printf(c->a, "/teams/%lld", (long long)id);
	web_flash(c, "created");
	return 0;
}

static int h_teams_create(struct web_ctx *c)
{
	return form_again(c, teams_create(c), "team", h_teams_list);
}

static int h_teams_get(struct web_ctx *c)
{
	int64_t id;
	int rc = gate_param_id(c, "id", &id);
	if (rc)
		return rc;
	json_t *t;
	if ((rc = store_begin_read(c->db)))
		return rc;
	rc = team_get_json(c->db, id, &t);
	/* A former member (membership ended, today or before) is refused. */
	int may = rc ? rc : gate_team_allow(c, id, POLICY_TEAM, POLICY_READ);
	store_commit(c->db);
	if (rc)
		return domain_fail(c, rc, NULL);
	if (may) {
		json_decref(t);
		return may;
	}
	if (!c->want_json)
		teams_chart_model(c, t);
	if (!c->want_json && is_admin(c))
		teams_admin_show_model(c, t);
	json_object_set_new(t, "admin", json_boolean(is_admin(c)));
	web_set_model(c, t);
	c->template = "teams/show";
	c->title_key = N_("teams.show.title");
	return 0;
}

/* "Name (role), Team" of membership mid in team t, for the audit entry. arena */
static const char *member_text(struct web_ctx *c, json_t *t, int64_t mid)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(t, "members"), i, m)
	{
		if (json_integer_value(json_object_get(m, "id")) != mid)
			continue;
		const char *name = json_string_value(json_object_get(m, "name"));
		const char *role = json_string_value(json_object_get(m, "role"));
		return arena_printf(c->a, "%s (%s), %s", name ? name : "?", role ? role : "?",
				    json_string_value(json_object_get(t, "name")));
	}
	return json_string_value(json_object_get(t, "name"));
}

static int teams_member_add(struct web_ctx *c)
{
	int64_t id, mid;
	int rc = admin_only(c);
	if (!rc)
		rc = gate_param_id(c, "id", &id);
	if (rc)
		return rc;
	json_t *in;
	if ((rc = web_input(c, &in)))
		return rc;
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	rc = team_member_add(c->db, &x, id, in, clock_today(), &mid);
	if (rc)
		return domain_fail(c, rc, &fe);
	json_t *t;
	if ((rc = team_get_json(c->db, id, &t)))
		return rc;
	json_object_set_new(t, "membership_id", json_integer(mid));
	admin_audit(c, arena_printf(c->a, "membership:%lld", (long long)mid), "member_added",
		    member_text(c, t, mid));
	web_set_model(c, t);
	c->status = 201;
	c->redirect = arena_printf(c->a, "/teams/%lld#members", (long long)id);
	web_flash(c, "added");
	return 0;
}

static int h_teams_member_add(struct web_ctx *c)
{
	return form_again(c, teams_member_add(c), "member", h_teams_get);
}

/* Whether membership mid is one of the team's. */
static bool team_has_membership(struct web_ctx *c, int64_t team, int64_t mid)
{
	json_t *t;
	if (team_get_json(c->db, team, &t))
		return false;
	bool found = false;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(t, "members"), i, m)
		found |= json_integer_value(json_object_get(m, "id")) == mid;
	json_decref(t);
	return found;
}

/* Ends membership id; when want_team is not 0 the membership must be that
 * team's (the team page's form). */
static int membership_end(struct web_ctx *c, int64_t id, int64_t want_team)
{
	int64_t team;
	int rc = admin_only(c);
	if (rc)
		return rc;
	json_t *in;
	if ((rc = web_input(c, &in)))
		return rc;
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	if (want_team && !team_has_membership(c, want_team, id))
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("teams.err.membership_not_found"));
	rc = team_membership_end(c->db, &x, id, in, &team);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, rc, NULL, N_("teams.err.membership_not_found"));
	if (rc)
		return domain_fail(c, rc, &fe);
	json_t *t;
	if ((rc = team_get_json(c->db, team, &t)))
		return rc;
	admin_audit(c, arena_printf(c->a, "membership:%lld", (long long)id), "member_ended",
		    member_text(c, t, id));
	web_set_model(c, t);
	c->redirect = arena_printf(c->a, "/teams/%lld#members", (long long)team);
	web_flash(c, "ended");
	return 0;
}

static int h_membership_end(struct web_ctx *c)
{
	int64_t id;
	int rc = gate_param_id(c, "id", &id);
	return rc ? rc : membership_end(c, id, 0);
}

/* The team page's form: a failure comes back on the team page. */
static int team_member_end(struct web_ctx *c)
{
	int64_t team, mid;
	int rc = gate_param_id(c, "id", &team);
	if (!rc)
		rc = gate_param_id(c, "mid", &mid);
	return rc ? rc : membership_end(c, mid, team);
}

static int h_team_member_end(struct web_ctx *c)
{
	return form_again(c, team_member_end(c), "end", h_teams_get);
}

const struct route routes_teams[] = {
	{HTTP_GET, "/teams", h_teams_list, ROUTE_SESSION, "administration"},
	{HTTP_POST, "/teams", h_teams_create, ROUTE_SESSION, "administration"},
	{HTTP_GET, "/teams/{id}", h_teams_get, ROUTE_SESSION, "team,administration"},
	{HTTP_POST, "/teams/{id}/members", h_teams_member_add, ROUTE_SESSION, "administration,team"},
	{HTTP_POST, "/teams/{id}/members/{mid}/end", h_team_member_end, ROUTE_SESSION, "administration,team"},
	{HTTP_PATCH, "/memberships/{id}", h_membership_end, ROUTE_SESSION, "administration,team"},
	{HTTP_POST, "/memberships/{id}", h_membership_end, ROUTE_SESSION, "administration,team"},
};
const size_t routes_teams_n = sizeof routes_teams / sizeof routes_teams[0];
