/* admin_audit.c: an administrator's action into the audit log (category
 * "admin"), for the pages that change accounts, organisations, sites, teams
 * and memberships. */
#include "web/admin/h_admin.h"

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "domain/accounts/account.h"
#include "web/web.h"

void admin_audit(struct web_ctx *c, const char *item, const char *action, const char *detail)
{
	struct audit_entry e = {
	    .at = clock_now(),
	    .actor_id = c->actor->id,
	    .actor_role = account_role_name(c->actor->role),
	    .actor_name = c->actor->name,
	    .actor_org = c->actor->org_name ? c->actor->org_name : "",
	    .item = item,
	    .category = "admin",
	    .action = action,
	    .purpose = detail,
	};
	int rc = audit_record(c->db, &e);
	if (rc)
		log_error("audit: could not record %s %s: %s", action, item, err_code(rc));
}
