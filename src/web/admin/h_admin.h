/* h_admin.h: the administrator's pages (web/admin/): home, organisations,
 * sites and accounts; teams and memberships are in web/teams/. */
#ifndef IBBIS_H_ADMIN_H
#define IBBIS_H_ADMIN_H

#include <stdbool.h>

struct web_ctx;

/* 0 when the actor administers (policy_administer), else records
 * ERR_FORBIDDEN with the page's message and returns it. */
int admin_allowed(struct web_ctx *c);
/* The same question without recording anything. */
bool admin_is(struct web_ctx *c);
/* The administrator's home: what they can do (h_home for an admin). */
int admin_home(struct web_ctx *c);

/* Records an administrator's action in the audit log (category "admin",
 * no case): item "account:7", action "account_created", detail the
 * thing's name as the page shows it ("sofie (supervisor)"), kept as the
 * entry's purpose. Shown on /admin/log (h_admin_log.c). */
void admin_audit(struct web_ctx *c, const char *item, const char *action, const char *detail);

#endif
