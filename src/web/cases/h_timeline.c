/* h_timeline.c: GET /cases/{id}/timeline: the engine's output for today
 * (JSON: exactly spec section 9), and a page in plain language (HTML:
 * templates/timeline.mustache around the partial cases/timeline). */
#include "base/clock.h"
#include "base/err.h"
#include "view/i18n.h"
#include "web/cases/case_timeline_page.h"
#include "web/gate.h"
#include "web/handlers.h"
#include "web/web.h"

static int h_timeline_get(struct web_ctx *c)
{
	struct gate g;
	int rc = gate_open(c, "id", &g);
	if (rc)
		return rc;
	rc = gate_allow(c, &g, POLICY_CORE, POLICY_READ, "timeline");
	if (rc)
		return rc;
	gate_viewed(c, &g);
	day_t today = clock_today();
	json_t *m = NULL;
	if (c->want_json) {
		rc = case_timeline_json(c->db, g.cr.id, today, c->a, &m);
	} else {
		/* Evidence kinds per ground only from categories the reader may see. */
		struct case_timeline_opts o = {
			.evidence_health_shared = gate_may(&g, POLICY_HEALTH_SHARED, POLICY_READ),
			.evidence_employment = gate_may(&g, POLICY_EMPLOYMENT, POLICY_READ),
		};
		json_t *t = NULL;
		rc = case_timeline_page(c->db, g.cr.id, today, c->lang, c->app->i18n, &o, c->a, &t);
		if (rc == 0)
			m = json_pack("{s:I, s:o}", "case_id", (json_int_t)g.cr.id, "timeline", t);
		c->template = "timeline";
	}
	if (rc)
		return web_fail(c, rc, NULL, rc == ERR_NOT_FOUND ? N_("casetimeline.err.not_found")
								 : N_("casetimeline.err.failed"));
	c->model = m;
	c->title_key = N_("casetimeline.title");
	return 0;
}

const struct route routes_timeline[] = {
	{HTTP_GET, "/cases/{id}/timeline", h_timeline_get, ROUTE_CASE, "core,health_shared,employment"},
};
const size_t routes_timeline_n = sizeof routes_timeline / sizeof routes_timeline[0];
