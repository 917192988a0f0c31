/* h_insight_routes.c: the insight routes (DESIGN.md section 8). Each names
 * the category it touches; the handlers ask policy_check through ig_allow. */
#include "web/handlers.h"
#include "web/insight/h_insight_int.h"
#include "web/web.h"

const struct route routes_insight[] = {
	{HTTP_GET, "/instruments", hi_instruments, ROUTE_SESSION, NULL},
	{HTTP_GET, "/teams/{id}/surveys", hi_surveys, ROUTE_SESSION, "team_record,insight"},
	{HTTP_POST, "/teams/{id}/surveys", hi_survey_create, ROUTE_SESSION, "insight,team_record"},
	{HTTP_GET, "/surveys/{id}/response", hi_response_get, ROUTE_SESSION, "survey_answer"},
	{HTTP_PUT, "/surveys/{id}/response", hi_response_put, ROUTE_SESSION, "survey_answer"},
	{HTTP_POST, "/surveys/{id}/response", hi_response_put, ROUTE_SESSION, "survey_answer"},
	{HTTP_GET, "/surveys/{id}/results", hi_results, ROUTE_SESSION, "insight"},
	{HTTP_GET, "/surveys/{id}/results.csv", hi_results_csv, ROUTE_SESSION, "insight"},
	{HTTP_GET, "/teams/{id}/dashboard", hi_dashboard, ROUTE_SESSION, "insight"},
	{HTTP_GET, "/teams/{id}/pulse", hi_pulse, ROUTE_SESSION, "insight"},
	{HTTP_GET, "/teams/{id}/outcomes", hi_outcomes, ROUTE_SESSION, "insight"},
	{HTTP_GET, "/teams/{id}/dashboard.csv", hi_dashboard_csv, ROUTE_SESSION, "insight"},
	{HTTP_GET, "/teams/{id}/pulse.csv", hi_pulse_csv, ROUTE_SESSION, "insight"},
	{HTTP_GET, "/teams/{id}/outcomes.csv", hi_outcomes_csv, ROUTE_SESSION, "insight"},
	{HTTP_GET, "/teams/{id}/integration-log", hi_log_list, ROUTE_SESSION, "team_record"},
	{HTTP_POST, "/teams/{id}/integration-log", hi_log_create, ROUTE_SESSION, "team_record"},
	{HTTP_GET, "/teams/{id}/integration-log.csv", hi_log_csv, ROUTE_SESSION, "team_record"},
	{HTTP_GET, "/integration-log/{id}", hi_log_get, ROUTE_SESSION, "team_record"},
	{HTTP_PATCH, "/integration-log/{id}", hi_log_update, ROUTE_SESSION, "team_record"},
	{HTTP_POST, "/integration-log/{id}", hi_log_update, ROUTE_SESSION, "team_record"},
	{HTTP_GET, "/teams/{id}/glossary", hi_glossary_list, ROUTE_SESSION, "team_record"},
	{HTTP_POST, "/teams/{id}/glossary", hi_glossary_create, ROUTE_SESSION, "team_record"},
	{HTTP_GET, "/teams/{id}/glossary.csv", hi_glossary_csv, ROUTE_SESSION, "team_record"},
	{HTTP_GET, "/glossary/{id}", hi_glossary_get, ROUTE_SESSION, "team_record"},
	{HTTP_PATCH, "/glossary/{id}", hi_glossary_update, ROUTE_SESSION, "team_record"},
	{HTTP_POST, "/glossary/{id}", hi_glossary_update, ROUTE_SESSION, "team_record"},
	{HTTP_GET, "/teams/{id}/supervision-actions", hi_actions_list, ROUTE_SESSION, "team_record"},
	{HTTP_POST, "/teams/{id}/supervision-actions", hi_actions_create, ROUTE_SESSION, "team_record"},
	{HTTP_GET, "/teams/{id}/supervision-actions.csv", hi_actions_csv, ROUTE_SESSION, "team_record"},
	{HTTP_GET, "/supervision-actions/{id}", hi_action_get, ROUTE_SESSION, "team_record"},
	{HTTP_PATCH, "/supervision-actions/{id}", hi_action_update, ROUTE_SESSION, "team_record"},
	{HTTP_POST, "/supervision-actions/{id}", hi_action_update, ROUTE_SESSION, "team_record"},
};
const size_t routes_insight_n = sizeof routes_insight / sizeof routes_insight[0];
