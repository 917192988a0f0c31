/* h_person_int.h: what the person module's handler files share
 * (h_person*.c): the service user's own pages and the trust pulse.
 * Not for other modules. */
#ifndef IBBIS_H_PERSON_INT_H
#define IBBIS_H_PERSON_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/meetings/meeting.h"
#include "domain/cases/person.h"
#include "web/gate.h"

struct web_ctx;

/* The actor's own case, opened through the gate. */
struct my {
	struct person_case pc;
	struct gate g;
};

/* Opens "my case" for a /my page: 403 for anyone but a service user, 404
 * when they have no case, then the policy's core read. Starts c->model with
 * the case, and names template and title. */
int my_open(struct web_ctx *c, struct my *m, const char *tpl, const char *title_key);


/* "YYYY-MM-DD" and "HH:MM" of unix seconds in Danish local time. */
#define MY_HM_LEN 6
void my_local(int64_t t, char date[DATE_STR_LEN], char hm[MY_HM_LEN]);

/* A case meeting for the person's pages: kind, plain explanation, date,
 * time, place, status and who takes part (name, role, what they do).
 * Owned by the caller. */
json_t *my_meeting_json(struct web_ctx *c, const struct meeting *m);
/* The participants' roles explained: {name, role_label, role_about}. */
json_t *my_person_json(struct web_ctx *c, const char *name, const char *role, const char *org);

/* Handlers (h_person_*.c). */
int h_my_home(struct web_ctx *c);
int h_my_meetings(struct web_ctx *c);
int h_my_question_add(struct web_ctx *c);
int h_my_question_share(struct web_ctx *c);
int h_my_goals(struct web_ctx *c);
int h_my_goal_add(struct web_ctx *c);
int h_my_goal_edit(struct web_ctx *c);
int h_my_data(struct web_ctx *c);
int h_my_consent(struct web_ctx *c);
int h_my_consent_withdraw(struct web_ctx *c);
int h_my_session_end(struct web_ctx *c);
int h_pulse_get(struct web_ctx *c);
int h_pulse_post(struct web_ctx *c);

#endif
