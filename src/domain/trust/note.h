/* note.h: notes of every category (DESIGN.md section 4). Clinical,
 * health_shared, employment and private text is sealed at rest
 * (domain/seal.h); joint notes are stored as plain text. Access is the gate's: these functions only store
 * and load, and note_list loads only the categories the caller names. */
#ifndef IBBIS_NOTE_H
#define IBBIS_NOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

struct arena;
struct store_conn;

#define NOTE_TEXT_MAX 20000 /* bytes */

struct note {
	int64_t id;
	enum policy_category category;
	int64_t author_id;
	const char *author_name; /* arena */
	const char *text;        /* arena: decrypted */
	int64_t meeting_id;      /* 0 when not shared with a meeting */
	int64_t created_at;
};

/* A bit per category for note_list's mask. */
#define NOTE_MASK(cat) (1u << (unsigned)(cat))

/* The five note categories only; ERR_INVALID for anything else. */
int note_category_parse(const char *s, enum policy_category *out);
/* Whether the category's text is sealed at rest. */
bool note_sealed(enum policy_category cat);
/* ERR_INVALID when empty, too long or not UTF-8. */
int note_text_check(const char *text);
/* Inside the caller's write transaction. ERR_UNAVAILABLE without a key. */
int note_create(struct store_conn *c, struct arena *a, int64_t case_id,
		enum policy_category cat, int64_t author_id, const char *text, int64_t now,
		int64_t *id);
/* The case's notes of the categories in mask, newest first. *out: arena. */
int note_list(struct store_conn *c, struct arena *a, int64_t case_id, unsigned mask,
	      struct note **out, size_t *n);
/* Whether user takes part in the meeting (for private notes shared with it). */
bool note_user_in_meeting(struct store_conn *c, int64_t meeting_id, int64_t user_id);

#endif
