/* meeting_agenda.c: agenda items, minutes and each participant's agreement.
 * Their text is sealed at rest (seal.h): the person's private questions,
 * shared items, minutes and comments alike; rows written before migration
 * 0008 are read in clear until seal_upgrade has sealed them. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "domain/meetings/meeting.h"
#include "domain/trust/seal.h"
#include "store/store.h"

#define AGENDA_COLS                                                                                \
	"SELECT a.id, a.author_id, u.name, u.role, a.private, a.shared_at, a.created_at "          \
	"FROM agenda_items a JOIN users u ON u.id = a.author_id "

static int item_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct meeting_agenda_item *it = elem;
	memset(it, 0, sizeof *it);
	it->id = store_col_int64(st, 0);
	it->author_id = store_col_int64(st, 1);
	it->author_name = store_col_strdup(st, 2, a);
	it->author_role = store_col_strdup(st, 3, a);
	it->private_ = store_col_int64(st, 4) != 0;
	it->shared_at = store_col_is_null(st, 5) ? 0 : store_col_int64(st, 5);
	it->created_at = store_col_int64(st, 6);
	return 0;
}

int meeting_agenda_list(struct store_conn *c, int64_t meeting_id, struct arena *a,
			struct meeting_agenda_item **out, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c, AGENDA_COLS "WHERE a.meeting_id = $1 ORDER BY a.id", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, meeting_id);
	return store_read_rows(st, a, sizeof **out, item_row, NULL, out, n);
}

int meeting_agenda_get(struct store_conn *c, int64_t meeting_id, int64_t item_id, struct arena *a,
		       struct meeting_agenda_item *out)
{
	struct store_stmt *st;
	int rc = store_prepare(c, AGENDA_COLS "WHERE a.id = $1 AND a.meeting_id = $2", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, item_id);
	store_bind_int64(st, 2, meeting_id);
	return store_read_row(st, a, item_row, NULL, out);
}

/* The item's text: sealed ones decrypted. */
static int text_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct meeting_agenda_item *it = elem;
	size_t len;
	const void *blob = store_col_blob(st, 1, &len);
	if (blob || store_col_int64(st, 0)) {
		char *text = NULL;
		int rc = blob ? seal_decrypt(a, blob, len, &text) : ERR_DB;
		it->text = text;
		return rc;
	}
	/* shared before migration 0008, until seal_upgrade */
	it->text = store_col_strdup(st, 2, a);
	if (!it->text)
		it->text = "";
	return 0;
}

int meeting_agenda_text(struct store_conn *c, struct arena *a, struct meeting_agenda_item *it)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    c, "SELECT private, body, body_plain FROM agenda_items WHERE id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, it->id);
	return store_read_row(st, a, text_row, NULL, it);
}

int meeting_agenda_add(struct store_conn *c, int64_t meeting_id, int64_t author, const char *text,
		       bool private_, int64_t now, struct arena *a, int64_t *id)
{
	/* Private or shared, the text is sealed (private says who may read). */
	unsigned char *sealed = NULL;
	size_t slen = 0;
	int rc = seal_encrypt(a, text, strlen(text), &sealed, &slen);
	if (rc)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(c,
			       "INSERT INTO agenda_items (meeting_id, author_id, body, body_plain, "
			       "private, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, meeting_id);
	store_bind_int64(st, 2, author);
	store_bind_blob(st, 3, sealed, slen);
	store_bind_null(st, 4);
	store_bind_int64(st, 5, private_ ? 1 : 0);
	store_bind_int64(st, 6, now);
	return store_step_id(st, id);
}

int meeting_agenda_share(struct store_conn *c, int64_t item_id, int64_t now, struct arena *a)
{
	(void)a; /* the sealed text stays as it is: only who may read it changes */
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "UPDATE agenda_items SET private = 0, shared_at = $1 WHERE id = $2 AND "
			       "private = 1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, now);
	store_bind_int64(st, 2, item_id);
	rc = store_step(st);
	return rc < 0 ? rc : 0; /* already shared: nothing to do */
}

int meeting_minutes_set(struct store_conn *c, int64_t id, const char *text, int64_t by, int64_t now,
			struct arena *a)
{
	unsigned char *sealed;
	size_t slen;
	int rc = seal_encrypt(a, text, strlen(text), &sealed, &slen);
	if (rc)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(c,
			   "UPDATE meetings SET minutes_sealed = $1, minutes = NULL, minutes_by = $2, "
			   "minutes_at = $3 WHERE id = $4",
			   &st);
	if (rc)
		return rc;
	store_bind_blob(st, 1, sealed, slen);
	store_bind_int64(st, 2, by);
	store_bind_int64(st, 3, now);
	store_bind_int64(st, 4, id);
	rc = store_step(st);
	if (rc < 0)
		return rc;
	rc = store_prepare(c, "DELETE FROM minutes_agreements WHERE meeting_id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int meeting_agreement_set(struct store_conn *c, int64_t id, int64_t user_id, bool agreed,
			  const char *comment, int64_t now, struct arena *a)
{
	unsigned char *sealed = NULL;
	size_t slen = 0;
	int rc = 0;
	if (comment && *comment && (rc = seal_encrypt(a, comment, strlen(comment), &sealed, &slen)))
		return rc;
	struct store_stmt *st;
	rc = store_prepare(
	    c, "DELETE FROM minutes_agreements WHERE meeting_id = $1 AND user_id = $2", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, user_id);
	rc = store_step(st);
	if (rc < 0)
		return rc;
	rc = store_prepare(
	    c,
	    "INSERT INTO minutes_agreements (meeting_id, user_id, agreed, comment, at, "
	    "comment_sealed) VALUES ($1, $2, $3, '', $4, $5)",
	    &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, user_id);
	store_bind_int64(st, 3, agreed ? 1 : 0);
	store_bind_int64(st, 4, now);
	if (sealed)
		store_bind_blob(st, 5, sealed, slen);
	else
		store_bind_null(st, 5);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int meeting_agreements(struct store_conn *c, int64_t id, struct arena *a,
		       struct meeting_agreement **out, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT g.user_id, u.name, u.role, g.agreed, g.comment, g.at, g.comment_sealed "
			       "FROM minutes_agreements g JOIN users u ON u.id = g.user_id "
			       "WHERE g.meeting_id = $1 ORDER BY g.at, g.user_id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	size_t cap = 16;
	struct meeting_agreement *v = arena_array(a, cap, sizeof *v);
	*n = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (*n == cap) {
			store_reset(st);
			break;
		}
		struct meeting_agreement *g = &v[(*n)++];
		g->user_id = store_col_int64(st, 0);
		g->name = store_col_strdup(st, 1, a);
		g->role = store_col_strdup(st, 2, a);
		g->agreed = store_col_int64(st, 3) != 0;
		g->comment = store_col_strdup(st, 4, a);
		g->at = store_col_int64(st, 5);
		size_t len;
		const void *blob = store_col_blob(st, 6, &len);
		char *text;
		if (blob && (rc = seal_decrypt(a, blob, len, &text)) != 0) {
			store_reset(st);
			break;
		}
		if (blob)
			g->comment = text;
	}
	*out = v;
	return rc < 0 ? rc : 0;
}
