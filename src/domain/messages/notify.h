/* notify.h: which changes tell whom (DESIGN.md section 10). Each function
 * writes outbox rows in the caller's write transaction; a recipient with no
 * address, or who turned the topic off, gets none.
 *
 * What a row's params hold is the whole of what a message can say: kinds,
 * times, dates, counts and ids for links. Never a name, a CPR number,
 * health information or a note's text. */
#ifndef IBBIS_NOTIFY_H
#define IBBIS_NOTIFY_H

#include <stdint.h>

struct store_conn;

enum notify_change {
	NOTIFY_MEETING_NEW,    /* an invitation: METHOD:REQUEST */
	NOTIFY_MEETING_UPDATE, /* a new time: REQUEST, SEQUENCE raised */
	NOTIFY_MEETING_CANCEL, /* METHOD:CANCEL */
};

/* Every participant of a meeting that has not ended by now. */
int notify_meeting(struct store_conn *c, int64_t meeting_id, enum notify_change ch, int64_t now);
/* The person of the case: a decision was made. */
int notify_decision(struct store_conn *c, int64_t case_id, int64_t decision_id, int64_t now);
/* The scheduled messages due at `at` (now, or a time given to catch up or
 * to test), written at now, each once (dedupe keys), in its own
 * transaction: on a working day, reminders of meetings before the next
 * working day ends; from 06:00 Danish time the professionals' digests of
 * overdue and coming deadlines; a person's notice of a hearing before a
 * decision due within 14 days. Weekends count as non-working days;
 * public holidays do not (yet). *added: rows written (may be NULL). */
int notify_scheduled(struct store_conn *c, int64_t at, int64_t now, int64_t *added);

#endif
