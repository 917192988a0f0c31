/* consent.h: the person's consent per direction of sharing, with history.
 * The newest row per (case, direction) is the state (domain/access.h reads
 * it on every request, so a withdrawal takes effect on the next one). Only
 * the case's person grants and withdraws: the caller checks that through
 * the gate (policy_actor.is_case_person). */
#ifndef IBBIS_CONSENT_H
#define IBBIS_CONSENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store_conn;

#define CONSENT_PURPOSE_MAX 2000 /* bytes */

struct consent_row {
	int64_t id;
	const char *direction; /* static: "health_to_jobcentre", "jobcentre_to_health" */
	bool granted;
	const char *purpose; /* arena */
	int64_t by_user;
	const char *by_name; /* arena */
	int64_t at;
};

/* The two directions, in display order. static */
extern const char *const consent_directions[2];
/* The static name for s, or NULL when s is not a direction. */
const char *consent_direction(const char *s);
/* The purposes the authority defines, per direction: a person chooses one
 * (never types it). key is stored in consents.purpose; the page shows the
 * catalogue text "trust.purpose.KEY". To change the list, change the table
 * in consent.c and both catalogues (docs/trust.md, "Consent"). */
struct consent_purpose {
	const char *key;
	unsigned dirs; /* bit i: allowed for consent_directions[i] */
};
extern const struct consent_purpose consent_purposes[];
extern const size_t consent_purposes_n;
/* The static key when key is a purpose allowed for direction, else NULL. */
const char *consent_purpose_key(const char *direction, const char *key);
/* A purpose a person may give for direction: one of consent_purposes
 * allowed for it when consent is granted; a withdrawal needs none (what
 * it carries is not kept). */
bool consent_purpose_ok(const char *direction, const char *purpose, bool granted);
/* Appends a grant or withdrawal (inside the caller's write transaction). */
int consent_record(struct store_conn *c, int64_t case_id, const char *direction, bool granted,
		   const char *purpose, int64_t by_user, int64_t now, int64_t *id);
/* Every row of the case, oldest first. *out: arena. */
int consent_history(struct store_conn *c, struct arena *a, int64_t case_id,
		    struct consent_row **out, size_t *n);

#endif
