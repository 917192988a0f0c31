/* h_insight_survey.c: one professional's own answer to a survey round, and
 * the round's results (aggregates, minimum group size 5). */
#include <math.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/insight/instrument.h"
#include "domain/insight/survey.h"
#include "store/store.h"
#include "web/gate.h"
#include "web/insight/h_insight_cache.h"
#include "web/insight/h_insight_int.h"
#include "web/insight/h_insight_svg.h"
#include "web/insight/h_insight_trend.h"
#include "view/i18n.h"
#include "web/web.h"

/* The round named by the route, its team gate and instrument. */
static int round_open(struct web_ctx *c, struct survey_round *r, struct tgate *g,
		      const struct instrument **in)
{
	int64_t id;
	if (!c->model)
		c->model = json_object();
	int rc = gate_param_id(c, "id", &id);
	if (rc)
		return rc;
	rc = survey_round_get(c->db, id, c->actor->id, c->a, r);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("insight.err.survey_not_found"));
	if (rc || (rc = ig_team(c, r->team_id, g)))
		return rc;
	*in = instrument_find(r->instrument);
	if (!*in)
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("insight.err.instrument_gone"));
	return 0;
}

static double round2(double v)
{
	return round(v * 100.0) / 100.0;
}

/* The form: one select per item and rated role, with the answer chosen. */
static json_t *form_items(struct web_ctx *c, const struct instrument *in,
			  const struct survey_rating *v, size_t n)
{
	json_t *items = json_array();
	bool da = str_eq(c->lang, "da");
	for (size_t i = 0; i < in->nitems; i++) {
		json_t *roles = json_array();
		for (int r = 0; r < INSTR_ROLES; r++) {
			int chosen = 0;
			for (size_t k = 0; k < n; k++)
				if (v[k].rated == r && str_eq(v[k].item, in->items[i].id))
					chosen = v[k].value;
			json_t *opts = json_array();
			for (int s = in->min; s <= in->max; s++)
				json_array_append_new(opts, json_pack("{s:i, s:b}", "value", s,
								      "selected", s == chosen));
			json_array_append_new(
			    roles, json_pack("{s:s, s:s, s:s, s:o, s:b}", "role", instr_role_name(r),
					     "role_label", ig_role_label(c, r), "name",
					     arena_printf(c->a, "rating.%s.%s", instr_role_name(r),
							  in->items[i].id),
					     "options", opts, "none", chosen == 0));
		}
		json_array_append_new(items,
				      json_pack("{s:s, s:s, s:o}", "id", in->items[i].id, "text",
						da ? in->items[i].da : in->items[i].en, "roles", roles));
	}
	return items;
}

static int response_model(struct web_ctx *c, struct survey_round *r, struct tgate *g,
			  const struct instrument *in)
{
	bool answered;
	int rater;
	struct survey_rating *v;
	size_t n;
	int rc = survey_response_get(c->db, r->id, c->actor->id, c->a, &answered, &rater, &v, &n);
	if (rc)
		return rc;
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	json_t *ratings = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(ratings, json_pack("{s:s, s:s, s:i}", "role",
							 instr_role_name(v[i].rated), "item",
							 v[i].item, "value", v[i].value));
	json_t *m = json_object();
	json_object_set_new(m, "survey", hi_round_json(c, r, today));
	json_object_set_new(m, "answered", json_boolean(answered));
	json_object_set_new(m, "rater_role", rater >= 0 ? json_string(instr_role_name(rater)) : json_null());
	json_object_set_new(m, "ratings", ratings);
	json_object_set_new(m, "items", form_items(c, in, v, n));
	json_object_set_new(m, "scale", json_pack("{s:i, s:i}", "min", in->min, "max", in->max));
	json_object_set_new(m, "team", json_integer(g->team));
	json_object_set_new(m, "team_name", json_string(g->team_name));
	web_set_model(c, m);
	c->template = "insight/response";
	c->title_key = N_("insight.response.title");
	return 0;
}

int hi_response_get(struct web_ctx *c)
{
	struct survey_round r;
	struct tgate g;
	const struct instrument *in;
	int rc = round_open(c, &r, &g, &in);
	if (rc || (rc = ig_allow(c, &g, POLICY_SURVEY_ANSWER, POLICY_READ, true)))
		return rc;
	return response_model(c, &r, &g, in);
}

/* One rating checked against the instrument; field names the place. */
static int rating_check(struct web_ctx *c, const struct instrument *in, const char *role,
			const char *item, json_t *value, const char *field_role,
			const char *field_item, const char *field_value, struct survey_rating *out)
{
	out->rated = instr_role_parse(role);
	if (out->rated < 0)
		return web_fail(c, ERR_INVALID, field_role, N_("insight.err.role"));
	const struct instr_item *it = instrument_item(in, item);
	if (!it)
		return web_fail(c, ERR_INVALID, field_item, N_("insight.err.item"));
	out->item = it->id;
	long v;
	if (json_is_integer(value))
		v = (long)json_integer_value(value);
	else if (!json_is_string(value) || str_to_long(json_string_value(value), -1000, 1000, &v))
		return web_fail(c, ERR_INVALID, field_value, N_("insight.err.value"));
	if (v < in->min || v > in->max)
		return web_fail(c, ERR_INVALID, field_value, N_("insight.err.value"));
	out->value = (int)v;
	return 0;
}

static bool duplicate(const struct survey_rating *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].rated == v[n].rated && str_eq(v[i].item, v[n].item))
			return true;
	return false;
}

/* JSON: {"ratings": [{"role", "item", "value"}]}. */
static int ratings_json(struct web_ctx *c, const struct instrument *in, json_t *list,
			struct survey_rating **out, size_t *n)
{
	if (!json_is_array(list))
		return web_fail(c, ERR_INVALID, "ratings", N_("insight.err.ratings"));
	size_t cnt = json_array_size(list);
	if (cnt > in->nitems * INSTR_ROLES)
		return web_fail(c, ERR_INVALID, "ratings", N_("insight.err.ratings"));
	*out = arena_array(c->a, cnt ? cnt : 1, sizeof **out);
	for (size_t i = 0; i < cnt; i++) {
		json_t *o = json_array_get(list, i);
		const char *pf = arena_printf(c->a, "ratings[%zu]", i);
		if (!json_is_object(o))
			return web_fail(c, ERR_INVALID, pf, N_("insight.err.ratings"));
		int rc = rating_check(c, in, json_string_value(json_object_get(o, "role")),
				      json_string_value(json_object_get(o, "item")),
				      json_object_get(o, "value"), arena_printf(c->a, "%s.role", pf),
				      arena_printf(c->a, "%s.item", pf),
				      arena_printf(c->a, "%s.value", pf), &(*out)[i]);
		if (rc)
			return rc;
		if (duplicate(*out, i))
			return web_fail(c, ERR_INVALID, pf, N_("insight.err.duplicate"));
	}
	*n = cnt;
	return 0;
}

/* A form: fields "rating.ROLE.ITEM"; an empty choice is no answer. */
static int ratings_form(struct web_ctx *c, const struct instrument *in, json_t *obj,
			struct survey_rating **out, size_t *n)
{
	*out = arena_array(c->a, in->nitems * INSTR_ROLES, sizeof **out);
	*n = 0;
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val)
	{
		if (!str_starts_with(key, "rating."))
			continue;
		const char *p = key + 7, *dot = strchr(p, '.');
		if (json_is_string(val) && !*json_string_value(val))
			continue;
		if (*n >= in->nitems * INSTR_ROLES)
			return web_fail(c, ERR_INVALID, key, N_("insight.err.ratings"));
		const char *role = dot ? arena_strndup(c->a, p, (size_t)(dot - p)) : p;
		int rc = rating_check(c, in, role, dot ? dot + 1 : "", val, key, key, key, &(*out)[*n]);
		if (rc)
			return rc;
		if (duplicate(*out, *n))
			return web_fail(c, ERR_INVALID, key, N_("insight.err.duplicate"));
		(*n)++;
	}
	return 0;
}

int hi_response_put(struct web_ctx *c)
{
	struct survey_round r;
	struct tgate g;
	const struct instrument *in;
	json_t *body;
	int rc = round_open(c, &r, &g, &in);
	if (rc || (rc = ig_allow(c, &g, POLICY_SURVEY_ANSWER, POLICY_CREATE, true)))
		return rc;
	if (g.rater < 0)
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("error.forbidden"));
	if ((rc = web_input(c, &body)))
		return rc;
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	if (!str_eq(survey_round_state(&r, today), "open"))
		return web_fail(c, ERR_CONFLICT, NULL, N_("insight.err.not_open"));
	struct survey_rating *v = NULL;
	size_t n = 0;
	json_t *list = json_object_get(body, "ratings");
	rc = list ? ratings_json(c, in, list, &v, &n) : ratings_form(c, in, body, &v, &n);
	if (rc)
		return rc;
	if ((rc = store_begin_write(c->db)) ||
	    (rc = survey_response_put(c->db, in, r.id, c->actor->id, g.rater, v, n, clock_now())))
		return rc;
	gate_audit(c, 0, arena_printf(c->a, "survey:%lld:response", (long long)r.id),
		   "survey_answer", "update");
	if ((rc = store_commit(c->db)))
		return rc;
	ic_touch();
	if ((rc = survey_round_get(c->db, r.id, c->actor->id, c->a, &r)))
		return rc;
	c->redirect = arena_printf(c->a, "/surveys/%lld/response?saved=1", (long long)r.id);
	return response_model(c, &r, &g, in);
}

static json_t *agg_json(struct web_ctx *c, const struct agg *g)
{
	json_t *o = json_object();
	bool shown = g->why == SUPP_NONE && g->n > 0;
	json_object_set_new(o, "mean", shown ? json_real(round2(g->mean)) : json_null());
	json_object_set_new(o, "n", json_integer(g->n));
	json_object_set_new(o, "suppressed", json_boolean(g->why != SUPP_NONE));
	if (g->why != SUPP_NONE)
		json_object_set_new(o, "reason", json_string(suppress_why_name(g->why)));
	json_object_set_new(o, "shown", json_boolean(shown));
	json_object_set_new(o, "mean_text",
			    json_string(shown ? arena_printf(c->a, "%.2f", round2(g->mean))
				      : g->why == SUPP_SMALL ? web_t(c, N_("insight.results.fewer"))
				      : g->why != SUPP_NONE  ? web_t(c, N_("insight.results.hidden"))
							    : web_t(c, N_("insight.results.none"))));
	return o;
}

static void add_suppressed(struct web_ctx *c, json_t *list, const char *kind, int rater,
			   int rated, int dim, const struct agg *g)
{
	if (g->why == SUPP_NONE)
		return;
	json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "kind", kind, "rated_role",
			      instr_role_name(rated), "reason", suppress_why_name(g->why), "n",
			      (json_int_t)g->n);
	json_object_set_new(o, "rated_label", json_string(ig_role_label(c, rated)));
	json_object_set_new(o, "kind_label", json_string(web_t(c, arena_printf(c->a, "insight.kind.%s", kind))));
	if (rater >= 0) {
		json_object_set_new(o, "rater_role", json_string(instr_role_name(rater)));
		json_object_set_new(o, "rater_label", json_string(ig_role_label(c, rater)));
	}
	if (dim >= 0) {
		json_object_set_new(o, "dimension", json_string(instr_dimension_name(dim)));
		json_object_set_new(o, "dimension_label",
				    json_string(web_t(c, arena_printf(c->a, "insight.dim.%s",
								      instr_dimension_name(dim)))));
	}
	json_object_set_new(o, "text",
			    json_string(web_t(c, arena_printf(c->a, "insight.supp.%s",
							      suppress_why_name(g->why)))));
	json_array_append_new(list, o);
}

static json_t *pair_json(struct web_ctx *c, int a, int b, int d, const struct agg *g)
{
	json_t *o = agg_json(c, g);
	if (a >= 0) {
		json_object_set_new(o, "rater_role", json_string(instr_role_name(a)));
		json_object_set_new(o, "rater_label", json_string(ig_role_label(c, a)));
		json_object_set_new(o, "within", json_boolean(a == b));
	}
	json_object_set_new(o, "rated_role", json_string(instr_role_name(b)));
	json_object_set_new(o, "rated_label", json_string(ig_role_label(c, b)));
	if (d >= 0) {
		json_object_set_new(o, "dimension", json_string(instr_dimension_name(d)));
		json_object_set_new(o, "dimension_label",
				    json_string(web_t(c, arena_printf(c->a, "insight.dim.%s",
								      instr_dimension_name(d)))));
	}
	return o;
}

static void results_model(struct web_ctx *c, const struct rc_results *res, json_t *m)
{
	json_t *cells = json_array(), *index = json_array(), *totals = json_array();
	json_t *tindex = json_array(), *supp = json_array();
	for (int a = 0; a < INSTR_ROLES; a++)
		for (int b = 0; b < INSTR_ROLES; b++) {
			for (int d = 0; d < INSTR_DIMENSIONS; d++) {
				const struct agg *g = &res->cell[a][b][d];
				if (g->n == 0)
					continue;
				json_array_append_new(cells, pair_json(c, a, b, d, g));
				add_suppressed(c, supp, "cell", a, b, d, g);
			}
			const struct agg *ix = &res->index[a][b];
			if (ix->n > 0) {
				json_array_append_new(index, pair_json(c, a, b, -1, ix));
				add_suppressed(c, supp, "index", a, b, -1, ix);
			}
		}
	for (int b = 0; b < INSTR_ROLES; b++) {
		for (int d = 0; d < INSTR_DIMENSIONS; d++) {
			const struct agg *g = &res->total[b][d];
			if (g->n == 0)
				continue;
			json_array_append_new(totals, pair_json(c, -1, b, d, g));
			add_suppressed(c, supp, "total", -1, b, d, g);
		}
		if (res->total_index[b].n > 0) {
			json_array_append_new(tindex, pair_json(c, -1, b, -1, &res->total_index[b]));
			add_suppressed(c, supp, "total_index", -1, b, -1, &res->total_index[b]);
		}
	}
	json_object_set_new(m, "cells", cells);
	json_object_set_new(m, "index", index);
	json_object_set_new(m, "by_rated_role", totals);
	json_object_set_new(m, "by_rated_role_index", tindex);
	json_object_set_new(m, "suppressed", supp);
	json_object_set_new(m, "has_suppressed", json_boolean(json_array_size(supp) > 0));
	json_object_set_new(m, "min_group", json_integer(INSIGHT_MIN_GROUP));
}

int hi_results(struct web_ctx *c)
{
	struct survey_round r;
	struct tgate g;
	const struct instrument *in;
	struct ic_answer ans;
	int rc = round_open(c, &r, &g, &in);
	if (rc || (rc = ig_allow(c, &g, POLICY_INSIGHT, POLICY_READ, false)))
		return rc;
	if ((rc = ic_cached(c, g.team, &ans)) != ERR_NOT_FOUND)
		return rc;
	struct rc_results res;
	int64_t respondents;
	if ((rc = survey_results(c->db, r.id, &res, &respondents)))
		return rc;
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	json_t *m = json_object();
	json_object_set_new(m, "survey", hi_round_json(c, &r, today));
	json_object_set_new(m, "team", json_integer(g.team));
	json_object_set_new(m, "team_name", json_string(g.team_name));
	json_object_set_new(m, "respondents", json_integer(respondents));
	results_model(c, &res, m);
	if (!c->want_json) { /* the charts' geometry is the page's only */
		json_object_set_new(m, "heatmap", hi_svg_heatmap(c, &res));
		json_object_set_new(m, "network", hi_svg_network(c, &res, in->min, in->max));
	}
	json_t *trend;
	if ((rc = hi_trend_json(c, &r, &trend))) {
		json_decref(m);
		return rc;
	}
	json_object_set_new(m, "trend", trend);
	web_set_model(c, m);
	c->template = "insight/results";
	c->title_key = N_("insight.results.title");
	return ic_keep(c, &ans);
}

/* CSV of the results: the same aggregates as the page and its JSON, the
 * hidden ones empty with their reason; headers in the request's language. */
static void csv_rows(struct web_ctx *c, struct buf *b, const char *section, int rater, int rated,
		     int dim, const struct agg *g)
{
	if (g->n == 0)
		return;
	bool shown = g->why == SUPP_NONE;
	hi_csv_field(b, web_t(c, arena_printf(c->a, "insight.kind.%s", section)), false);
	hi_csv_field(b, rater >= 0 ? ig_role_label(c, rater) : web_t(c, N_("insight.results.all_raters")), false);
	hi_csv_field(b, ig_role_label(c, rated), false);
	hi_csv_field(b, dim >= 0 ? web_t(c, arena_printf(c->a, "insight.dim.%s", instr_dimension_name(dim)))
				 : web_t(c, N_("insight.field.index")), false);
	hi_csv_field(b, shown ? arena_printf(c->a, "%.2f", round2(g->mean)) : "", false);
	hi_csv_field(b, arena_printf(c->a, "%ld", g->n), false);
	hi_csv_field(b, shown ? "" : web_t(c, arena_printf(c->a, "insight.supp.%s", suppress_why_name(g->why))), true);
}

int hi_results_csv(struct web_ctx *c)
{
	struct survey_round r;
	struct tgate g;
	const struct instrument *in;
	int rc = round_open(c, &r, &g, &in);
	if (rc || (rc = ig_allow(c, &g, POLICY_INSIGHT, POLICY_READ, false)))
		return rc;
	struct rc_results res;
	int64_t respondents;
	if ((rc = survey_results(c->db, r.id, &res, &respondents)))
		return rc;
	static const char *const heads[] = {N_("insight.csv.kind"), N_("insight.field.rater"),
					    N_("insight.field.rated"), N_("insight.field.dimension"),
					    N_("insight.field.mean"), N_("insight.field.n"),
					    N_("insight.csv.suppressed")};
	struct buf b;
	buf_init(&b, 1u << 20);
	for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++)
		hi_csv_field(&b, web_t(c, heads[k]), k + 1 == sizeof heads / sizeof heads[0]);
	for (int a = 0; a < INSTR_ROLES; a++)
		for (int bb = 0; bb < INSTR_ROLES; bb++) {
			csv_rows(c, &b, "index", a, bb, -1, &res.index[a][bb]);
			for (int d = 0; d < INSTR_DIMENSIONS; d++)
				csv_rows(c, &b, "cell", a, bb, d, &res.cell[a][bb][d]);
		}
	for (int bb = 0; bb < INSTR_ROLES; bb++) {
		csv_rows(c, &b, "total_index", -1, bb, -1, &res.total_index[bb]);
		for (int d = 0; d < INSTR_DIMENSIONS; d++)
			csv_rows(c, &b, "total", -1, bb, d, &res.total[bb][d]);
	}
	hi_csv_send(c, &b, arena_printf(c->a, "survey-%lld-results.csv", (long long)r.id));
	return 0;
}
