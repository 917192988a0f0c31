/* evidence.c: evidence rows; the text is sealed at rest (seal.h). */
#include "domain/trust/evidence.h"

#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/seal.h"
#include "store/store.h"

const char *const evidence_kinds[7] = {"medical_statement", "health_summary", "le285",
				       "le265", "employer_statement", "municipal_assessment",
				       "other"};

const char *evidence_kind(const char *s, enum policy_category *cat)
{
	for (int i = 0; i < 7; i++) {
		if (!str_eq(s, evidence_kinds[i]))
			continue;
		*cat = i < 4 ? POLICY_HEALTH_SHARED
		       : i < 6 ? POLICY_EMPLOYMENT
			       : POLICY_CATEGORY_INVALID;
		return evidence_kinds[i];
	}
	return NULL;
}

int evidence_create(struct store_conn *c, struct arena *a, int64_t case_id,
		    const struct evidence *e, int64_t now, int64_t *id)
{
	unsigned char *sealed = NULL;
	size_t slen = 0;
	int rc = 0;
	if (e->text && *e->text && (rc = seal_encrypt(a, e->text, strlen(e->text), &sealed, &slen)))
		return rc;
	struct store_stmt *st;
	rc = store_prepare(c,
			   "INSERT INTO evidence (case_id, kind, category, ground, supplied_by, "
			   "supplied_on, text, created_at, text_sealed) VALUES ($1, $2, $3, $4, $5, "
			   "$6, '', $7, $8) RETURNING id",
			   &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_str(st, 2, e->kind);
	store_bind_str(st, 3, policy_category_name(e->category));
	if (e->ground)
		store_bind_int64(st, 4, e->ground);
	else
		store_bind_null(st, 4);
	store_bind_int64(st, 5, e->supplied_by);
	store_bind_str(st, 6, e->supplied_on);
	store_bind_int64(st, 7, now);
	if (sealed)
		store_bind_blob(st, 8, sealed, slen);
	else
		store_bind_null(st, 8);
	return store_step_id(st, id);
}

/* ud: the categories the reader may see (a mask); others are skipped. */
static int evidence_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct evidence *e = elem;
	enum policy_category cat;
	if (policy_category_parse(store_col_text(st, 2, NULL), &cat) ||
	    !(*(const unsigned *)ud & (1u << (unsigned)cat)))
		return STORE_SKIP;
	enum policy_category ignored;
	e->id = store_col_int64(st, 0);
	e->kind = evidence_kind(store_col_text(st, 1, NULL), &ignored);
	if (!e->kind)
		e->kind = "other";
	e->category = cat;
	e->ground = store_col_is_null(st, 3) ? 0 : (int)store_col_int64(st, 3);
	e->supplied_by = store_col_int64(st, 4);
	e->supplied_by_name = store_col_strdup(st, 5, a);
	e->supplied_on = store_col_strdup(st, 6, a);
	e->text = store_col_strdup(st, 7, a);
	e->created_at = store_col_int64(st, 8);
	size_t len;
	const void *sealed = store_col_blob(st, 9, &len);
	char *text;
	if (!sealed)
		return 0;
	int rc = seal_decrypt(a, sealed, len, &text);
	if (rc == 0)
		e->text = text;
	return rc;
}

int evidence_list(struct store_conn *c, struct arena *a, int64_t case_id, unsigned mask,
		  struct evidence **out, size_t *n)
{
	struct store_stmt *st;
	*out = NULL;
	*n = 0;
	int rc = store_prepare(c,
			       "SELECT e.id, e.kind, e.category, e.ground, e.supplied_by, u.name, "
			       "e.supplied_on, e.text, e.created_at, e.text_sealed FROM evidence e JOIN "
			       "users u ON "
			       "u.id = e.supplied_by WHERE e.case_id = $1 "
			       "ORDER BY e.supplied_on DESC, e.id DESC",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	return store_read_rows(st, a, sizeof **out, evidence_row, &mask, out, n);
}
