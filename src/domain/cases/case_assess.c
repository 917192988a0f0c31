/* case_assess.c: assessments, the clinical text sealed at rest. */
#include "domain/cases/case_assess.h"

#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/seal.h"
#include "store/store.h"

struct assess_in {
	const char *text, *on, *reason;
	int64_t category;
	bool clinical;
};

static int assess_read(struct in_ctx *x, json_t *in, day_t today, struct assess_in *r)
{
	int rc = in_text(x, in, "text", "text", IN_REQUIRED, ASSESS_TEXT_MAX, "cases.err.assess_text",
			 &r->text);
	if (!rc)
		rc = in_date(x, in, "on", "on", IN_OPTIONAL, "cases.err.assess_on", &r->on, NULL);
	if (!rc && !r->on) {
		char *d = arena_alloc(x->a, DATE_STR_LEN);
		date_format(today, d);
		r->on = d;
	}
	if (rc || r->clinical)
		return rc;
	rc = in_id(x, in, "category", "category", IN_REQUIRED, "cases.err.assess_category",
		   &r->category);
	if (!rc && r->category > 3)
		rc = in_fail(x, "category", "cases.err.assess_category");
	if (!rc)
		rc = in_text(x, in, "reason", "reason", IN_REQUIRED, ASSESS_TEXT_MAX,
			     "cases.err.assess_reason", &r->reason);
	return rc;
}

int case_assess_add(struct store_conn *c, struct in_ctx *x, int64_t case_id, int64_t author,
		    const char *role, json_t *in, day_t today, int64_t now, int64_t *id)
{
	struct assess_in r = {.clinical = str_eq(role, "care_manager")};
	int rc = assess_read(x, in, today, &r);
	if (rc)
		return rc;
	/* Both sides' text is sealed, and the EC's reason too (employment). */
	unsigned char *sealed = NULL, *reason = NULL;
	size_t slen = 0, rlen = 0;
	if ((rc = seal_encrypt(x->a, r.text, strlen(r.text), &sealed, &slen)))
		return rc;
	if (r.reason && *r.reason &&
	    (rc = seal_encrypt(x->a, r.reason, strlen(r.reason), &reason, &rlen)))
		return rc;
	struct store_stmt *st;
	rc = store_prepare(c,
			   "INSERT INTO assessments (case_id, author_id, role, category, reason, "
			   "body, body_plain, on_date, created_at, reason_sealed) VALUES ($1, $2, $3, "
			   "$4, '', $5, NULL, $6, $7, $8) RETURNING id",
			   &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_int64(st, 2, author);
	store_bind_str(st, 3, r.clinical ? "care_manager" : "employment_consultant");
	if (r.category)
		store_bind_int64(st, 4, r.category);
	else
		store_bind_null(st, 4);
	store_bind_blob(st, 5, sealed, slen);
	store_bind_str(st, 6, r.on);
	store_bind_int64(st, 7, now);
	if (reason)
		store_bind_blob(st, 8, reason, rlen);
	else
		store_bind_null(st, 8);
	return store_step_id(st, id);
}

/* The column's bytes copied into the arena, or NULL. */
static const void *blob_copy(struct store_stmt *st, int col, struct arena *a, size_t *len)
{
	size_t n = 0;
	const void *b = store_col_blob(st, col, &n);
	*len = 0;
	if (!b || !n)
		return NULL;
	void *copy = arena_alloc(a, n);
	memcpy(copy, b, n);
	*len = n;
	return copy;
}

static int assess_row_read(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct assess_row *r = elem;
	r->id = store_col_int64(st, 0);
	r->author_id = store_col_int64(st, 1);
	r->author_name = store_col_strdup(st, 2, a);
	r->role = store_col_strdup(st, 3, a);
	r->category = store_col_is_null(st, 4) ? 0 : (int)store_col_int64(st, 4);
	r->reason = store_col_strdup(st, 5, a);
	r->sealed = blob_copy(st, 6, a, &r->sealed_len);
	r->reason_sealed = blob_copy(st, 9, a, &r->reason_sealed_len);
	r->plain = store_col_strdup(st, 7, a);
	r->on = store_col_strdup(st, 8, a);
	return 0;
}

int case_assess_list(struct store_conn *c, int64_t case_id, struct arena *a,
		     struct assess_row **rows, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT s.id, s.author_id, u.name, s.role, s.category, s.reason, "
			       "s.body, s.body_plain, s.on_date, s.reason_sealed FROM assessments s JOIN users u "
			       "ON u.id = s.author_id WHERE s.case_id = $1 ORDER BY s.on_date, s.id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	return store_read_rows(st, a, sizeof **rows, assess_row_read, NULL, rows, n);
}

int case_assess_text(struct arena *a, struct assess_row *r, const char **text)
{
	if (r->reason_sealed) {
		char *t;
		int rc = seal_decrypt(a, r->reason_sealed, r->reason_sealed_len, &t);
		if (rc)
			return rc;
		r->reason = t;
	}
	if (r->sealed) {
		char *t;
		int rc = seal_decrypt(a, r->sealed, r->sealed_len, &t);
		if (rc)
			return rc;
		*text = t;
		return 0;
	}
	*text = r->plain ? r->plain : "";
	return 0;
}
