/* h_admin.c: the administrator's home, organisations and sites. The
 * administrator manages who works where and never sees case content
 * (DESIGN.md section 4); policy_administer decides. Accounts are in
 * h_admin_accounts.c, teams and memberships in web/teams/. */
#include "web/admin/h_admin.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/teams/team.h"
#include "domain/trust/access.h"
#include "policy/policy.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/gate.h"
#include "web/h_form_int.h"
#include "web/handlers.h"
#include "web/web.h"

bool admin_is(struct web_ctx *c)
{
	return c->actor && gate_role_may(c, POLICY_ADMINISTRATION, POLICY_READ);
}

int admin_allowed(struct web_ctx *c)
{
	if (!c->actor)
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("admin.err.admin_only"));
	return gate_role_allow(c, POLICY_ADMINISTRATION, POLICY_READ, N_("admin.err.admin_only"));
}

/* What the administrator can do, each with where it is done. */
int admin_home(struct web_ctx *c)
{
	static const struct {
		const char *href, *title, *text;
	} tasks[] = {
		{"/admin/accounts", N_("admin.home.accounts"), N_("admin.home.accounts_text")},
		{"/teams", N_("admin.home.teams"), N_("admin.home.teams_text")},
		{"/sites", N_("admin.home.sites"), N_("admin.home.sites_text")},
		{"/admin/organisations", N_("admin.home.orgs"), N_("admin.home.orgs_text")},
		{"/admin/log", N_("admin.home.log"), N_("admin.home.log_text")},
	};
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof tasks / sizeof tasks[0]; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "href", tasks[i].href,
						      "title", web_t(c, tasks[i].title), "text",
						      web_t(c, tasks[i].text)));
	c->model = json_pack("{s:s, s:o}", "name", c->actor->name, "tasks", list);
	c->template = "admin/home";
	c->title_key = N_("admin.home.title");
	return 0;
}

static int h_admin_home(struct web_ctx *c)
{
	int rc = admin_allowed(c);
	return rc ? rc : admin_home(c);
}

/* Options of a <select>: [{value, label, selected}] from values and keys. */
static json_t *options(struct web_ctx *c, const char *const *values, const char *key_fmt,
		       size_t n, const char *typed)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:b}", "value", values[i], "label",
				       web_t(c, arena_printf(c->a, key_fmt, values[i])), "selected",
				       typed && str_eq(typed, values[i])));
	return arr;
}

static const char *const org_kinds[] = {"health", "jobcentre"};

static int orgs_page(struct web_ctx *c)
{
	int rc = admin_allowed(c);
	json_t *orgs;
	if (rc || (rc = team_orgs_json(c->db, &orgs)))
		return rc;
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o)
	{
		const char *kind = json_string_value(json_object_get(o, "kind"));
		json_object_set_new(o, "kind_label",
				    json_string(web_t(c, arena_printf(c->a, "admin.kind.%s", kind))));
	}
	web_set_model(c, json_pack("{s:o, s:o}", "organisations", orgs, "kinds",
				   options(c, org_kinds, "admin.kind.%s", 2, form_typed(c, "kind"))));
	c->template = "admin/organisations";
	c->title_key = N_("admin.orgs.title");
	return 0;
}

static int h_orgs(struct web_ctx *c)
{
	return orgs_page(c);
}

static int org_create(struct web_ctx *c)
{
	int rc = admin_allowed(c);
	json_t *in;
	if (rc || (rc = web_input(c, &in)))
		return rc;
	const char *name = web_field(c, "name"), *kind = web_field(c, "kind");
	/* Both checked, so the error summary lists both. */
	if (!name || !*name || strlen(name) > ACCOUNT_NAME_MAX)
		web_fail_more(c, ERR_INVALID, "name", N_("admin.err.org_name"));
	if (!kind || !(str_eq(kind, "health") || str_eq(kind, "jobcentre")))
		web_fail_more(c, ERR_INVALID, "kind", N_("admin.err.org_kind"));
	if (c->err)
		return c->err;
	int64_t id;
	rc = account_org_create(c->db, name, kind, &id);
	if (rc == ERR_CONFLICT)
		return web_fail(c, rc, "name", N_("admin.err.org_taken"));
	if (rc == ERR_INVALID)
		return web_fail(c, rc, "name", N_("admin.err.org_name"));
	if (rc)
		return rc;
	admin_audit(c, arena_printf(c->a, "organisation:%lld", (long long)id),
		    "organisation_created", arena_printf(c->a, "%s (%s)", name, kind));
	web_set_model(c, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", name, "kind",
				   kind));
	c->status = 201;
	c->redirect = "/admin/organisations";
	web_flash(c, "created");
	return 0;
}

static int h_org_create(struct web_ctx *c)
{
	return form_again(c, org_create(c), "org", orgs_page);
}

/* Everyone with a session may read the sites (a meeting's place); the
 * administrator also gets the form that adds one. */
static int sites_page(struct web_ctx *c)
{
	json_t *arr;
	int rc = team_sites_json(c->db, &arr);
	if (rc)
		return rc;
	web_set_model(c, json_pack("{s:o, s:b}", "sites", arr, "admin", admin_is(c)));
	c->template = "admin/sites";
	c->title_key = N_("admin.sites.title");
	return 0;
}

static int h_sites(struct web_ctx *c)
{
	return sites_page(c);
}

static int site_create(struct web_ctx *c)
{
	int rc = admin_allowed(c);
	json_t *in;
	if (rc || (rc = web_input(c, &in)))
		return rc;
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	int64_t id;
	rc = team_site_create(c->db, &x, in, &id);
	if ((rc == ERR_INVALID || rc == ERR_CONFLICT) && fe.key)
		return web_fail(c, rc, fe.field, fe.key);
	if (rc)
		return rc;
	admin_audit(c, arena_printf(c->a, "site:%lld", (long long)id), "site_created",
		    web_field(c, "name"));
	web_set_model(c, json_pack("{s:I}", "id", (json_int_t)id));
	c->status = 201;
	c->redirect = "/sites";
	web_flash(c, "created");
	return 0;
}

static int h_site_create(struct web_ctx *c)
{
	return form_again(c, site_create(c), "site", sites_page);
}

const struct route routes_admin[] = {
    {HTTP_GET, "/admin", h_admin_home, ROUTE_SESSION, "administration"},
    {HTTP_GET, "/admin/organisations", h_orgs, ROUTE_SESSION, "administration"},
    {HTTP_POST, "/admin/organisations", h_org_create, ROUTE_SESSION, "administration"},
    {HTTP_GET, "/sites", h_sites, ROUTE_SESSION, "administration"},
    {HTTP_POST, "/sites", h_site_create, ROUTE_SESSION, "administration"},
};
const size_t routes_admin_n = sizeof routes_admin / sizeof routes_admin[0];
