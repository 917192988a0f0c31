/* note.c: storing and loading notes; sealing clinical, health_shared,
 * employment and private text. */
#include "domain/trust/note.h"

#include <assert.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/seal.h"
#include "store/store.h"

static const enum policy_category note_cats[] = {POLICY_CLINICAL, POLICY_HEALTH_SHARED,
						 POLICY_EMPLOYMENT, POLICY_JOINT, POLICY_PRIVATE};

int note_category_parse(const char *s, enum policy_category *out)
{
	enum policy_category cat;
	if (policy_category_parse(s, &cat))
		return ERR_INVALID;
	for (size_t i = 0; i < sizeof note_cats / sizeof note_cats[0]; i++)
		if (note_cats[i] == cat) {
			*out = cat;
			return 0;
		}
	return ERR_INVALID;
}

bool note_sealed(enum policy_category cat)
{
	/* Joint notes are the roundtable's shared record, readable by everyone
	 * on the case: the only category kept in clear (docs/security.md). */
	return cat == POLICY_CLINICAL || cat == POLICY_HEALTH_SHARED || cat == POLICY_EMPLOYMENT ||
	       cat == POLICY_PRIVATE;
}

int note_text_check(const char *text)
{
	if (!text)
		return ERR_INVALID;
	size_t n = strlen(text);
	size_t i = 0;
	while (i < n && strchr(" \t\r\n", text[i]))
		i++;
	if (i == n || n > NOTE_TEXT_MAX || !str_valid_utf8(text, n))
		return ERR_INVALID;
	return 0;
}

int note_create(struct store_conn *c, struct arena *a, int64_t case_id,
		enum policy_category cat, int64_t author_id, const char *text, int64_t now,
		int64_t *id)
{
	assert(store_in_write_transaction(c)); /* promised by the header */
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	if (note_sealed(cat)) {
		int rc = seal_encrypt(a, text, strlen(text), &sealed, &sealed_len);
		if (rc)
			return rc;
	}
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO notes (case_id, category, author_id, body, body_plain, "
			       "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_str(st, 2, policy_category_name(cat));
	store_bind_int64(st, 3, author_id);
	if (sealed) {
		store_bind_blob(st, 4, sealed, sealed_len);
		store_bind_null(st, 5);
	} else {
		store_bind_null(st, 4);
		store_bind_str(st, 5, text);
	}
	store_bind_int64(st, 6, now);
	return store_step_id(st, id);
}

/* One row into n->...; sealed text is decrypted. */
static int note_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct note *n = elem;
	enum policy_category cat;
	if (policy_category_parse(store_col_text(st, 1, NULL), &cat) ||
	    !(*(const unsigned *)ud & NOTE_MASK(cat)))
		return STORE_SKIP; /* never decrypt what the caller may not read */
	n->id = store_col_int64(st, 0);
	n->category = cat;
	n->author_id = store_col_int64(st, 2);
	n->author_name = store_col_strdup(st, 3, a);
	n->meeting_id = store_col_is_null(st, 6) ? 0 : store_col_int64(st, 6);
	n->created_at = store_col_int64(st, 7);
	if (!store_col_is_null(st, 4)) {
		size_t len;
		const void *p = store_col_blob(st, 4, &len);
		char *text;
		int rc = seal_decrypt(a, p, len, &text);
		if (rc)
			return rc;
		n->text = text;
	} else {
		n->text = store_col_strdup(st, 5, a);
	}
	if (!n->text)
		n->text = "";
	return 0;
}

int note_list(struct store_conn *c, struct arena *a, int64_t case_id, unsigned mask,
	      struct note **out, size_t *n)
{
	struct store_stmt *st;
	*out = NULL;
	*n = 0;
	int rc = store_prepare(c,
			       "SELECT n.id, n.category, n.author_id, u.name, n.body, n.body_plain, "
			       "n.meeting_id, n.created_at FROM notes n JOIN users u ON u.id = "
			       "n.author_id WHERE n.case_id = $1 ORDER BY n.id DESC",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	return store_read_rows(st, a, sizeof **out, note_row, &mask, out, n);
}

bool note_user_in_meeting(struct store_conn *c, int64_t meeting_id, int64_t user_id)
{
	struct store_stmt *st;
	if (!meeting_id ||
	    store_prepare(c,
			  "SELECT 1 FROM meeting_participants WHERE meeting_id = $1 AND user_id = $2",
			  &st))
		return false;
	store_bind_int64(st, 1, meeting_id);
	store_bind_int64(st, 2, user_id);
	bool yes = store_step(st) == STORE_ROW;
	store_reset(st);
	return yes;
}
