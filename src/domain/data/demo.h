/* demo.h: an invented, realistic data set of any size (`ibbis demo-data`).
 *
 * Teams as in the intervention (4 care managers, 3 employment consultants,
 * a supervisor per side; about 30 cases per care manager), service users at
 * every stage of a course, and their absences, meetings, assessments,
 * goals, plans, decisions with hearings, evidence and consents. Names are
 * invented; CPR numbers have a valid format and an impossible serial.
 * Deterministic for a given seed and day. See docs/demo-data.md. */
#ifndef IBBIS_DEMO_H
#define IBBIS_DEMO_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"

struct store_conn;

struct demo_opts {
	long cases;      /* >= 1 */
	uint64_t seed;
	day_t today;     /* the data is laid out around this day */
	int64_t now;     /* unix seconds for created_at */
	long logins_max; /* service users with their own login (200) */
};

struct demo_stats {
	long teams, staff, service_users, logins, cases;
	long meetings, decisions, rows;
};

/* Writes the data set, one write transaction per batch of cases. *accounts
 * gets the JSON list of logins (caller decrefs). ERR_CONFLICT when the
 * database already holds demo data. Call outside a transaction; the sweep
 * is the caller's (cmd_demo.c runs it). */
int demo_generate(struct store_conn *c, const struct demo_opts *o, json_t **accounts,
		  struct demo_stats *st);

#endif
