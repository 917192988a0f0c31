/* survey.h: rounds of the team-coordination survey, each professional's
 * own answer, and the results as aggregates (DESIGN.md section 8).
 *
 * Results are computed by one GROUP BY over the round's ratings (rater
 * role x rated role x dimension: sum, count, distinct respondents); the
 * minimum group size is applied afterwards by suppress.h. No function
 * here returns another person's answer. */
#ifndef IBBIS_SURVEY_H
#define IBBIS_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/insight/suppress.h"

struct arena;
struct store_conn;

struct survey_round {
	int64_t id, team_id;
	const char *instrument; /* arena */
	const char *opens, *closes; /* arena: YYYY-MM-DD, both days included */
	int64_t respondents;
	bool answered_by_me;
};

struct survey_rating {
	int rated; /* instr_role index */
	const char *item; /* arena or borrowed */
	int value;
};

/* "upcoming", "open" or "closed" on today (YYYY-MM-DD). static */
const char *survey_round_state(const struct survey_round *r, const char *today);

int survey_round_create(struct store_conn *c, int64_t team, const char *instrument,
			const char *opens, const char *closes, int64_t by, int64_t now, int64_t *id);
/* Newest first. */
int survey_rounds_list(struct store_conn *c, int64_t team, int64_t actor, struct arena *a,
		       struct survey_round **v, size_t *n);
int survey_round_get(struct store_conn *c, int64_t id, int64_t actor, struct arena *a,
		     struct survey_round *out); /* ERR_NOT_FOUND */

/* The actor's own answer: *answered false when none. */
int survey_response_get(struct store_conn *c, int64_t round, int64_t actor, struct arena *a,
			bool *answered, int *rater, struct survey_rating **v, size_t *n);
/* Replaces the actor's answer (inside the caller's write transaction). */
int survey_response_put(struct store_conn *c, const struct instrument *in, int64_t round,
			int64_t actor, int rater, const struct survey_rating *v, size_t n,
			int64_t now);

/* The aggregates of one round, suppressed. */
int survey_results(struct store_conn *c, int64_t round, struct rc_results *r,
		   int64_t *respondents);

/* The rater role of a team member: membership role and organisation kind;
 * -1 when none fits. */
int survey_rater_role(const char *membership_role, const char *org_kind);

#endif
