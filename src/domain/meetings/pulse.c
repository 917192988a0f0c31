/* pulse.c: the trust pulse in survey_responses / survey_answers. The
 * comment is sealed in survey_responses.comment_sealed (seal.h); before
 * migration 0008 it was the answer "text" in clear (seal_upgrade moves it). */
#include "domain/meetings/pulse.h"

#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "domain/trust/seal.h"
#include "store/store.h"

const char *const pulse_items[PULSE_ITEMS] = {"safe", "same_goal", "next_steps", "listened"};

/* The free text is stored as the answer with this item id. */
static const char TEXT_ITEM[] = "text";

static const char SQL_FIND[] = "SELECT id, created_at, share_text FROM survey_responses WHERE instrument = $1 "
			       "AND respondent_id = $2 AND meeting_id = $3";
static const char SQL_ANSWERS[] = "SELECT item, value, text FROM survey_answers "
				  "WHERE response_id = $1";
static const char SQL_INSERT[] = "INSERT INTO survey_responses (instrument, respondent_id, "
				 "case_id, meeting_id, team_id, created_at) "
				 "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char SQL_CLEAR[] = "DELETE FROM survey_answers WHERE response_id = $1";
static const char SQL_ANSWER[] = "INSERT INTO survey_answers (response_id, item, value, text) "
				 "VALUES ($1, $2, $3, $4)";
static const char SQL_COMMENT[] = "SELECT comment_sealed FROM survey_responses WHERE id = $1";
static const char SQL_SET_COMMENT[] = "UPDATE survey_responses SET comment_sealed = $2 "
				      "WHERE id = $1";

/* Every column of the row as an integer into the array elem (int64_t[]). */
static int ids_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	int64_t *out = elem;
	for (int i = 0; i < store_col_count(st); i++)
		out[i] = store_col_int64(st, i);
	return 0;
}

static int find(struct store_conn *c, int64_t meeting_id, int64_t respondent, int64_t *id,
		int64_t *created_at, bool *share)
{
	struct store_stmt *st;
	int rc = store_prepare(c, SQL_FIND, &st);
	if (rc || (rc = store_bind_str(st, 1, PULSE_INSTRUMENT)) ||
	    (rc = store_bind_int64(st, 2, respondent)) ||
	    (rc = store_bind_int64(st, 3, meeting_id)))
		return rc;
	int64_t row[3];
	rc = store_read_row(st, NULL, ids_row, NULL, row);
	if (rc == 0) {
		*id = row[0];
		if (created_at)
			*created_at = row[1];
		if (share)
			*share = row[2] != 0;
	}
	return rc;
}

static int item_index(const char *item)
{
	for (int i = 0; i < PULSE_ITEMS; i++)
		if (strcmp(pulse_items[i], item) == 0)
			return i;
	return -1;
}

int pulse_get(struct store_conn *c, int64_t meeting_id, int64_t respondent, struct arena *a,
	      struct pulse *out)
{
	memset(out, 0, sizeof *out);
	int rc = find(c, meeting_id, respondent, &out->id, &out->created_at, &out->share_text);
	if (rc)
		return rc;
	struct store_stmt *st;
	if ((rc = store_prepare(c, SQL_ANSWERS, &st)) || (rc = store_bind_int64(st, 1, out->id)))
		return rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *item = store_col_text(st, 0, NULL);
		int i = item_index(item);
		if (i >= 0 && !store_col_is_null(st, 1))
			out->values[i] = (int)store_col_int64(st, 1);
		else if (strcmp(item, TEXT_ITEM) == 0)
			out->text = store_col_strdup(st, 2, a);
	}
	if (rc < 0)
		return rc;
	if ((rc = store_prepare(c, SQL_COMMENT, &st)) || (rc = store_bind_int64(st, 1, out->id)))
		return rc;
	if ((rc = store_step(st)) == STORE_ROW) {
		size_t len;
		const void *sealed = store_col_blob(st, 0, &len);
		char *text;
		rc = sealed ? seal_decrypt(a, sealed, len, &text) : 0;
		if (sealed && rc == 0)
			out->text = text;
		store_reset(st);
	}
	return rc < 0 ? rc : 0;
}

int pulse_answered(struct store_conn *c, int64_t respondent, const int64_t *meetings, size_t n,
		   bool *answered)
{
	for (size_t i = 0; i < n; i++) {
		int64_t id;
		int rc = find(c, meetings[i], respondent, &id, NULL, NULL);
		if (rc && rc != ERR_NOT_FOUND)
			return rc;
		answered[i] = rc == 0;
	}
	return 0;
}

static int insert_response(struct store_conn *c, int64_t meeting_id, int64_t case_id,
			   int64_t team_id, int64_t respondent, int64_t now, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c, SQL_INSERT, &st);
	if (rc || (rc = store_bind_str(st, 1, PULSE_INSTRUMENT)) ||
	    (rc = store_bind_int64(st, 2, respondent)) || (rc = store_bind_int64(st, 3, case_id)) ||
	    (rc = store_bind_int64(st, 4, meeting_id)) || (rc = store_bind_int64(st, 5, team_id)) ||
	    (rc = store_bind_int64(st, 6, now)))
		return rc;
	return store_step_id(st, id);
}

static int insert_answer(struct store_conn *c, int64_t id, const char *item, int value,
			 const char *text)
{
	struct store_stmt *st;
	int rc = store_prepare(c, SQL_ANSWER, &st);
	if (rc || (rc = store_bind_int64(st, 1, id)) || (rc = store_bind_str(st, 2, item)))
		return rc;
	rc = value ? store_bind_int64(st, 3, value) : store_bind_null(st, 3);
	if (rc || (rc = store_bind_str(st, 4, text)))
		return rc;
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

/* The comment sealed, or NULL for none. */
static int set_comment(struct store_conn *c, struct arena *a, int64_t id, const char *text)
{
	unsigned char *sealed = NULL;
	size_t slen = 0;
	struct store_stmt *st;
	int rc = text && *text ? seal_encrypt(a, text, strlen(text), &sealed, &slen) : 0;
	if (rc || (rc = store_prepare(c, SQL_SET_COMMENT, &st)) ||
	    (rc = store_bind_int64(st, 1, id)))
		return rc;
	rc = sealed ? store_bind_blob(st, 2, sealed, slen) : store_bind_null(st, 2);
	if (rc == 0)
		rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int pulse_save(struct store_conn *c, struct arena *a, int64_t meeting_id, int64_t case_id,
	       int64_t team_id, int64_t respondent, const int values[PULSE_ITEMS],
	       const char *text, int64_t now, int64_t *id, bool *created)
{
	for (int i = 0; i < PULSE_ITEMS; i++)
		if (values[i] && (values[i] < PULSE_MIN || values[i] > PULSE_MAX))
			return ERR_INVALID;
	int rc = find(c, meeting_id, respondent, id, NULL, NULL);
	*created = rc == ERR_NOT_FOUND;
	if (*created)
		rc = insert_response(c, meeting_id, case_id, team_id, respondent, now, id);
	if (rc)
		return rc;
	struct store_stmt *st;
	if ((rc = store_prepare(c, SQL_CLEAR, &st)) || (rc = store_bind_int64(st, 1, *id)) ||
	    (rc = store_step(st)) < 0)
		return rc;
	for (int i = 0; i < PULSE_ITEMS; i++)
		if (values[i] && (rc = insert_answer(c, *id, pulse_items[i], values[i], NULL)))
			return rc;
	return set_comment(c, a, *id, text);
}

int pulse_set_share(struct store_conn *c, int64_t id, bool share)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "UPDATE survey_responses SET share_text = $2 WHERE id = $1", &st);
	if (rc || (rc = store_bind_int64(st, 1, id)) || (rc = store_bind_int64(st, 2, share ? 1 : 0)))
		return rc;
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}
