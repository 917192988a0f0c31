/* h_day.h: the day module's handlers (web/day). */
#ifndef IBBIS_H_DAY_H
#define IBBIS_H_DAY_H

struct web_ctx;

/* POST /cases/{id}/followups: a held follow-up conversation (JSON 201 with
 * the meeting; a page goes to the case's timeline). */
int day_followup_held(struct web_ctx *c);
/* The same for a page's form: a failed one comes back with what was typed. */
int day_followup_form(struct web_ctx *c);

#endif
