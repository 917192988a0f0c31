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

#endif
