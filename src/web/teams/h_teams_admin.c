/* h_teams_admin.c: the administrator's forms on the team pages: a new team
 * (name and site) on the list, and on a team's page a new member (person,
 * role, part time, from, to) and the end of each membership. */
#include <string.h>

#include "base/clock.h"
#include "base/date.h"
#include "base/str.h"
#include "domain/teams/team.h"
#include "view/i18n.h"
#include "web/h_form_int.h"
#include "web/teams/h_teams.h"
#include "web/web.h"

void teams_admin_list_model(struct web_ctx *c, json_t *model)
{
	json_t *sites;
	if (team_sites_json(c->db, &sites))
		sites = json_array();
	form_mark(sites, "name", form_typed(c, "site"), "selected");
	json_object_set_new(model, "sites", sites);
}

/* The part-time choices, as the fraction the API takes. */
static json_t *fractions(struct web_ctx *c)
{
	static const char *const v[] = {"1", "0.8", "0.75", "0.6", "0.5", "0.4", "0.25", "0.2"};
	static const char *const pct[] = {"100", "80", "75", "60", "50", "40", "25", "20"};
	const char *typed = form_typed(c, "fraction");
	json_t *arr = json_array();
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", v[i], "label",
						     arena_printf(c->a, "%s %%", pct[i]), "selected",
						     typed ? str_eq(typed, v[i]) : i == 0));
	return arr;
}

static json_t *member_roles(struct web_ctx *c)
{
	static const char *const roles[] = {"care_manager", "employment_consultant", "supervisor"};
	const char *typed = form_typed(c, "role");
	json_t *arr = json_array();
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:b}", "value", roles[i], "label",
				       web_t(c, arena_printf(c->a, "role.%s", roles[i])), "selected",
				       typed && str_eq(typed, roles[i])));
	return arr;
}

void teams_admin_show_model(struct web_ctx *c, json_t *t)
{
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	json_t *staff;
	if (team_staff_json(c->db, &staff))
		staff = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(staff, i, s)
	{
		const char *role = json_string_value(json_object_get(s, "role"));
		json_object_set_new(s, "role_label",
				    json_string(web_t(c, arena_printf(c->a, "role.%s", role))));
	}
	form_mark(staff, "id", form_typed(c, "user"), "selected");
	/* Each membership still running today can be ended from its row; the
	 * form that failed is the one kept. */
	const char *failed = web_input_parsed(c) ? route_param(&c->match, "mid") : NULL;
	json_t *m;
	json_array_foreach(json_object_get(t, "members"), i, m)
	{
		json_t *to = json_object_get(m, "to");
		bool open = !json_is_string(to) || strcmp(json_string_value(to), today) >= 0;
		json_object_set_new(m, "may_end", json_boolean(open));
	}
	form_mark(json_object_get(t, "members"), "id", failed, "kept_here");
	json_object_set_new(t, "staff", staff);
	json_object_set_new(t, "member_roles", member_roles(c));
	json_object_set_new(t, "fractions", fractions(c));
	json_object_set_new(t, "today", json_string(today));
	json_object_set(t, "team_id", json_object_get(t, "id")); /* for the rows' forms */
}
