/* gate_team.c: the policy for a team's page and record (categories team
 * and team_record). Not case content, so no audit entry; but the decision
 * is the policy's, like every other. */
#include "base/clock.h"
#include "base/err.h"
#include "domain/trust/access.h"
#include "view/i18n.h"
#include "web/gate.h"
#include "web/web.h"

static enum policy_reason team_reason(struct web_ctx *c, int64_t team_id,
				      const struct policy_item *it, enum policy_action act)
{
	struct policy_actor pa;
	access_team_actor(c->db, c->actor, team_id, clock_today(), &pa);
	enum policy_reason why;
	gate_ask(c, &pa, act, it, &why);
	return why;
}

bool gate_team_may(struct web_ctx *c, int64_t team_id, enum policy_category cat,
		   enum policy_action act)
{
	struct policy_item it = {.category = cat};
	return team_reason(c, team_id, &it, act) == POLICY_ALLOWED;
}

bool gate_supervision_may(struct web_ctx *c, int64_t team_id, enum policy_action act)
{
	struct policy_item it = {.category = POLICY_TEAM_RECORD, .supervision = true};
	return team_reason(c, team_id, &it, act) == POLICY_ALLOWED;
}

int gate_team_allow(struct web_ctx *c, int64_t team_id, enum policy_category cat,
		    enum policy_action act)
{
	struct policy_item it = {.category = cat};
	enum policy_reason why = team_reason(c, team_id, &it, act);
	if (why == POLICY_ALLOWED)
		return 0;
	return web_fail(c, ERR_FORBIDDEN, NULL,
			why == POLICY_R_NOT_IN_TEAM ? N_("teams.err.not_member")
						    : gate_refusal_key(why));
}
