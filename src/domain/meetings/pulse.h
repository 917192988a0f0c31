/* pulse.h: the service user's trust pulse after a held roundtable
 * (DESIGN.md 5a): four items on a 1-5 scale and a free text, stored as
 * survey_responses / survey_answers with instrument "trust_pulse".
 *
 * One response per person and meeting (the table's UNIQUE key); saving
 * again replaces the answers of that response. Never listed per response
 * for anyone but the respondent: there is deliberately no function that
 * reads another person's answer. Access is the caller's (web/gate.h). */
#ifndef IBBIS_PULSE_H
#define IBBIS_PULSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store_conn;

#define PULSE_INSTRUMENT "trust_pulse"
#define PULSE_ITEMS 4
#define PULSE_MIN 1
#define PULSE_MAX 5
#define PULSE_TEXT_MAX 4000 /* bytes */

/* The item ids in display order ("safe", "same_goal", "next_steps",
 * "listened"). static */
extern const char *const pulse_items[PULSE_ITEMS];

struct pulse {
	int64_t id;
	int values[PULSE_ITEMS]; /* PULSE_MIN..PULSE_MAX, or 0: not answered */
	const char *text;	 /* arena or NULL */
	bool share_text;	 /* the person shares the text, anonymously, with the team */
	int64_t created_at;
};

/* The respondent's own answer for the meeting; ERR_NOT_FOUND when none. */
int pulse_get(struct store_conn *c, int64_t meeting_id, int64_t respondent, struct arena *a,
	      struct pulse *out);
/* Which of the meetings (ids) the respondent has answered: answered[i] for
 * meetings[i]. */
int pulse_answered(struct store_conn *c, int64_t respondent, const int64_t *meetings, size_t n,
		   bool *answered);
/* Creates or replaces the respondent's answer, inside the caller's write
 * transaction; the comment is sealed (a: the sealed copy). *created: true
 * when there was none before. ERR_INVALID for a value out of range. */
int pulse_save(struct store_conn *c, struct arena *a, int64_t meeting_id, int64_t case_id,
	       int64_t team_id, int64_t respondent, const int values[PULSE_ITEMS],
	       const char *text, int64_t now, int64_t *id, bool *created);

/* Whether the comment of response id is shared, anonymously, with the
 * team (its aggregates only: measures.h). Inside the caller's write
 * transaction. */
int pulse_set_share(struct store_conn *c, int64_t id, bool share);

#endif
