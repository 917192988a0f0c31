/* h_teams.h: shared between h_teams.c and h_teams_chart.c. */
#ifndef IBBIS_H_TEAMS_H
#define IBBIS_H_TEAMS_H

#include <jansson.h>

struct web_ctx;

/* Adds "chart" (an SVG organisation chart's geometry) and "sides" (the same
 * as lists) to the team object t, for members current today. */
void teams_chart_model(struct web_ctx *c, json_t *t);

/* The administrator's forms (h_teams_admin.c): on the team list, the sites
 * for a new team; on a team's page, the staff, roles and part-time choices
 * for a new member and, on each membership not yet ended, its end form. */
void teams_admin_list_model(struct web_ctx *c, json_t *model);
void teams_admin_show_model(struct web_ctx *c, json_t *t);

#endif
