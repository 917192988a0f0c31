/* qual.h: qualitative material of a study (DESIGN.md section 9): the
 * codebook (hierarchical, names in English and optionally Danish). Every
 * row carries a GUID for REFI-QDA. */
#ifndef IBBIS_QUAL_H
#define IBBIS_QUAL_H

#include <stdint.h>

#include <jansson.h>

struct actor;
struct store_conn;

/* Appends the audit entry of a research write by `by` (category, item
 * such as "code:7", action "create"/"update"/"delete"). */
int qual_audit(struct store_conn *c, const struct actor *by, int64_t now, const char *category,
	       const char *item, const char *action);

#define QUAL_GUID_LEN 37 /* a UUID in 8-4-4-4-12 form, and NUL */

/* A new random (version 4) UUID, lower-case. */
void qual_guid(char out[QUAL_GUID_LEN]);
/* A UUID derived from a and b (BLAKE2b, in version 4 form): the same
 * inputs give the same one. */
void qual_guid_derived(const char *a, const char *b, char out[QUAL_GUID_LEN]);

/* Inserts a code (parent 0: top level; name_da and guid may be NULL, a
 * NULL guid makes a new one). Inside the caller's transaction. */
int qual_code_insert(struct store_conn *c, int64_t study, int64_t parent, const char *name,
		     const char *name_da, const char *description, const char *guid, int64_t now,
		     int64_t *id);

/* The codebook in tree order: [{"id","name","name_da","parent","description",
 * "depth"}] (parents before children). *out: a new array. */
int qual_codes_json(struct store_conn *c, int64_t study, json_t **out);

#endif
