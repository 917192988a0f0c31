/* gate.h: the one way a handler reaches case content.
 *
 * gate_open loads the case named by a route parameter, the actor's relation
 * to it and its consents. gate_allow then asks policy_check for one item and
 * writes the audit entry the design requires (every write, every read of
 * clinical, health_shared, employment, decision and private items, and a
 * "viewed" entry when anyone but the person opens the case). No handler
 * decides access itself. */
#ifndef IBBIS_GATE_H
#define IBBIS_GATE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/trust/access.h"
#include "policy/policy.h"

struct web_ctx;
struct route;

/* The one entry to the policy in the web layer (gate_ask.c). Asks
 * policy_explain for this request, after checking that the request's
 * route declares it->category in its `policy` list. 0 allowed,
 * ERR_FORBIDDEN with *why (may be NULL). A category the route does not
 * declare (or no route) is refused without asking (*why "invalid"),
 * logged, and marks the request (c->undeclared_ask): with IBBIS_STRICT_ACCESS=1
 * the dispatcher answers 500. Records no error itself. */
int gate_ask(struct web_ctx *c, const struct policy_actor *pa, enum policy_action act,
	     const struct policy_item *it, enum policy_reason *why);
/* Whether route r declares category cat (its comma-separated `policy`). */
bool route_declares(const struct route *r, enum policy_category cat);
/* The n-th category r declares (0 is the route's own, named in a refusal's
 * audit entry): 0 and *out; ERR_NOT_FOUND past the end; ERR_INVALID for a
 * name that is no category. */
int route_declared(const struct route *r, int n, enum policy_category *out);
/* Questions on the actor's role and organisation alone (administration,
 * staff work, security events, a new study): gate_role_may answers
 * silently; gate_role_allow records 403 with refusal_key (NULL: the
 * reason's message). */
bool gate_role_may(struct web_ctx *c, enum policy_category cat, enum policy_action act);
int gate_role_allow(struct web_ctx *c, enum policy_category cat, enum policy_action act,
		    const char *refusal_key);

struct gate {
	struct web_ctx *c; /* the request that opened it (gate_ask checks its route) */
	struct case_ref cr;
	struct policy_actor pa;
	struct case_consents consents;
	const char *break_glass_reason; /* arena or NULL */
};

/* Opens the case whose id is the route parameter `param` ("id"), or a given
 * id (gate_open_id). Records 404 for no case; 400 for a malformed id. */
int gate_open(struct web_ctx *c, const char *param, struct gate *g);
int gate_open_id(struct web_ctx *c, int64_t case_id, struct gate *g);

/* Asks the policy about one item. On refusal records 403 with the reason
 * (never content). On success audits as the design requires: `item` names
 * what was touched ("case", "note:7"); action READ audits only sensitive
 * categories; CREATE and UPDATE always. */
int gate_allow(struct web_ctx *c, struct gate *g, enum policy_category cat,
	       enum policy_action act, const char *item);
/* Like gate_allow but with the item's own facts (author, shared private note). */
int gate_allow_item(struct web_ctx *c, struct gate *g, enum policy_action act,
		    struct policy_item *it, const char *item);
/* The message key for a refusal with this reason. static */
const char *gate_refusal_key(enum policy_reason why);
/* Policy only: may the actor do this? No audit, no error recorded. For
 * deciding what to show (lists filter silently). */
bool gate_may(struct gate *g, enum policy_category cat, enum policy_action act);
/* The same for an item with its own facts (author, shared private note). */
bool gate_may_item(const struct gate *g, enum policy_action act, struct policy_item *it);
/* The dispatcher calls it after the handler, once its transaction has
 * ended: writes a break-glass flag the handler's transaction held back, and
 * after a refusal (403) on a case route a "denied" entry with the actor,
 * the case (when a gate opened it) and the path. Refused attempts are security events for the administrator
 * (GET /security-events), not part of the person's access log. */
void gate_finish(struct web_ctx *c);
/* Whether a break-glass reason says enough: 20 characters, three words. */
bool gate_reason_ok(const char *r);
/* The policy's absolute rule: clinical content never reaches this actor's
 * side (the jobcentre), whatever the consents. Audit readers there see no
 * id, title or category of a clinical item either. */
bool gate_never_clinical(struct gate *g);
/* The "viewed" entry for opening a case (by anyone but the person). */
void gate_viewed(struct web_ctx *c, struct gate *g);
/* Appends one audit entry for this request's actor. */
void gate_audit(struct web_ctx *c, int64_t case_id, const char *item, const char *category,
		const char *action);

/* A team's page (POLICY_TEAM) or record (POLICY_TEAM_RECORD): asks the
 * policy with the actor's membership of team_id today; records 403 with
 * the reason's message on refusal. gate_team_may: the same, silently. */
int gate_team_allow(struct web_ctx *c, int64_t team_id, enum policy_category cat,
		    enum policy_action act);
bool gate_team_may(struct web_ctx *c, int64_t team_id, enum policy_category cat,
		   enum policy_action act);
/* May the actor arrange (CREATE) or change (UPDATE) the team's supervision
 * meetings? The policy's supervision rule: the team's supervisors. */
bool gate_supervision_may(struct web_ctx *c, int64_t team_id, enum policy_action act);

/* Flags a break-glass opening: a flagged audit entry and a review task for
 * each of the team's supervisors (once per supervisor, case and day). Does
 * nothing unless g->pa.break_glass. gate_open_id calls it, so every route
 * that opens a case reports it. Inside a handler's transaction the flag is
 * left for gate_break_glass_pending (gate_finish calls it). */
void gate_break_glass(struct web_ctx *c, struct gate *g);
void gate_break_glass_pending(struct web_ctx *c);

/* Parses a positive id from a route parameter; records 400/404 naming it. */
int gate_param_id(struct web_ctx *c, const char *param, int64_t *out);

#endif
