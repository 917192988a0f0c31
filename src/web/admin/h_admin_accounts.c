/* h_admin_accounts.c: the administrator's accounts page: every account
 * with its role, organisation and state; create one, change its role,
 * disable or enable it. A person's own account comes with their case
 * (referral and activation), never from here. */
#include <string.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/teams/team.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/admin/h_admin.h"
#include "web/gate.h"
#include "web/handlers.h"
#include "web/h_form_int.h"
#include "web/web.h"

/* The roles an administrator gives (not service_user). */
static const enum account_role staff_roles[] = {ROLE_CARE_MANAGER, ROLE_EMPLOYMENT_CONSULTANT,
						ROLE_SUPERVISOR, ROLE_RESEARCHER, ROLE_ADMIN};
#define NSTAFF (sizeof staff_roles / sizeof staff_roles[0])

static const char *role_label(struct web_ctx *c, enum account_role r)
{
	return web_t(c, arena_printf(c->a, "role.%s", account_role_name(r)));
}

/* [{value, label, selected}] of the staff roles, selected = current. */
static json_t *role_options(struct web_ctx *c, const char *current)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < NSTAFF; i++) {
		const char *v = account_role_name(staff_roles[i]);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", v, "label",
						     role_label(c, staff_roles[i]), "selected",
						     current && str_eq(current, v)));
	}
	return arr;
}

static json_t *account_json(struct web_ctx *c, const struct account_row *r)
{
	bool person = r->role == ROLE_SERVICE_USER;
	const char *role = r->role < ROLE_COUNT ? account_role_name(r->role) : "?";
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:b, s:I, s:b, s:b, s:o}", "id",
			 (json_int_t)r->id, "username", r->username, "name", r->name, "role", role,
			 "role_label", r->role < ROLE_COUNT ? role_label(c, r->role) : role,
			 "organisation", r->org_name, "disabled", r->disabled, "sessions",
			 (json_int_t)r->sessions, "person", person, "self",
			 c->actor->id == r->id, "roles",
			 person ? json_array() : role_options(c, role));
}

static int accounts_page(struct web_ctx *c)
{
	int rc = admin_allowed(c);
	if (rc)
		return rc;
	struct account_row *rows;
	size_t n;
	json_t *orgs;
	if ((rc = account_list(c->db, c->a, NULL, &rows, &n)))
		return rc;
	if ((rc = team_orgs_json(c->db, &orgs)))
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, account_json(c, &rows[i]));
	/* A row's form that failed is the one marked. */
	const char *failed = web_input_parsed(c) ? route_param(&c->match, "id") : NULL;
	form_mark(list, "id", failed, "kept_here");
	form_mark(orgs, "name", form_typed(c, "organisation"), "selected");
	const char *lang = form_typed(c, "language");
	json_t *langs = json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}]", "value", "da", "label",
				  web_t(c, N_("lang.da")), "selected", lang && str_eq(lang, "da"),
				  "value", "en", "label", web_t(c, N_("lang.en")), "selected",
				  lang && str_eq(lang, "en"));
	web_set_model(c, json_pack("{s:o, s:o, s:o, s:o}", "accounts", list, "new_roles",
				   role_options(c, form_typed(c, "role")), "organisations", orgs,
				   "languages", langs));
	c->template = "admin/accounts";
	c->title_key = N_("admin.accounts.title");
	return 0;
}

static int h_admin_accounts(struct web_ctx *c)
{
	return accounts_page(c);
}

/* A care manager works in the psychiatry, an employment consultant in a
 * jobcentre (the team's sides follow from it); kind NULL: no organisation. */
static bool role_fits(enum account_role r, const char *kind)
{
	if (r == ROLE_CARE_MANAGER)
		return kind && str_eq(kind, "health");
	if (r == ROLE_EMPLOYMENT_CONSULTANT)
		return kind && str_eq(kind, "jobcentre");
	return true;
}

/* The kind of the organisation named name, or NULL. static */
static const char *org_kind(struct web_ctx *c, const char *name)
{
	json_t *orgs;
	if (!name || team_orgs_json(c->db, &orgs))
		return NULL;
	const char *kind = NULL;
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o)
	if (str_eq(json_string_value(json_object_get(o, "name")), name))
		kind = str_eq(json_string_value(json_object_get(o, "kind")), "health") ? "health"
										      : "jobcentre";
	json_decref(orgs);
	return kind;
}

static int staff_role(const char *s, enum account_role *out)
{
	if (!s || account_role_parse(s, out) || *out == ROLE_SERVICE_USER)
		return ERR_INVALID;
	return 0;
}

/* Each field checked here first, so the message names it; account_create
 * checks the same again. */
static int create_read(struct web_ctx *c, struct account_new *a)
{
	const char *username = web_field(c, "username"), *name = web_field(c, "name");
	const char *org = web_field(c, "organisation"), *lang = web_field(c, "language");
	/* Every field is checked, so the error summary lists each one wrong. */
	if (!username || account_username_check(username))
		web_fail_more(c, ERR_INVALID, "username", N_("admin.err.username"));
	if (!name || !*name || strlen(name) > ACCOUNT_NAME_MAX || !str_valid_utf8(name, strlen(name)))
		web_fail_more(c, ERR_INVALID, "name", N_("admin.err.name"));
	bool role_ok = staff_role(web_field(c, "role"), &a->role) == 0;
	if (!role_ok)
		web_fail_more(c, ERR_INVALID, "role", N_("admin.err.role"));
	bool needs_org = role_ok && a->role != ROLE_ADMIN && a->role != ROLE_RESEARCHER;
	if (needs_org && (!org || !*org))
		web_fail_more(c, ERR_INVALID, "organisation", N_("admin.err.org_needed"));
	else if (needs_org && !role_fits(a->role, org_kind(c, org)))
		web_fail_more(c, ERR_INVALID, "role", N_("admin.err.role_org"));
	if (lang && *lang && !str_eq(lang, "da") && !str_eq(lang, "en"))
		web_fail_more(c, ERR_INVALID, "language", N_("admin.err.language"));
	const char *pw = web_field(c, "password");
	if (!pw || account_password_check(pw))
		web_fail_more(c, ERR_INVALID, "password", N_("admin.err.password"));
	if (c->err)
		return c->err;
	a->username = username, a->name = name, a->org_name = org && *org ? org : NULL;
	a->language = lang && *lang ? lang : NULL, a->password = pw;
	a->cost = ACCOUNT_HASH_INTERACTIVE;
	return 0;
}

static int account_create_form(struct web_ctx *c)
{
	int rc = admin_allowed(c);
	json_t *in;
	if (rc || (rc = web_input(c, &in)))
		return rc;
	struct account_new a = {0};
	if ((rc = create_read(c, &a)))
		return rc;
	int64_t id;
	rc = account_create(c->db, &a, clock_now(), &id);
	if (rc == ERR_CONFLICT)
		return web_fail(c, rc, "username", N_("admin.err.username_taken"));
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, ERR_INVALID, "organisation", N_("admin.err.org_unknown"));
	if (rc == ERR_INVALID)
		return web_fail(c, rc, NULL, N_("admin.err.account"));
	if (rc)
		return rc;
	admin_audit(c, arena_printf(c->a, "account:%lld", (long long)id), "account_created",
		    arena_printf(c->a, "%s (%s)", a.username, account_role_name(a.role)));
	web_set_model(c, json_pack("{s:I, s:s}", "id", (json_int_t)id, "username", a.username));
	c->status = 201;
	c->redirect = arena_printf(c->a, "/admin/accounts#account-%lld", (long long)id);
	web_flash(c, "created");
	return 0;
}

static int h_admin_account_create(struct web_ctx *c)
{
	return form_again(c, account_create_form(c), "account", accounts_page);
}

/* The account the path names, not the administrator's own: changing one's
 * own role or disabling oneself would lock the last administrator out. */
static int other_account(struct web_ctx *c, int64_t *id)
{
	int rc = admin_allowed(c);
	if (!rc)
		rc = gate_param_id(c, "id", id);
	if (!rc && *id == c->actor->id)
		return web_fail(c, ERR_CONFLICT, NULL, N_("admin.err.own_account"));
	return rc;
}

static int account_changed(struct web_ctx *c, int64_t id, int64_t ended)
{
	web_set_model(c, json_pack("{s:I, s:I}", "id", (json_int_t)id, "sessions_ended",
				   (json_int_t)ended));
	c->redirect = arena_printf(c->a, "/admin/accounts#account-%lld", (long long)id);
	return 0;
}

static int account_role(struct web_ctx *c)
{
	int64_t id, ended = 0;
	int rc = other_account(c, &id);
	json_t *in;
	if (rc || (rc = web_input(c, &in)))
		return rc;
	enum account_role role;
	if (staff_role(web_field(c, "role"), &role))
		return web_fail(c, ERR_INVALID, "role", N_("admin.err.role"));
	struct actor who;
	if ((rc = account_get_by_id(c->db, id, c->a, &who)))
		return rc == ERR_NOT_FOUND ? web_fail(c, rc, NULL, N_("admin.err.no_account")) : rc;
	if (!role_fits(role, who.org_kind))
		return web_fail(c, ERR_INVALID, "role", N_("admin.err.role_org"));
	rc = account_set_role(c->db, id, role, &ended);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, rc, NULL, N_("admin.err.no_account"));
	if (rc == ERR_INVALID)
		return web_fail(c, rc, "role", N_("admin.err.role_org"));
	if (rc)
		return rc;
	admin_audit(c, arena_printf(c->a, "account:%lld", (long long)id), "role_changed",
		    arena_printf(c->a, "%s (%s → %s)", who.username, account_role_name(who.role),
				 account_role_name(role)));
	return account_changed(c, id, ended);
}

static int h_admin_account_role(struct web_ctx *c)
{
	return form_again(c, account_role(c), "role", accounts_page);
}

static int account_disabled(struct web_ctx *c)
{
	int64_t id, ended = 0;
	int rc = other_account(c, &id);
	json_t *in;
	if (rc || (rc = web_input(c, &in)))
		return rc;
	const char *v = web_field(c, "disabled");
	if (!v || !(str_eq(v, "1") || str_eq(v, "0")))
		return web_fail(c, ERR_INVALID, "disabled", N_("admin.err.disabled"));
	bool off = str_eq(v, "1");
	rc = account_set_disabled(c->db, id, off, &ended);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, rc, NULL, N_("admin.err.no_account"));
	if (rc)
		return rc;
	struct actor who;
	admin_audit(c, arena_printf(c->a, "account:%lld", (long long)id),
		    off ? "account_disabled" : "account_enabled",
		    account_get_by_id(c->db, id, c->a, &who) == 0 ? who.username : NULL);
	web_flash(c, off ? "disabled" : "enabled");
	return account_changed(c, id, ended);
}

static int h_admin_account_disabled(struct web_ctx *c)
{
	return form_again(c, account_disabled(c), "disabled", accounts_page);
}

const struct route routes_admin_accounts[] = {
	{HTTP_GET, "/admin/accounts", h_admin_accounts, ROUTE_SESSION, "administration"},
	{HTTP_POST, "/admin/accounts", h_admin_account_create, ROUTE_SESSION, "administration"},
	{HTTP_POST, "/admin/accounts/{id}/role", h_admin_account_role, ROUTE_SESSION, "administration"},
	{HTTP_POST, "/admin/accounts/{id}/disabled", h_admin_account_disabled, ROUTE_SESSION, "administration"},
};
const size_t routes_admin_accounts_n = sizeof routes_admin_accounts / sizeof routes_admin_accounts[0];
