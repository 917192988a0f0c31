/* h_meetings_int.h: what the meetings module's handler files share
 * (h_meetings*.c). Not for other modules. */
#ifndef IBBIS_H_MEETINGS_INT_H
#define IBBIS_H_MEETINGS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "domain/meetings/meeting.h"
#include "web/gate.h"
#include "web/meetings/h_meetings_share.h"

struct web_ctx;

#define HM_LOCAL_LEN 17 /* "YYYY-MM-DDTHH:MM" and NUL */

/* A meeting opened for this request, its read access checked. */
struct hm {
	struct meeting m;
	struct gate g;		  /* case meetings only */
	bool team;		  /* supervision: team business, no case */
	const char *team_role;	  /* supervision: the actor's membership role, static */
	enum policy_category cat; /* joint or clinical; INVALID for supervision */
	bool limited;		  /* the person at their own therapy session: no minutes */
};

/* Loads the meeting named by route parameter "id" and checks that the
 * actor may read it. A therapy session the actor may not read answers 404:
 * its existence is clinical too. */
int hm_open(struct web_ctx *c, struct hm *x);
/* The actor takes part in the meeting (as a participant row). */
const struct meeting_participant *hm_participant(const struct hm *x, int64_t user_id);
/* The actor may organise it: case meetings by meeting_may_organise,
 * supervision by the team's supervisors. */
bool hm_may_organise(struct web_ctx *c, const struct hm *x);

/* "YYYY-MM-DDTHH:MM" in Danish local time; date and time parts alone. */
void hm_local(int64_t t, char out[HM_LOCAL_LEN]);

/* "start" (or "date" and "time") with "duration" (minutes, default 60) or
 * "end". Records 400 naming the field. */
int hm_when(struct web_ctx *c, json_t *in, int64_t *starts, int64_t *ends);
/* Records the 409 naming the person, the other meeting's kind and time
 * (field "start", or field). */
int hm_clash_fail(struct web_ctx *c, const struct meeting_clash *cl);
int hm_clash_fail_at(struct web_ctx *c, const struct meeting_clash *cl, const char *field);
/* "YYYY-MM-DDTHH:MM" (or a space for the T) in Danish local time. */
int hm_parse_local(const char *s, int64_t *out);
/* "meeting:7" (arena). */
const char *hm_item(struct web_ctx *c, int64_t id);

/* Creates the meeting after the double-booking check; the model is the
 * new meeting, 201, and a redirect to its page. In a write transaction. */
int hm_insert(struct web_ctx *c, struct meeting_new *nm);
/* The same without touching the model: a double booking records 409 on
 * field; a weekend day or holiday on a form records 409 on ok_field unless
 * it is ticked (*warning: the API's day_warning or NULL; owned by caller). */
int hm_create(struct web_ctx *c, struct meeting_new *nm, const char *field, const char *ok_field,
	      int64_t *id, json_t **warning);

/* h_meetings_mine.c: the actor's meetings (/meetings). */
int hm_mine(struct web_ctx *c);

/* Handlers in h_meetings_agenda.c and h_meetings_team.c. */
int hm_agenda_list(struct web_ctx *c);
int hm_agenda_add(struct web_ctx *c);
int hm_agenda_share(struct web_ctx *c);
int hm_minutes_put(struct web_ctx *c);
int hm_agreement_post(struct web_ctx *c);
int hm_team_list(struct web_ctx *c);
int hm_team_create(struct web_ctx *c);
int hm_calendar_new(struct web_ctx *c);
int hm_calendar_page(struct web_ctx *c);
int hm_calendar_feed(struct web_ctx *c);
/* The agenda as the actor may see it (filtered, audited). Owned by caller. */
json_t *hm_agenda_json(struct web_ctx *c, struct hm *x);
json_t *hm_agreements_json(struct web_ctx *c, struct hm *x);

/* h_meetings_minutes.c: minutes with structure (agreements, actions that
 * become tasks, the next meeting) and who has not answered yet. */
/* Adds to the model the minutes' structure (into "minutes"), "not_answered"
 * and, for a writer, the form's rows ("minutes_form"). */
void hm_minutes_model(struct web_ctx *c, struct hm *x, bool writer);

#endif
