/* evidence.h: statements and certificates for the benefit case: who
 * supplied it, when, and for which extension ground (1-7). Health kinds are
 * health_shared (written by the assigned CM); employer statements and
 * municipal assessments are employment (by the assigned EC). */
#ifndef IBBIS_EVIDENCE_H
#define IBBIS_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

struct arena;
struct store_conn;

#define EVIDENCE_TEXT_MAX 20000

struct evidence {
	int64_t id;
	const char *kind; /* static */
	enum policy_category category;
	int ground;              /* 1..7, 0 for none */
	int64_t supplied_by;
	const char *supplied_by_name; /* arena */
	const char *supplied_on;      /* YYYY-MM-DD, arena */
	const char *text;             /* arena */
	int64_t created_at;
};

/* The static kind name for s, or NULL. *cat: health_shared, employment, or
 * POLICY_CATEGORY_INVALID for "other" (the author's side decides). */
const char *evidence_kind(const char *s, enum policy_category *cat);
/* The kind names, for forms. */
extern const char *const evidence_kinds[7];
/* The text is sealed (a: the sealed copy); ERR_UNAVAILABLE without a key. */
int evidence_create(struct store_conn *c, struct arena *a, int64_t case_id,
		    const struct evidence *e, int64_t now, int64_t *id);
/* The case's evidence of the categories in mask (1u << category), newest
 * supplied first. *out: arena. */
int evidence_list(struct store_conn *c, struct arena *a, int64_t case_id, unsigned mask,
		  struct evidence **out, size_t *n);

#endif
