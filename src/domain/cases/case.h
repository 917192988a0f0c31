/* case.h: cases: the referral, core data, assignment and handovers, the
 * outcome (DESIGN.md section 2). Access is the caller's: the web layer asks
 * the gate (web/gate.h) before it calls these. Writers join the caller's
 * write transaction (store transactions flatten), so a handler can check
 * the policy on the new rows and roll everything back. Every input error
 * names its field in x->fe and returns ERR_INVALID. */
#ifndef IBBIS_CASE_H
#define IBBIS_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "domain/accounts/account.h"
#include "domain/cases/case_input.h"

struct store_conn;

#define CASE_NAME_MAX 200
#define CASE_CONTACT_MAX 1000
#define CASE_TEXT_MAX 20000

/* Who may refer at all: the jobcentre refers, so an employment consultant
 * or a jobcentre-side supervisor. 0 or ERR_FORBIDDEN. (Whether this actor
 * may refer this case is the policy's, asked on the new case.) */
int case_referrer_check(const struct actor *a);

/* The referral: the case, the person's service_user account (no usable
 * password until activation), absences, earlier benefit and the first
 * assignments. A CPR number that already has a person links the case to
 * that person's account (*existing true) instead of making a second.
 * Joins or opens a write transaction; on error the caller rolls back. */
int case_refer(struct store_conn *c, struct in_ctx *x, const struct actor *by, json_t *in,
	       day_t today, int64_t now, int64_t *case_id, bool *existing);

/* PATCH: contact, name, employment, first_absence_day, absences and
 * earlier_benefit (replaced), fast_track, events (appended). */
int case_patch(struct store_conn *c, struct in_ctx *x, int64_t case_id, int64_t by, json_t *in,
	       int64_t now);

/* {"role","to","reason","on"}: ends the current assignment, starts the new.
 * ERR_CONFLICT when the case is closed. */
int case_handover(struct store_conn *c, struct in_ctx *x, int64_t case_id, int64_t by,
		  json_t *in, day_t today, int64_t now);

/* {"kind","on","note"?}: records the outcome and closes the case; a
 * returned_* kind appends a returned_to_work event. ERR_CONFLICT when
 * already closed. */
int case_outcome(struct store_conn *c, struct in_ctx *x, int64_t case_id, int64_t by,
		 json_t *in, int64_t now);

/* The case's core data and assignment with handover history. *out: new
 * reference. ERR_NOT_FOUND. */
int case_get_json(struct store_conn *c, int64_t case_id, json_t **out);

/* How the case list is sorted (?sort=); CASE_SORT_DEFAULT is open cases
 * first, then by next deadline. */
enum case_sort {
	CASE_SORT_DEFAULT,
	CASE_SORT_NAME,
	CASE_SORT_WEEK,         /* week of sick leave (later first absence day = lower week) */
	CASE_SORT_REASSESSMENT, /* reassessment date; none last */
	CASE_SORT_DEADLINE,     /* next open task; none last */
	CASE_SORT_STATUS,       /* open before closed */
	CASE_SORT_N
};

struct case_filter {
	const char *q;      /* borrowed; name or CPR, NULL for all */
	const char *status; /* "open", "closed" or NULL */
	int64_t team;       /* 0 for all */
	bool overdue;       /* only cases with an open task due before today */
	int reassess_days;  /* >= 0: only cases reassessed within this many days; -1 all */
	enum case_sort sort;
	bool desc;
	long limit, offset;
};

/* "name", "week", ... -> enum; 0 or ERR_INVALID. */
int case_sort_parse(const char *s, enum case_sort *out);
/* Week of sick leave on `today` from the first absence day ("YYYY-MM-DD"):
 * 1 in the first seven days; 0 when the date is unreadable or in the future. */
int case_sick_leave_week(const char *first_absence_day, day_t today);

/* The cases the actor may read as core (assigned CM/EC, the person, the
 * team's supervisors), each checked by policy_check too. *out: new object
 * {"cases": [...], "total", "limit", "offset"}; each case has
 * "sick_leave_week" (open cases) and "reassessment_date" (the timeline
 * sweep's reassessment task), "overdue" when its next deadline is past. */
int case_list_json(struct store_conn *c, const struct actor *a, const struct case_filter *f,
		   day_t today, json_t **out);

/* The person's account id and username (arena). */
int case_person(struct store_conn *c, int64_t case_id, struct arena *ar, int64_t *user_id,
		const char **username);

#endif
