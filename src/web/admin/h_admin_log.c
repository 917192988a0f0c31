/* h_admin_log.c: the page /admin/log, the administrators' actions (audited
 * by admin_audit.c and the CLI's `ibbis user` and `ibbis org`). */
#include "audit/audit.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/accesslog.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/admin/h_admin.h"
#include "web/handlers.h"
#include "web/trust/h_trust.h"
#include "web/web.h"

/* The actions a page names (others are shown as written). */
static const char *const action_keys[] = {
    N_("admin.log.account_created"), N_("admin.log.role_changed"),
    N_("admin.log.account_disabled"), N_("admin.log.account_enabled"),
    N_("admin.log.organisation_created"), N_("admin.log.site_created"),
    N_("admin.log.team_created"), N_("admin.log.member_added"),
    N_("admin.log.member_ended"),
};

static const char *action_label(struct web_ctx *c, const char *action)
{
	const char *key = arena_printf(c->a, "admin.log.%s", action);
	for (size_t i = 0; i < sizeof action_keys / sizeof action_keys[0]; i++)
		if (str_eq(key, action_keys[i]))
			return web_t(c, action_keys[i]);
	return action;
}

#define ADMIN_LOG_MAX 200

static int h_admin_log(struct web_ctx *c)
{
	int rc = admin_allowed(c);
	if (rc)
		return rc;
	audit_flush(); /* this instant's own actions are listed too */
	struct accesslog_entry *e;
	size_t n;
	if ((rc = accesslog_admin_actions(c->db, c->a, ADMIN_LOG_MAX, &e, &n)))
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *who = e[i].actor_name && *e[i].actor_name ? e[i].actor_name
								      : web_t(c, N_("admin.log.system"));
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "at", (json_int_t)e[i].at,
				    "when", trust_when(c, e[i].at), "who", who, "role",
				    e[i].actor_role ? e[i].actor_role : "", "action", e[i].action,
				    "action_label", action_label(c, e[i].action), "detail",
				    e[i].purpose ? e[i].purpose : ""));
	}
	web_set_model(c, json_pack("{s:o, s:b}", "actions", list, "has_actions", n > 0));
	c->template = "admin/log";
	c->title_key = N_("admin.log.title");
	return 0;
}

const struct route routes_admin_log[] = {
    {HTTP_GET, "/admin/log", h_admin_log, ROUTE_SESSION, "administration"},
};
const size_t routes_admin_log_n = sizeof routes_admin_log / sizeof routes_admin_log[0];
