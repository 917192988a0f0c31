/* h_insight_svg.c: chart geometry for the insight pages (h_insight_svg.h). */
#include "web/insight/h_insight_svg.h"

#include "base/arena.h"
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
