/* case_assess.h: the separate assessments before the first roundtable.
 * The CM's is clinical, the EC's employment (with category 1-3 and a
 * reason): both texts are sealed (encrypted at rest, seal.h) in the BLOB
 * column body, the EC's reason in reason_sealed. Rows from before migration
 * 0008 had body_plain and reason in clear until seal_upgrade. Access is the
 * caller's (the gate). */
#ifndef IBBIS_CASE_ASSESS_H
#define IBBIS_CASE_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "domain/cases/case_input.h"

struct arena;
struct store_conn;

#define ASSESS_TEXT_MAX 50000

struct assess_row {
	int64_t id;
	int64_t author_id;
	const char *author_name; /* arena */
	const char *role;        /* arena: "care_manager" or "employment_consultant" */
	int category;            /* 1-3, 0 for none */
	const char *reason;      /* arena; "" until case_assess_text opens it */
	const char *on;          /* arena: YYYY-MM-DD */
	const char *plain;       /* arena: employment text, or NULL */
	const void *sealed;      /* arena: the text sealed, or NULL (plain) */
	size_t sealed_len;
	const void *reason_sealed; /* arena: the EC's reason sealed, or NULL */
	size_t reason_sealed_len;
};

/* {"text", "on"?, "category"?, "reason"?} by author in role. clinical:
 * role "care_manager". ERR_UNAVAILABLE when no key is loaded. */
int case_assess_add(struct store_conn *c, struct in_ctx *x, int64_t case_id, int64_t author,
		    const char *role, json_t *in, day_t today, int64_t now, int64_t *id);

/* Every assessment of the case, oldest first. *rows: arena array. */
int case_assess_list(struct store_conn *c, int64_t case_id, struct arena *a,
		     struct assess_row **rows, size_t *n);

/* The text of one row, decrypted, and r->reason opened. arena */
int case_assess_text(struct arena *a, struct assess_row *r, const char **text);

#endif
