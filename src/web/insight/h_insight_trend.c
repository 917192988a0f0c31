/* h_insight_trend.c: a survey round's measures over the team's rounds of
 * the same instrument, up to and including it (DESIGN.md section 8, "Trend
 * over rounds"). Every round is suppressed on its own (minimum group size
 * 5 and the totals that would give a hidden cell back); a change is given
 * only between two shown rounds (domain/insight/trend.h). */
#include "web/insight/h_insight_trend.h"

#include <math.h>

#include "base/arena.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/insight/instrument.h"
#include "domain/insight/survey.h"
#include "domain/insight/trend.h"
#include "web/insight/h_insight_int.h"
#include "view/i18n.h"
#include "web/web.h"

#define TREND_MAX_ROUNDS 8

static const char *dim_label(struct web_ctx *c, int d)
{
	return web_t(c, arena_printf(c->a, "insight.dim.%s", instr_dimension_name(d)));
}

static json_t *point_json(struct web_ctx *c, const struct survey_round *r,
			  const struct trend_point *p)
{
	json_t *o = json_pack("{s:I, s:I, s:b, s:b}", "survey", (json_int_t)r->id, "n",
			      (json_int_t)p->n, "suppressed", p->suppressed, "shown", p->shown);
	json_object_set_new(o, "mean", p->shown ? json_real(round(p->mean * 100) / 100) : json_null());
	json_object_set_new(o, "change",
			    p->has_change ? json_real(round(p->change * 100) / 100) : json_null());
	const char *text;
	if (p->shown)
		text = p->has_change ? arena_printf(c->a, "%.2f (%+.2f)", p->mean, p->change)
				     : arena_printf(c->a, "%.2f", p->mean);
	else if (p->suppressed && p->why == SUPP_SMALL)
		text = web_t(c, N_("insight.results.fewer"));
	else if (p->suppressed) /* 5 or more, but it would give a hidden group back */
		text = web_t(c, N_("insight.results.hidden"));
	else
		text = "–";
	if (p->suppressed)
		json_object_set_new(o, "reason", json_string(suppress_why_name(p->why)));
	json_object_set_new(o, "text", json_string(text));
	return o;
}

/* One measure's row, or NULL when no round has answers to it. */
static json_t *measure_json(struct web_ctx *c, const struct survey_round *rounds,
			    const struct rc_results *const *res, size_t n,
			    const struct trend_measure *m)
{
	struct trend_point *pts = arena_array(c->a, n, sizeof *pts);
	trend_series(res, n, m, pts);
	bool any = false;
	for (size_t i = 0; i < n; i++)
		any = any || pts[i].n > 0;
	if (!any)
		return NULL;
	json_t *points = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(points, point_json(c, &rounds[i], &pts[i]));
	const char *what = m->kind == TREND_INDEX ? web_t(c, N_("insight.field.index"))
						  : dim_label(c, m->dim);
	const char *label =
	    m->rater < 0 ? arena_printf(c->a, "%s: %s", ig_role_label(c, m->rated), what)
			 : arena_printf(c->a, "%s → %s: %s", ig_role_label(c, m->rater),
					ig_role_label(c, m->rated), what);
	json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "kind",
			      m->kind == TREND_INDEX ? "index" : "dimension", "rated_role",
			      instr_role_name(m->rated), "label", label, "points", points);
	json_object_set_new(o, "rater_role",
			    m->rater < 0 ? json_null() : json_string(instr_role_name(m->rater)));
	json_object_set_new(o, "dimension", m->kind == TREND_DIMENSION
						? json_string(instr_dimension_name(m->dim))
						: json_null());
	return o;
}

int hi_trend_json(struct web_ctx *c, const struct survey_round *cur, json_t **out)
{
	struct survey_round *all;
	size_t nall;
	int rc = survey_rounds_list(c->db, cur->team_id, c->actor->id, c->a, &all, &nall);
	if (rc)
		return rc;
	/* Newest first: keep this round and the ones before it, then turn
	 * them oldest first. */
	struct survey_round *v = arena_array(c->a, TREND_MAX_ROUNDS, sizeof *v);
	size_t n = 0;
	bool seen = false;
	for (size_t i = 0; i < nall && n < TREND_MAX_ROUNDS; i++) {
		seen = seen || all[i].id == cur->id;
		if (seen && str_eq(all[i].instrument, cur->instrument))
			v[n++] = all[i];
	}
	for (size_t i = 0; i < n / 2; i++) {
		struct survey_round t = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
	const struct rc_results **res = arena_array(c->a, n ? n : 1, sizeof *res);
	json_t *rounds = json_array();
	for (size_t i = 0; i < n; i++) {
		struct rc_results *r = arena_alloc(c->a, sizeof *r);
		int64_t respondents;
		if ((rc = survey_results(c->db, v[i].id, r, &respondents)))
			return rc;
		res[i] = r;
		json_array_append_new(rounds, json_pack("{s:I, s:s, s:s, s:I, s:b}", "id",
							(json_int_t)v[i].id, "opens", v[i].opens,
							"closes", v[i].closes, "respondents",
							(json_int_t)respondents, "current",
							v[i].id == cur->id));
	}
	json_t *by_role = json_array(), *pairs = json_array();
	for (int b = 0; b < INSTR_ROLES; b++) {
		struct trend_measure m = {TREND_INDEX, -1, b, 0};
		json_t *o = measure_json(c, v, res, n, &m);
		if (o)
			json_array_append_new(by_role, o);
		for (int d = 0; d < INSTR_DIMENSIONS; d++) {
			m = (struct trend_measure){TREND_DIMENSION, -1, b, d};
			if ((o = measure_json(c, v, res, n, &m)))
				json_array_append_new(by_role, o);
		}
	}
	for (int a = 0; a < INSTR_ROLES; a++)
		for (int b = 0; b < INSTR_ROLES; b++) {
			struct trend_measure m = {TREND_INDEX, a, b, 0};
			json_t *o = measure_json(c, v, res, n, &m);
			if (o)
				json_array_append_new(pairs, o);
		}
	*out = json_pack("{s:o, s:o, s:o, s:b}", "rounds", rounds, "by_rated_role", by_role,
			 "pairs", pairs, "several", n > 1);
	return 0;
}
