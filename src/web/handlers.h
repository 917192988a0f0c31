/* handlers.h: the route groups, one per module (web/h_*.c), and the
 * handlers routes.c names directly. */
#ifndef IBBIS_HANDLERS_H
#define IBBIS_HANDLERS_H

#include <stddef.h>

#include "web/router.h"

struct web_ctx;

int h_healthz(struct web_ctx *c);
int h_home(struct web_ctx *c);
int h_test_slow(struct web_ctx *c);
int h_test_ask(struct web_ctx *c);
/* web/day/h_day.c: "My day", the professionals' home (also /me/day). */
int h_day(struct web_ctx *c);
/* web/cases/h_cases.c: the case page for a failed form sent from it. */
int h_case_form_page(struct web_ctx *c);

/* Each module defines its table and its length. */
extern const struct route routes_teams[];    /* h_teams.c: organisations, sites, teams */
extern const size_t routes_teams_n;
extern const struct route routes_cases[];    /* h_cases.c: cases, handover, assessments, timeline */
extern const size_t routes_cases_n;
extern const struct route routes_meetings[]; /* h_meetings.c: meetings, agenda, minutes, calendar */
extern const size_t routes_meetings_n;
extern const struct route routes_plans[];    /* h_plans.c: goals, plan, tasks */
extern const size_t routes_plans_n;
extern const struct route routes_trust[];    /* h_trust.c: notes, evidence, decisions, consents, access log */
extern const size_t routes_trust_n;
extern const struct route routes_timeline[]; /* h_timeline.c: a case's timeline */
extern const size_t routes_timeline_n;
extern const struct route routes_messages[]; /* messages/h_messages.c: outbox, notifications, password reset */
extern const size_t routes_messages_n;
extern const struct route routes_person[];   /* h_person.c: activation, the person's pages, pulse */
extern const size_t routes_person_n;
extern const struct route routes_insight[];  /* insight/h_insight.c: surveys, dashboard, team records */
extern const size_t routes_insight_n;
extern const struct route routes_admin[];    /* admin/h_admin.c: home, organisations, sites, accounts */
extern const size_t routes_admin_n;
extern const struct route routes_admin_accounts[]; /* admin/h_admin_accounts.c: accounts */
extern const size_t routes_admin_accounts_n;
extern const struct route routes_admin_log[]; /* admin/h_admin_log.c: administrators' actions */
extern const size_t routes_admin_log_n;
extern const struct route routes_law[];      /* law/h_law.c: /accessibility, /privacy */
extern const size_t routes_law_n;
extern const struct route routes_research[]; /* research/h_research.c: studies, exports, FHIR */
extern const size_t routes_research_n;
extern const struct route routes_research_qual[]; /* research/h_research_qual.c: documents, codes */
extern const size_t routes_research_qual_n;

extern const struct route routes_day[];     /* day/h_day.c: My day */
extern const size_t routes_day_n;

#endif
