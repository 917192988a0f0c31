/* h_insight_gate.c: the team gate every insight handler goes through: the
 * team, the actor's membership on the day asked, and policy_check. */
#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/insight/instrument.h"
#include "domain/insight/survey.h"
#include "domain/trust/access.h"
#include "store/store.h"
#include "web/gate.h"
#include "web/insight/h_insight_int.h"
#include "view/i18n.h"
#include "web/web.h"

static int team_name(struct web_ctx *c, int64_t team, const char **name)
{
	struct store_stmt *st;
	int rc = store_prepare(c->db, "SELECT name FROM teams WHERE id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*name = store_col_strdup(st, 0, c->a);
		store_reset(st);
		return 0;
	}
	return rc < 0 ? rc : ERR_NOT_FOUND;
}

int ig_team(struct web_ctx *c, int64_t team, struct tgate *g)
{
	if (!c->model)
		c->model = json_object();
	memset(g, 0, sizeof *g);
	g->c = c;
	g->team = team;
	int rc = team_name(c, team, &g->team_name);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("insight.err.team_not_found"));
	if (rc)
		return rc;
	g->role = access_team_role(c->db, team, c->actor->id, clock_today());
	g->rater = g->role ? survey_rater_role(g->role, c->actor->org_kind) : -1;
	g->pa.role = access_role(c->actor->role);
	g->pa.org = access_org(c->actor->org_kind);
	g->pa.is_team_member = g->role != NULL;
	g->pa.is_team_supervisor = str_eq(g->role, "supervisor") && c->actor->role == ROLE_SUPERVISOR;
	return 0;
}

int ig_team_param(struct web_ctx *c, const char *param, struct tgate *g)
{
	int64_t team;
	if (!c->model)
		c->model = json_object();
	int rc = gate_param_id(c, param, &team);
	return rc ? rc : ig_team(c, team, g);
}

bool ig_may(struct tgate *g, enum policy_category cat, enum policy_action act)
{
	struct policy_item it = {.category = cat};
	return gate_ask(g->c, &g->pa, act, &it, NULL) == 0;
}

int ig_allow(struct web_ctx *c, struct tgate *g, enum policy_category cat, enum policy_action act,
	     bool own)
{
	struct policy_item it = {.category = cat, .actor_is_author = own};
	enum policy_reason why;
	if (gate_ask(c, &g->pa, act, &it, &why))
		return web_fail(c, ERR_FORBIDDEN, NULL,
				why == POLICY_R_INSIGHT_SUPERVISORS ? N_("insight.err.supervisors_only")
								    : N_("error.forbidden"));
	return 0;
}

void ig_model_team(struct web_ctx *c, struct tgate *g)
{
	json_object_set_new(c->model, "team", json_integer(g->team));
	json_object_set_new(c->model, "team_name", json_string(g->team_name));
}

const char *ig_role_label(struct web_ctx *c, int role)
{
	return web_t(c, arena_printf(c->a, "insight.role.%s", instr_role_name(role)));
}
