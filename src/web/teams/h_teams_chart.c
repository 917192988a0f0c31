/* h_teams_chart.c: the organisation chart of a team, as geometry for an
 * inline SVG (templates are logic-less, so every coordinate is computed
 * here) and as plain lists for screen readers. Two panels, as in the
 * intervention's two-team figure: the health side on the left, the
 * jobcentre side on the right, each grouped by organisation, supervisors
 * first. Only memberships current today are drawn. */
#include <math.h>
#include <string.h>

#include "base/clock.h"
#include "base/str.h"
#include "view/i18n.h"
#include "web/teams/h_teams.h"
#include "web/web.h"

#define PANEL_W 300
#define PANEL_GAP 80
#define MARGIN 20
#define HEAD_H 44
#define ORG_H 30
#define BOX_W 260
#define BOX_H 46
#define BOX_GAP 10

static const char *const sides[] = {"health", "jobcentre"};
static const char *const role_order[] = {"supervisor", "care_manager", "employment_consultant"};

static bool current(json_t *m, const char *today)
{
	const char *from = json_string_value(json_object_get(m, "from"));
	json_t *to = json_object_get(m, "to");
	return from && strcmp(from, today) <= 0 &&
	       (!json_is_string(to) || strcmp(json_string_value(to), today) >= 0);
}

static json_t *member_model(struct web_ctx *c, json_t *m, int x, int y)
{
	const char *role = json_string_value(json_object_get(m, "role"));
	double f = json_number_value(json_object_get(m, "fraction"));
	const char *label = web_t(c, arena_printf(c->a, "role.%s", role ? role : ""));
	const char *pct = arena_printf(c->a, "%d %%", (int)lround(f * 100));
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:O, s:s, s:s, s:s}", "x", x, "y", y,
			 "w", BOX_W, "h", BOX_H, "tx", x + 12, "ty1", y + 19, "ty2", y + 37, "name",
			 json_object_get(m, "name"), "role", role ? role : "", "role_label", label,
			 "fraction", pct);
}

/* Appends the side's members of one organisation, supervisors first. */
static void org_members(struct web_ctx *c, json_t *members, const char *today, const char *kind,
			const char *org, int x, int *y, json_t *boxes, json_t *list)
{
	for (size_t r = 0; r < 3; r++) {
		size_t i;
		json_t *m;
		json_array_foreach(members, i, m)
		{
			if (!current(m, today) ||
			    !str_eq(json_string_value(json_object_get(m, "kind")), kind) ||
			    !str_eq(json_string_value(json_object_get(m, "organisation")), org) ||
			    !str_eq(json_string_value(json_object_get(m, "role")), role_order[r]))
				continue;
			json_t *b = member_model(c, m, x, *y);
			json_array_append(boxes, b);
			json_array_append_new(list, b);
			*y += BOX_H + BOX_GAP;
		}
	}
}

/* The distinct organisations of one side among current members. */
static json_t *side_orgs(json_t *members, const char *today, const char *kind)
{
	json_t *orgs = json_array();
	size_t i, j;
	json_t *m, *o;
	json_array_foreach(members, i, m)
	{
		if (!current(m, today) || !str_eq(json_string_value(json_object_get(m, "kind")), kind))
			continue;
		const char *name = json_string_value(json_object_get(m, "organisation"));
		bool seen = false;
		json_array_foreach(orgs, j, o) seen |= str_eq(json_string_value(o), name);
		if (!seen && name)
			json_array_append_new(orgs, json_string(name));
	}
	return orgs;
}

static json_t *side_model(struct web_ctx *c, json_t *members, const char *today, int s,
			  int *height)
{
	int x = MARGIN + s * (PANEL_W + PANEL_GAP);
	int y = MARGIN + HEAD_H;
	json_t *orgs = side_orgs(members, today, sides[s]);
	json_t *heads = json_array(), *boxes = json_array(), *groups = json_array();
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o)
	{
		json_array_append_new(heads, json_pack("{s:i, s:i, s:O}", "x", x + 20, "y", y + 20,
						       "name", o));
		y += ORG_H;
		json_t *list = json_array();
		org_members(c, members, today, sides[s], json_string_value(o), x + 20, &y, boxes,
			    list);
		json_array_append_new(groups, json_pack("{s:O, s:o}", "organisation", o, "members",
							list));
	}
	json_decref(orgs);
	*height = y - MARGIN + 10;
	const char *key = s ? N_("teams.chart.jobcentre_side") : N_("teams.chart.health_side");
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:s, s:o, s:o, s:o, s:b}", "x", x, "y", MARGIN,
			 "w", PANEL_W, "label_x", x + 20, "label_y", MARGIN + 28, "label",
			 web_t(c, key), "orgs", heads, "members", boxes, "groups", groups, "empty",
			 json_array_size(boxes) == 0);
}

void teams_chart_model(struct web_ctx *c, json_t *t)
{
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	json_t *members = json_object_get(t, "members");
	int h0, h1;
	json_t *left = side_model(c, members, today, 0, &h0);
	json_t *right = side_model(c, members, today, 1, &h1);
	int h = h0 > h1 ? h0 : h1;
	if (h < HEAD_H + 40)
		h = HEAD_H + 40;
	json_object_set_new(left, "h", json_integer(h));
	json_object_set_new(right, "h", json_integer(h));
	int width = 2 * MARGIN + 2 * PANEL_W + PANEL_GAP;
	int mid = MARGIN + h / 2;
	json_t *chart = json_pack(
		"{s:i, s:i, s:[o, o], s:i, s:i, s:i, s:i, s:i}", "width", width, "height",
		h + 2 * MARGIN, "sides", left, right, "link_x1", MARGIN + PANEL_W, "link_x2",
		MARGIN + PANEL_W + PANEL_GAP, "link_y", mid, "link_tx",
		MARGIN + PANEL_W + PANEL_GAP / 2, "link_ty", mid - 8);
	json_object_set_new(t, "chart", chart);
	/* Every membership, current or not, for the history table. */
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m)
	{
		const char *role = json_string_value(json_object_get(m, "role"));
		json_object_set_new(m, "role_label",
				    json_string(web_t(c, arena_printf(c->a, "role.%s", role))));
		json_object_set_new(m, "current", json_boolean(current(m, today)));
		json_object_set_new(m, "fraction_pct",
				    json_sprintf("%d %%", (int)lround(json_number_value(
								  json_object_get(m, "fraction")) *
							  100)));
	}
}
