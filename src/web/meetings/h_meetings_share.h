/* h_meetings_share.h: what the meetings module offers other web modules
 * (My day, web/day): a meeting as JSON, the form's place and people, and
 * the actor's meetings in a range of days. */
#ifndef IBBIS_H_MEETINGS_SHARE_H
#define IBBIS_H_MEETINGS_SHARE_H

#include <jansson.h>

#include "base/date.h"
#include "domain/meetings/meeting.h"
#include "web/gate.h"

struct web_ctx;

/* The meeting as JSON (labels included for pages). Owned by the caller. */
json_t *hm_meeting_json(struct web_ctx *c, const struct meeting *m);
/* Mode, its reason, site or remote link into *nm. Records 400 naming the field. */
int hm_parse_place(struct web_ctx *c, json_t *in, struct meeting_new *nm);
/* The case's people for nm->kind, plus extras for a roundtable. Records 400. */
int hm_case_parts(struct web_ctx *c, json_t *in, struct gate *g, struct meeting_new *nm);
/* The actor's meetings starting on the days [from, to], each as the actor
 * may see it (a case's meetings by the policy), without minutes or
 * participants. New array. Inside a read transaction. */
json_t *hm_mine_json(struct web_ctx *c, day_t from, day_t to);

#endif
