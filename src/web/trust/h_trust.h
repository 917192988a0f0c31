/* h_trust.h: shared pieces of the trust module's handlers (h_trust*.c):
 * notes, evidence, decisions, consents, the access log, break-glass. */
#ifndef IBBIS_H_TRUST_H
#define IBBIS_H_TRUST_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "web/gate.h"

struct web_ctx;

/* Opens the case of route parameter "id" for any trust page: the actor
 * must read the case's core data (403 otherwise; a supervisor outside the
 * team is asked for a break-glass reason). gate_open flags a break-glass
 * opening to the team (gate_break_glass). */
int trust_open(struct web_ctx *c, struct gate *g);

/* Unix seconds as "YYYY-MM-DD" of the Danish calendar date. arena */
const char *trust_day(struct web_ctx *c, int64_t at);
/* A plain-language time in the request's language ("1 June 2016, 14:05"). arena */
const char *trust_when(struct web_ctx *c, int64_t at);
/* web_t of "trust.<group>.<name>". static */
const char *trust_label(struct web_ctx *c, const char *group, const char *name);
/* "/cases/7/notes" for links and redirects. arena */
const char *trust_path(struct web_ctx *c, int64_t case_id, const char *what);
/* An author object: {id, name}. new reference */
json_t *trust_person(int64_t id, const char *name);

/* Records a consent given or withdrawn and its audit entry in one write
 * transaction (the trust consents page and the person's /my/data). The
 * purpose is checked already (consent_purpose_ok); NULL is "". */
int trust_consent_write(struct web_ctx *c, int64_t case_id, const char *dir, bool granted,
			const char *purpose, int64_t *id);

/* A consent's purpose as a page shows it: the catalogue text of a purpose
 * key ("trust.purpose.KEY"), or the stored text itself (rows from before
 * the purposes were a fixed list). static/borrowed */
const char *trust_purpose_text(struct web_ctx *c, const char *stored);
/* The purposes a person may choose for dir: [{value, label, id}], id
 * "purpose-DIR-KEY" for the radio's label, first: the one an error marks
 * (and the error summary links to). new reference */
json_t *trust_purpose_choices(struct web_ctx *c, const char *dir);
/* An HTML withdrawal posted without confirm=yes writes nothing: the answer
 * is the confirmation page (303 to /my/data/consents/DIR/withdraw), which
 * says what will change. True when that redirect was set. JSON clients
 * withdraw at once. */
bool trust_withdraw_unconfirmed(struct web_ctx *c, json_t *in, const char *dir, bool granted);

/* Handlers in h_trust_records.c and h_trust_log.c. */
int h_trust_evidence_list(struct web_ctx *c);
int h_trust_evidence_create(struct web_ctx *c);
int h_trust_decisions_list(struct web_ctx *c);
int h_trust_decisions_create(struct web_ctx *c);
int h_trust_access_log(struct web_ctx *c);
int h_trust_security_events(struct web_ctx *c);
int h_trust_consents_list(struct web_ctx *c);
int h_trust_consents_create(struct web_ctx *c);

#endif
