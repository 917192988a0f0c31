/* trend.c: one survey measure over rounds (trend.h). */
#include "domain/insight/trend.h"

const struct agg *trend_pick(const struct rc_results *r, const struct trend_measure *m)
{
	if (m->kind == TREND_INDEX)
		return m->rater < 0 ? &r->total_index[m->rated] : &r->index[m->rater][m->rated];
	return m->rater < 0 ? &r->total[m->rated][m->dim] : &r->cell[m->rater][m->rated][m->dim];
}

void trend_series(const struct rc_results *const *rounds, size_t n, const struct trend_measure *m,
		  struct trend_point *out)
{
	const struct trend_point *before = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct agg *g = trend_pick(rounds[i], m);
		struct trend_point *p = &out[i];
		*p = (struct trend_point){.n = g->n};
		p->suppressed = g->n > 0 && g->why != SUPP_NONE;
		p->why = p->suppressed ? g->why : SUPP_NONE;
		p->shown = g->n > 0 && g->why == SUPP_NONE;
		if (p->shown)
			p->mean = g->mean;
		if (p->shown && before && before->shown) {
			p->has_change = true;
			p->change = p->mean - before->mean;
		}
		if (g->n > 0)
			before = p;
	}
}
