/* case_summary.h: what the case page shows besides the core data: next
 * meetings, goals, the current plan's steps, open tasks and recent
 * activity; and the handover note for a professional who has just taken a
 * case over. Read-only; call inside the request's read transaction. The
 * caller says what the actor may see (the gate's answers). */
#ifndef IBBIS_CASE_SUMMARY_H
#define IBBIS_CASE_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"

struct store_conn;

struct case_summary_opts {
	bool joint;    /* goals, plan, roundtables and follow-ups */
	bool therapy;  /* therapy sessions (clinical) */
	bool activity; /* the audit trail (audit category) */
	bool no_clinical; /* leave clinical items out of the trail (the jobcentre) */
};

/* {"meetings","goals","plan_steps","tasks","activity"}; *out new. */
int case_summary_json(struct store_conn *c, int64_t case_id, int64_t now,
		      const struct case_summary_opts *o, json_t **out);

/* When user_id took over role on this case within the last 30 days from
 * someone else: {"role","from":{"id","name"},"on","reason"}; else *out NULL. */
int case_handover_note(struct store_conn *c, int64_t case_id, int64_t user_id, day_t today,
		       json_t **out);

#endif
