/* h_insight_svg.c: chart geometry for the insight pages (h_insight_svg.h). */
#include "web/insight/h_insight_svg.h"

#include <math.h>

#include "base/arena.h"
#include "base/buf.h"
#include "domain/insight/instrument.h"
#include "web/insight/h_insight_int.h"
#include "view/i18n.h"
#include "web/web.h"

#define HM_LABEL_W 150
#define HM_CELL_W 110
#define HM_CELL_H 52
#define HM_HEAD_H 44

/* Five steps of blue on a 1-5 mean; dark steps carry white text. Each pair
 * has a contrast ratio of at least 4.5:1. */
static void shade(double mean, const char **fill, const char **ink)
{
	static const char *const fills[] = {"#eef4fb", "#c5d9ef", "#8fb5de", "#2f6db0", "#0b3d73"};
	int k = mean < 1.8 ? 0 : mean < 2.6 ? 1 : mean < 3.4 ? 2 : mean < 4.2 ? 3 : 4;
	*fill = fills[k];
	*ink = k >= 3 ? "#ffffff" : "#1a1a1a";
}

static const char *short_label(struct web_ctx *c, int role)
{
	return web_t(c, arena_printf(c->a, "insight.short.%s", instr_role_name(role)));
}

json_t *hi_svg_heatmap(struct web_ctx *c, const struct rc_results *r)
{
	json_t *heads = json_array(), *rows = json_array();
	for (int b = 0; b < INSTR_ROLES; b++)
		json_array_append_new(heads, json_pack("{s:i, s:i, s:s}", "x",
						       HM_LABEL_W + b * HM_CELL_W + HM_CELL_W / 2,
						       "y", HM_HEAD_H - 14, "label",
						       short_label(c, b)));
	for (int a = 0; a < INSTR_ROLES; a++) {
		json_t *cells = json_array();
		int y = HM_HEAD_H + a * HM_CELL_H;
		for (int b = 0; b < INSTR_ROLES; b++) {
			const struct agg *g = &r->index[a][b];
			const char *fill = "#ffffff", *ink = "#1a1a1a", *text;
			if (g->why != SUPP_NONE)
				text = web_t(c, N_("insight.results.fewer_short"));
			else if (g->n == 0)
				text = "–";
			else {
				shade(g->mean, &fill, &ink);
				text = arena_printf(c->a, "%.2f", g->mean);
			}
			int x = HM_LABEL_W + b * HM_CELL_W;
			json_array_append_new(
			    cells, json_pack("{s:i, s:i, s:i, s:i, s:s, s:s, s:s, s:i, s:i, s:b}", "x",
					     x + 2, "y", y + 2, "w", HM_CELL_W - 4, "h",
					     HM_CELL_H - 4, "fill", fill, "ink", ink, "text", text,
					     "tx", x + HM_CELL_W / 2, "ty", y + HM_CELL_H / 2 + 5,
					     "within", a == b));
		}
		json_array_append_new(rows, json_pack("{s:s, s:i, s:i, s:o}", "label",
						      short_label(c, a), "lx", 8, "ly",
						      y + HM_CELL_H / 2 + 5, "cells", cells));
	}
	return json_pack("{s:i, s:i, s:o, s:o}", "width", HM_LABEL_W + INSTR_ROLES * HM_CELL_W + 4,
			 "height", HM_HEAD_H + INSTR_ROLES * HM_CELL_H + 4, "heads", heads, "rows",
			 rows);
}

#define KM_W 620
#define KM_LEFT 60
#define KM_TOP 16
#define KM_PLOT_H 220
#define KM_RISK_H 56

json_t *hi_svg_km(struct web_ctx *c, json_t *km, json_t *at_risk)
{
	int maxw = 104;
	size_t n = json_array_size(km);
	for (size_t i = 0; i < n; i++) {
		int w = (int)json_integer_value(json_object_get(json_array_get(km, i), "week"));
		if (w > maxw)
			maxw = w;
	}
	double sx = (double)(KM_W - KM_LEFT - 20) / maxw;
	struct buf b;
	buf_init(&b, 1u << 20);
	double y = KM_TOP;
	buf_printf(&b, "M %d %.1f", KM_LEFT, y);
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(km, i);
		double x = KM_LEFT + sx * (double)json_integer_value(json_object_get(s, "week"));
		double ny = KM_TOP + KM_PLOT_H * (1.0 - json_number_value(json_object_get(s, "survival")));
		buf_printf(&b, " H %.1f V %.1f", x, ny);
		y = ny;
	}
	buf_printf(&b, " H %d", KM_W - 20);
	json_t *ticks = json_array(), *risk = json_array(), *yt = json_array();
	size_t nr = json_array_size(at_risk);
	for (size_t i = 0; i < nr; i++) {
		json_t *r = json_array_get(at_risk, i);
		int w = (int)json_integer_value(json_object_get(r, "week"));
		if (w > maxw)
			continue;
		int x = KM_LEFT + (int)(sx * w);
		json_array_append_new(ticks, json_pack("{s:i, s:i, s:i, s:i}", "x", x, "y",
						       KM_TOP + KM_PLOT_H + 18, "week", w, "y2",
						       KM_TOP + KM_PLOT_H + 5));
		json_array_append_new(risk, json_pack("{s:i, s:i, s:O}", "x", x, "y",
						      KM_TOP + KM_PLOT_H + KM_RISK_H, "n",
						      json_object_get(r, "at_risk")));
	}
	for (int k = 0; k <= 4; k++)
		json_array_append_new(yt, json_pack("{s:i, s:i, s:s}", "y",
						    KM_TOP + KM_PLOT_H - KM_PLOT_H * k / 4 + 4, "ly",
						    KM_TOP + KM_PLOT_H - KM_PLOT_H * k / 4, "label",
						    arena_printf(c->a, "%d %%", 25 * k)));
	json_t *o = json_pack("{s:i, s:i, s:s, s:o, s:o, s:o, s:i, s:i, s:i, s:i, s:i, s:i}", "width",
			      KM_W, "height", KM_TOP + KM_PLOT_H + KM_RISK_H + 12, "path",
			      b.data ? b.data : "", "ticks", ticks, "risk", risk, "yticks", yt,
			      "left", KM_LEFT, "top", KM_TOP, "bottom", KM_TOP + KM_PLOT_H, "right",
			      KM_W - 20, "risk_label_y", KM_TOP + KM_PLOT_H + KM_RISK_H - 18,
			      "axis_label_y", KM_TOP + KM_PLOT_H + 32);
	buf_release(&b);
	return o;
}

/* The network of roles: one node per role at the corners of a rectangle;
 * one arrow per rater -> rated pair with answers, drawn a little to its
 * own side so the two directions of a pair sit apart. A shown index sets
 * the arrow's width (1 to 9 px over the scale) and prints its value; a
 * hidden one is a thin dashed grey arrow marked "< 5". The number in a
 * node is the role's index for itself (within the role). */
#define NET_W 640
#define NET_H 460
#define NET_R 32

static const int net_xy[INSTR_ROLES][2] = {{130, 100}, {510, 100}, {130, 360}, {510, 360}};

json_t *hi_svg_network(struct web_ctx *c, const struct rc_results *r, int min, int max)
{
	json_t *ties = json_array(), *nodes = json_array();
	double span = max > min ? (double)(max - min) : 1.0;
	for (int a = 0; a < INSTR_ROLES; a++)
		for (int b = 0; b < INSTR_ROLES; b++) {
			const struct agg *g = &r->index[a][b];
			if (a == b || g->n == 0)
				continue;
			double dx = net_xy[b][0] - net_xy[a][0], dy = net_xy[b][1] - net_xy[a][1];
			double len = sqrt(dx * dx + dy * dy), ux = dx / len, uy = dy / len;
			double px = -uy * 8, py = ux * 8; /* this direction's side */
			double x1 = net_xy[a][0] + ux * NET_R + px, y1 = net_xy[a][1] + uy * NET_R + py;
			double x2 = net_xy[b][0] - ux * (NET_R + 4) + px;
			double y2 = net_xy[b][1] - uy * (NET_R + 4) + py;
			bool shown = g->why == SUPP_NONE;
			double w = shown ? 1.0 + 8.0 * (g->mean - min) / span : 1.5;
			json_array_append_new(
			    ties,
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "x1",
				      arena_printf(c->a, "%.1f", x1), "y1", arena_printf(c->a, "%.1f", y1),
				      "x2", arena_printf(c->a, "%.1f", x2), "y2",
				      arena_printf(c->a, "%.1f", y2), "w", arena_printf(c->a, "%.1f", w),
				      "shown", shown, "text",
				      shown ? arena_printf(c->a, "%.2f", g->mean)
					    : web_t(c, N_("insight.results.fewer_short")),
				      "lx", arena_printf(c->a, "%.1f", x1 + (x2 - x1) * 0.3 + px * 2),
				      "ly", arena_printf(c->a, "%.1f", y1 + (y2 - y1) * 0.3 + py * 2 + 5)));
		}
	for (int a = 0; a < INSTR_ROLES; a++) {
		const struct agg *g = &r->index[a][a];
		const char *within = g->n == 0		    ? "–"
				     : g->why != SUPP_NONE ? web_t(c, N_("insight.results.fewer_short"))
							   : arena_printf(c->a, "%.2f", g->mean);
		bool top = net_xy[a][1] < NET_H / 2;
		json_array_append_new(
		    nodes, json_pack("{s:i, s:i, s:i, s:s, s:i, s:s, s:i}", "x", net_xy[a][0], "y",
				     net_xy[a][1], "r", NET_R, "label", short_label(c, a), "ly",
				     top ? net_xy[a][1] - NET_R - 12 : net_xy[a][1] + NET_R + 22,
				     "within", within, "wy", net_xy[a][1] + 5));
	}
	return json_pack("{s:i, s:i, s:o, s:o}", "width", NET_W, "height", NET_H, "ties", ties,
			 "nodes", nodes);
}
