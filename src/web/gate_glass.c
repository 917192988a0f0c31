/* gate_glass.c: a break-glass opening is flagged to the case's team (a
 * flagged access-log entry and a review task for each supervisor), on every
 * route that opens a case through the gate. */
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "domain/trust/accesslog.h"
#include "store/store.h"
#include "web/gate.h"
#include "web/web.h"

void gate_break_glass(struct web_ctx *c, struct gate *g)
{
	if (!g->pa.break_glass || !g->break_glass_reason || !c->actor)
		return;
	if (store_in_transaction(c->db)) {
		/* The handler holds a transaction (the case page, assessments):
		 * the flag is written by its own write transaction once the
		 * handler's has ended (gate_break_glass_pending), never skipped. */
		c->break_glass_case = arena_alloc(c->a, sizeof *c->break_glass_case);
		*c->break_glass_case = g->cr;
		c->break_glass_reason = g->break_glass_reason;
		return;
	}
	int64_t id = 0;
	int rc = accesslog_break_glass(c->db, &g->cr, c->actor, g->break_glass_reason,
				       clock_now(), clock_today(), &id);
	if (rc)
		log_error("break-glass flag on case %lld not written: %s", (long long)g->cr.id,
			  err_code(rc));
}

void gate_break_glass_pending(struct web_ctx *c)
{
	if (!c->break_glass_case || !c->actor || store_in_transaction(c->db))
		return;
	int64_t id = 0;
	int rc = accesslog_break_glass(c->db, c->break_glass_case, c->actor,
				       c->break_glass_reason, clock_now(), clock_today(), &id);
	if (rc)
		log_error("break-glass flag on case %lld not written: %s",
			  (long long)c->break_glass_case->id, err_code(rc));
	c->break_glass_case = NULL;
}
