/* h_person.c: the person module's routes (the service user's own pages
 * under /my and the trust pulse); what its handlers share is in
 * h_person_util.c. */
#include "web/handlers.h"
#include "web/person/h_person_int.h"
#include "web/web.h"

const struct route routes_person[] = {
    {HTTP_GET, "/my", h_my_home, ROUTE_CASE, "core,health_shared,employment"},
    {HTTP_GET, "/my/meetings", h_my_meetings, ROUTE_CASE, "joint,core,clinical,private"},
    {HTTP_POST, "/my/meetings/{id}/questions", h_my_question_add, ROUTE_CASE, "private,core,clinical,joint"},
    {HTTP_POST, "/my/meetings/{id}/questions/{item}/share", h_my_question_share, ROUTE_CASE,
     "private,core,clinical,joint"},
    {HTTP_GET, "/my/goals", h_my_goals, ROUTE_CASE, "joint,core"},
    {HTTP_POST, "/my/goals", h_my_goal_add, ROUTE_CASE, "joint,core"},
    {HTTP_POST, "/my/goals/{id}", h_my_goal_edit, ROUTE_CASE, "joint,core"},
    {HTTP_GET, "/my/data", h_my_data, ROUTE_CASE, "audit,core"},
    {HTTP_POST, "/my/data/consents", h_my_consent, ROUTE_CASE, "core,audit"},
    {HTTP_GET, "/my/data/consents/{direction}/withdraw", h_my_consent_withdraw, ROUTE_CASE,
     "core,audit"},
    {HTTP_POST, "/my/data/sessions/{n}/end", h_my_session_end, ROUTE_CASE, "core,audit"},
    {HTTP_GET, "/meetings/{id}/pulse", h_pulse_get, ROUTE_CASE, "private,core,clinical,joint,team_record"},
    {HTTP_POST, "/meetings/{id}/pulse", h_pulse_post, ROUTE_CASE, "private,core,clinical,joint,team_record"},
};
const size_t routes_person_n = sizeof routes_person / sizeof routes_person[0];
