/* gate.c: policy and audit for case content. */
#include "web/gate.h"

#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "view/i18n.h"
#include "web/web.h"

int gate_param_id(struct web_ctx *c, const char *param, int64_t *out)
{
	const char *s = route_param(&c->match, param);
	long v;
	if (!s || str_to_long(s, 1, 0x7fffffffL, &v))
		return web_fail(c, ERR_NOT_FOUND, param, NULL);
	*out = v;
	return 0;
}

/* A break-glass reason must say something: at least 20 characters and
 * three words (runs of non-space characters). */
bool gate_reason_ok(const char *r)
{
	if (!r || strlen(r) < 20)
		return false;
	int words = 0;
	for (const char *p = r; *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		words++;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
	}
	return words >= 3;
}

/* The reason given (header or ?break_glass=), or NULL for none. A reason
 * that says too little is 400 naming the field. */
static int break_glass_reason(struct web_ctx *c, const char **out)
{
	*out = NULL;
	const char *r = http_header(c->req, "X-Break-Glass-Reason");
	const char *field = "X-Break-Glass-Reason";
	if (!r) {
		r = web_query(c, "break_glass");
		field = "break_glass";
	}
	if (!r || !*r)
		return 0;
	if (!gate_reason_ok(r))
		return web_fail(c, ERR_INVALID, field, N_("trust.err.break_glass_reason"));
	*out = r;
	return 0;
}

int gate_open_id(struct web_ctx *c, int64_t case_id, struct gate *g)
{
	memset(g, 0, sizeof *g);
	g->c = c;
	day_t today = clock_today();
	int rc = access_case_open(c->db, case_id, c->actor ? c->actor->id : 0, today, &g->cr,
				  &g->consents);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("error.case_not_found"));
	if (rc)
		return rc;
	c->case_id = case_id;
	if ((rc = break_glass_reason(c, &g->break_glass_reason)))
		return rc;
	access_actor(c->actor, &g->cr, g->break_glass_reason != NULL, &g->pa);
	if (g->pa.break_glass)
		gate_break_glass(c, g); /* flagged to the team, whichever route */
	return 0;
}

int gate_open(struct web_ctx *c, const char *param, struct gate *g)
{
	int64_t id;
	int rc = gate_param_id(c, param, &id);
	return rc ? rc : gate_open_id(c, id, g);
}

static bool sensitive(enum policy_category cat)
{
	return cat == POLICY_CLINICAL || cat == POLICY_HEALTH_SHARED ||
	       cat == POLICY_EMPLOYMENT || cat == POLICY_DECISION || cat == POLICY_PRIVATE;
}

/* One entry for this request's actor. A break-glass opening records its
 * reason as the purpose; otherwise the request's ?purpose= does. */
static void audit_one(struct web_ctx *c, int64_t case_id, const char *item, const char *category,
		      const char *action, const char *break_glass_reason)
{
	struct audit_entry e = {
		.at = clock_now(),
		.actor_id = c->actor ? c->actor->id : 0,
		.actor_role = c->actor ? account_role_name(c->actor->role) : "anonymous",
		.actor_name = c->actor ? c->actor->name : "",
		.actor_org = c->actor && c->actor->org_name ? c->actor->org_name : "",
		.case_id = case_id,
		.item = item,
		.category = category,
		.action = action,
		.purpose = break_glass_reason ? break_glass_reason : web_query(c, "purpose"),
		.break_glass = break_glass_reason != NULL,
	};
	int rc = audit_record(c->db, &e);
	if (rc)
		log_error("audit: could not record %s %s: %s", action, item, err_code(rc));
}

void gate_audit(struct web_ctx *c, int64_t case_id, const char *item, const char *category,
		const char *action)
{
	audit_one(c, case_id, item, category, action, NULL);
}

static void gate_audit_g(struct web_ctx *c, struct gate *g, const char *item,
			 enum policy_category cat, const char *action)
{
	audit_one(c, g->cr.id, item, policy_category_name(cat), action,
		  g->pa.break_glass ? g->break_glass_reason : NULL);
}

bool gate_may_item(const struct gate *g, enum policy_action act, struct policy_item *it)
{
	it->consent_health_to_jobcentre = g->consents.health_to_jobcentre;
	it->consent_jobcentre_to_health = g->consents.jobcentre_to_health;
	return gate_ask(g->c, &g->pa, act, it, NULL) == 0;
}

bool gate_never_clinical(struct gate *g)
{
	struct policy_item it = {.category = POLICY_CLINICAL,
				 .consent_health_to_jobcentre = true,
				 .consent_jobcentre_to_health = true};
	enum policy_reason why;
	if (gate_ask(g->c, &g->pa, POLICY_READ, &it, &why) == 0)
		return false;
	/* fail closed: a question that could not be asked hides clinical ids too */
	return why == POLICY_R_JOBCENTRE_CLINICAL || why == POLICY_R_INVALID;
}

bool gate_may(struct gate *g, enum policy_category cat, enum policy_action act)
{
	struct policy_item it = {.category = cat};
	return gate_may_item(g, act, &it);
}

/* The message for a refusal: what the actor can do about it, never what
 * the item holds. */
const char *gate_refusal_key(enum policy_reason why)
{
	switch (why) {
	case POLICY_R_NEEDS_BREAK_GLASS:
		return N_("error.needs_break_glass");
	case POLICY_R_HANDOVER_OWN_SIDE:
		return N_("cases.err.handover_own_side");
	case POLICY_R_ACTIVATION_ASSIGNED:
		return N_("cases.err.activation_assigned_only");
	case POLICY_R_TEAM_ADMIN_ONLY:
		return N_("teams.err.admin_only");
	case POLICY_R_TEAM_SUPERVISOR_ONLY:
		return N_("meetings.err.not_organiser");
	case POLICY_R_PERSON_ONLY:
		return N_("person.err.only_person");
	case POLICY_R_MINUTES_WRITER:
		return N_("meetings.err.minutes_writer");
	default:
		return N_("error.forbidden");
	}
}

int gate_allow_item(struct web_ctx *c, struct gate *g, enum policy_action act,
		    struct policy_item *it, const char *item)
{
	it->consent_health_to_jobcentre = g->consents.health_to_jobcentre;
	it->consent_jobcentre_to_health = g->consents.jobcentre_to_health;
	enum policy_reason why;
	if (gate_ask(c, &g->pa, act, it, &why))
		return web_fail(c, ERR_FORBIDDEN, NULL, gate_refusal_key(why));
	if (act != POLICY_READ || sensitive(it->category) || g->pa.break_glass)
		gate_audit_g(c, g, item, it->category, policy_action_name(act));
	return 0;
}

int gate_allow(struct web_ctx *c, struct gate *g, enum policy_category cat,
	       enum policy_action act, const char *item)
{
	struct policy_item it = {.category = cat};
	return gate_allow_item(c, g, act, &it, item);
}

void gate_finish(struct web_ctx *c)
{
	gate_break_glass_pending(c); /* reported on every route that opened the case */
	const struct route *r = c->match.route;
	if (c->err != ERR_FORBIDDEN || !c->actor || !r || r->access != ROUTE_CASE ||
	    str_eq(c->err_field, "csrf_token"))
		return;
	enum policy_category cat;
	audit_one(c, c->case_id, c->path,
		  route_declared(r, 0, &cat) == 0 ? policy_category_name(cat) : "", "denied", NULL);
}

static void role_actor(struct web_ctx *c, struct policy_actor *pa)
{
	memset(pa, 0, sizeof *pa);
	if (c->actor) { /* a person acts for themselves: no organisation (access_actor) */
		pa->role = access_role(c->actor->role);
		pa->org = pa->role == POLICY_SERVICE_USER ? POLICY_ORG_NONE
							  : access_org(c->actor->org_kind);
	}
}

bool gate_role_may(struct web_ctx *c, enum policy_category cat, enum policy_action act)
{
	struct policy_actor pa;
	role_actor(c, &pa);
	struct policy_item it = {.category = cat};
	return gate_ask(c, &pa, act, &it, NULL) == 0;
}

int gate_role_allow(struct web_ctx *c, enum policy_category cat, enum policy_action act,
		    const char *refusal_key)
{
	struct policy_actor pa;
	role_actor(c, &pa);
	struct policy_item it = {.category = cat};
	enum policy_reason why;
	if (gate_ask(c, &pa, act, &it, &why))
		return web_fail(c, ERR_FORBIDDEN, NULL,
				refusal_key ? refusal_key : gate_refusal_key(why));
	return 0;
}

void gate_viewed(struct web_ctx *c, struct gate *g)
{
	if (!g->pa.is_case_person)
		gate_audit_g(c, g, "case", POLICY_CORE, "viewed");
}
