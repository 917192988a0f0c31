/* h_day_routes.c: the day module's routes (My day, the held follow-up). */
#include "web/day/h_day.h"
#include "web/handlers.h"
#include "web/web.h"

const struct route routes_day[] = {
	{HTTP_GET, "/me/day", h_day, ROUTE_SESSION, "staff_work,core,clinical,joint"},
	{HTTP_POST, "/cases/{id}/followups", day_followup_form, ROUTE_CASE, "joint,core,clinical,health_shared,employment,decision,audit,team_record,staff_work"},
};
const size_t routes_day_n = sizeof routes_day / sizeof routes_day[0];
