/* accesslog.h: reading a case's audit entries for the person's access log,
 * and flagging a break-glass opening to the team (DESIGN.md section 4). */
#ifndef IBBIS_ACCESSLOG_H
#define IBBIS_ACCESSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"

struct arena;
struct store_conn;
struct actor;
struct case_ref;

struct accesslog_entry {
	int64_t id;
	int64_t at;
	int64_t actor_id;       /* 0 for the system */
	const char *actor_role; /* arena */
	const char *actor_name; /* arena */
	const char *actor_org;  /* arena */
	const char *item;       /* arena: "case", "note:7" */
	const char *category;   /* arena */
	const char *action;     /* arena */
	const char *purpose;    /* arena */
	bool break_glass;
};

/* The case's entries, oldest first, without refused attempts ("denied":
 * those are security events, for the administrator). *out: arena. */
int accesslog_list(struct store_conn *c, struct arena *a, int64_t case_id,
		   struct accesslog_entry **out, size_t *n);

/* Security events, newest first, at most `limit`: refused attempts
 * ("denied") and break-glass openings, of every case. case_ids[i] is the
 * entry's case (0 for none). *out, *case_ids: arena. */
int accesslog_security_events(struct store_conn *c, struct arena *a, size_t limit,
			      struct accesslog_entry **out, int64_t **case_ids, size_t *n);

/* The administrators' actions (category "admin": accounts, organisations,
 * sites, teams, memberships; from the web and the command line), newest
 * first, at most limit. *out: arena. */
int accesslog_admin_actions(struct store_conn *c, struct arena *a, size_t limit,
			    struct accesslog_entry **out, size_t *n);

/* A supervisor outside the team opened the case with a reason: appends a
 * flagged "break_glass" entry (purpose: the reason) and a review task
 * (kind break_glass_review, source manual) for each of the team's
 * supervisors on `today`. Once per actor, case and Danish day: a repeat
 * that day sets *audit_id = 0 and writes nothing. Opens its own write
 * transaction, so call it outside one. */
int accesslog_break_glass(struct store_conn *c, const struct case_ref *cr,
			  const struct actor *who, const char *reason, int64_t now, day_t today,
			  int64_t *audit_id);

#endif
