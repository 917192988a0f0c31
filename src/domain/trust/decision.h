/* decision.h: legal decisions by the assigned EC (DESIGN.md sections 2, 4).
 * A decision must follow a hearing of the person (partshøring): one
 * without a hearing date, or with the hearing after the decision date, is
 * refused. The timeline module reads this table: keep its columns. */
#ifndef IBBIS_DECISION_H
#define IBBIS_DECISION_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct store_conn;

#define DECISION_TEXT_MAX 20000

struct decision {
	int64_t id;
	const char *kind;        /* static: category, extension, job_clarification, lapse */
	int ground;              /* extension: 1..7; else 0 */
	int category;            /* category: 1..3; else 0 */
	const char *hearing;     /* YYYY-MM-DD */
	const char *on;          /* YYYY-MM-DD */
	const char *lapse_from;  /* lapse: YYYY-MM-DD; else NULL */
	const char *lapse_to;    /* lapse: optional */
	const char *legal_basis; /* "" when none given */
	const char *reasons;
	const char *complaint;   /* the complaint guidance as given (JSON: en, da) */
	int64_t author_id;
	const char *author_name; /* arena (list) */
	int64_t created_at;
};

extern const char *const decision_kinds[4];
/* The static kind name for s, or NULL. */
const char *decision_kind(const char *s);
/* Checks a decision before it is written. 0, or ERR_INVALID with *field
 * and *msg_key (catalogue keys of the trust module) naming the problem. */
int decision_check(const struct decision *d, const char **field, const char **msg_key);
int decision_create(struct store_conn *c, int64_t case_id, const struct decision *d,
		    int64_t now, int64_t *id);
/* The case's decisions, newest first. *out: arena. */
int decision_list(struct store_conn *c, struct arena *a, int64_t case_id,
		  struct decision **out, size_t *n);

#endif
