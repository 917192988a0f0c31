/* qual_doc.c: documents, codes' writes, segments, the matrix. */
#include "domain/research/qual_doc.h"

#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/research/qual.h"
#include "domain/trust/seal.h"
#include "store/store.h"

static const char *const kinds[] = {"observation", "interview"};
static const char *const stakeholders[] = {"service_user", "care_manager",
					   "employment_consultant", "supervisor"};
#define NSTAKE (sizeof stakeholders / sizeof stakeholders[0])

size_t qual_cp_count(const char *s, size_t n)
{
	size_t cp = 0;
	for (size_t i = 0; i < n; i++)
		cp += ((unsigned char)s[i] & 0xC0) != 0x80;
	return cp;
}

size_t qual_cp_offset(const char *s, size_t n, size_t cp)
{
	size_t seen = 0;
	for (size_t i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (seen == cp)
				return i;
			seen++;
		}
	}
	return n;
}

static bool one_of(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(s, list[i]))
			return true;
	return false;
}

bool qual_stakeholder_valid(const char *s)
{
	return s && one_of(s, stakeholders, NSTAKE);
}

int qual_document_create(struct store_conn *c, struct in_ctx *x, int64_t study, json_t *in,
			 const char *guid, const struct actor *by, int64_t now, int64_t *id)
{
	const char *title, *kind, *stake, *tp = NULL, *site = NULL, *text;
	int rc = in_text(x, in, "title", "title", IN_REQUIRED, QUAL_TITLE_MAX,
			 "research.err.doc_title", &title);
	if (!rc)
		rc = in_text(x, in, "kind", "kind", IN_REQUIRED, 32, "research.err.doc_kind", &kind);
	if (!rc && !one_of(kind, kinds, 2))
		rc = in_fail(x, "kind", "research.err.doc_kind");
	if (!rc)
		rc = in_text(x, in, "stakeholder", "stakeholder", IN_REQUIRED, 32,
			     "research.err.doc_stakeholder", &stake);
	if (!rc && !one_of(stake, stakeholders, NSTAKE))
		rc = in_fail(x, "stakeholder", "research.err.doc_stakeholder");
	if (!rc)
		rc = in_text(x, in, "time_point", "time_point", IN_NULLABLE, 200,
			     "research.err.doc_time_point", &tp);
	if (!rc)
		rc = in_text(x, in, "site", "site", IN_NULLABLE, 200, "research.err.doc_site", &site);
	if (!rc)
		rc = in_text(x, in, "text", "text", IN_REQUIRED, QUAL_TEXT_MAX,
			     "research.err.doc_text", &text);
	if (rc)
		return rc;
	if (!seal_ready())
		return ERR_UNAVAILABLE;
	unsigned char *sealed;
	size_t slen, n = strlen(text);
	if ((rc = seal_encrypt(x->a, text, n, &sealed, &slen)))
		return rc;
	char g[QUAL_GUID_LEN];
	if (!guid) {
		qual_guid(g);
		guid = g;
	}
	if ((rc = store_begin_write(c)))
		return rc;
	struct store_stmt *st;
	rc = store_prepare(c,
			   "INSERT INTO qual_documents (study_id, guid, title, kind, stakeholder, "
			   "time_point, site, body, chars, created_by, created_at) VALUES ($1, $2, "
			   "$3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
			   &st);
	if (!rc) {
		store_bind_int64(st, 1, study);
		store_bind_str(st, 2, guid);
		store_bind_str(st, 3, title);
		store_bind_str(st, 4, kind);
		store_bind_str(st, 5, stake);
		store_bind_str(st, 6, tp ? tp : "");
		store_bind_str(st, 7, site ? site : "");
		store_bind_blob(st, 8, sealed, slen);
		store_bind_int64(st, 9, (int64_t)qual_cp_count(text, n));
		store_bind_int64(st, 10, by->id);
		store_bind_int64(st, 11, now);
		rc = store_step_id(st, id);
	}
	if (!rc)
		rc = qual_audit(c, by, now, "research",
				arena_printf(x->a, "document:%lld", (long long)*id), "create");
	return store_end(c, rc);
}

int qual_document_load(struct store_conn *c, struct arena *a, int64_t id, struct qual_document *d)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT study_id, guid, title, kind, stakeholder, time_point, site, "
			       "body, chars, created_at FROM qual_documents WHERE id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	memset(d, 0, sizeof *d);
	d->id = id;
	d->study = store_col_int64(st, 0);
	d->guid = store_col_strdup(st, 1, a);
	d->title = store_col_strdup(st, 2, a);
	d->kind = store_col_strdup(st, 3, a);
	d->stakeholder = store_col_strdup(st, 4, a);
	d->time_point = store_col_strdup(st, 5, a);
	d->site = store_col_strdup(st, 6, a);
	d->chars = (size_t)store_col_int64(st, 8);
	d->created_at = store_col_int64(st, 9);
	size_t n;
	const void *sealed = store_col_blob(st, 7, &n);
	char *text = NULL;
	rc = seal_decrypt(a, sealed, n, &text);
	store_reset(st);
	d->text = text;
	return rc;
}

int qual_study_of(struct store_conn *c, char kind, int64_t id, int64_t *study)
{
	const char *sql =
		kind == 'd'   ? "SELECT study_id FROM qual_documents WHERE id = $1"
		: kind == 'c' ? "SELECT study_id FROM qual_codes WHERE id = $1"
			      : "SELECT d.study_id FROM qual_segments s JOIN qual_documents d "
				"ON d.id = s.document_id WHERE s.id = $1";
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	*study = store_col_int64(st, 0);
	store_reset(st);
	return 0;
}

int qual_documents_json(struct store_conn *c, int64_t study, json_t **out)
{
	struct store_stmt *st;
	*out = json_array();
	int rc = store_prepare(c,
			       "SELECT d.id, d.title, d.kind, d.stakeholder, d.time_point, d.site, "
			       "d.chars, (SELECT count(*) FROM qual_segments s WHERE s.document_id "
			       "= d.id) FROM qual_documents d WHERE d.study_id = $1 ORDER BY d.id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, study);
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(
			*out, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id",
					(json_int_t)store_col_int64(st, 0), "title",
					store_col_text(st, 1, NULL), "kind", store_col_text(st, 2, NULL),
					"stakeholder", store_col_text(st, 3, NULL), "time_point",
					store_col_text(st, 4, NULL), "site", store_col_text(st, 5, NULL),
					"chars", (json_int_t)store_col_int64(st, 6), "segments",
					(json_int_t)store_col_int64(st, 7)));
	return rc < 0 ? rc : 0;
}

/* A parent named in the input: 0 (top level) or a code of the study. */
static int read_parent(struct store_conn *c, struct in_ctx *x, json_t *in, int64_t study,
		       int64_t *parent)
{
	*parent = 0;
	json_t *v = json_object_get(in, "parent");
	if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)))
		return 0;
	int rc = in_id(x, in, "parent", "parent", IN_OPTIONAL, "research.err.code_parent", parent);
	int64_t ps = 0;
	if (!rc && (qual_study_of(c, 'c', *parent, &ps) || ps != study))
		rc = in_fail(x, "parent", "research.err.code_parent");
	return rc;
}

int qual_code_create(struct store_conn *c, struct in_ctx *x, int64_t study, json_t *in,
		     const struct actor *by, int64_t now, int64_t *id)
{
	const char *name, *desc = NULL, *name_da = NULL;
	int64_t parent = 0;
	int rc = store_begin_write(c);
	if (rc)
		return rc;
	rc = in_text(x, in, "name", "name", IN_REQUIRED, 200, "research.err.code_name", &name);
	if (!rc)
		rc = in_text(x, in, "name_da", "name_da", IN_NULLABLE, 200, "research.err.code_name",
			     &name_da);
	if (!rc)
		rc = in_text(x, in, "description", "description", IN_NULLABLE, 4000,
			     "research.err.code_description", &desc);
	if (!rc)
		rc = read_parent(c, x, in, study, &parent);
	if (!rc)
		rc = qual_code_insert(c, study, parent, name, name_da && *name_da ? name_da : NULL,
				      desc, NULL, now, id);
	if (!rc)
		rc = qual_audit(c, by, now, "research",
				arena_printf(x->a, "code:%lld", (long long)*id), "create");
	return store_end(c, rc);
}

/* Whether code `anc` is `id` or one of its ancestors' chain reaches id. */
static int is_in_subtree(struct store_conn *c, int64_t id, int64_t cand, bool *inside)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT parent_id FROM qual_codes WHERE id = $1", &st);
	*inside = false;
	for (int depth = 0; !rc && cand && depth < 64; depth++) {
		if (cand == id) {
			*inside = true;
			return 0;
		}
		store_bind_int64(st, 1, cand);
		rc = store_step(st);
		if (rc != STORE_ROW)
			return rc < 0 ? rc : 0;
		cand = store_col_is_null(st, 0) ? 0 : store_col_int64(st, 0);
		store_reset(st);
		rc = 0;
	}
	return rc;
}

static int set_text(struct store_conn *c, const char *sql, int64_t id, const char *v)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_str(st, 2, v);
	rc = store_step(st);
	return rc == STORE_DONE ? 0 : rc < 0 ? rc : ERR_DB;
}

int qual_code_update(struct store_conn *c, struct in_ctx *x, int64_t id, json_t *in,
		     const struct actor *by, int64_t now)
{
	int64_t study;
	int rc = store_begin_write(c);
	if (!rc)
		rc = qual_study_of(c, 'c', id, &study);
	const char *name = NULL, *desc = NULL, *name_da = NULL;
	if (!rc)
		rc = in_text(x, in, "name", "name", IN_OPTIONAL, 200, "research.err.code_name", &name);
	if (!rc && in_has(in, "name") && (!name || !*name)) /* a form's "" reads as absent */
		rc = in_fail(x, "name", "research.err.code_name");
	if (!rc)
		rc = in_text(x, in, "description", "description", IN_NULLABLE, 4000,
			     "research.err.code_description", &desc);
	if (!rc)
		rc = in_text(x, in, "name_da", "name_da", IN_NULLABLE, 200, "research.err.code_name",
			     &name_da);
	if (!rc && name)
		rc = set_text(c, "UPDATE qual_codes SET name = $2 WHERE id = $1", id, name);
	/* Given empty (or null), the description and the Danish name are cleared. */
	if (!rc && in_has(in, "description"))
		rc = set_text(c, "UPDATE qual_codes SET description = $2 WHERE id = $1", id,
			      desc ? desc : "");
	if (!rc && in_has(in, "name_da"))
		rc = set_text(c, "UPDATE qual_codes SET name_da = $2 WHERE id = $1", id,
			      name_da && *name_da ? name_da : NULL);
	if (!rc && in_has(in, "parent")) {
		int64_t parent;
		bool inside = false;
		rc = read_parent(c, x, in, study, &parent);
		if (!rc && (rc = is_in_subtree(c, id, parent, &inside)) == 0 && inside)
			rc = in_fail(x, "parent", "research.err.code_cycle");
		struct store_stmt *st;
		if (!rc && !(rc = store_prepare(c, "UPDATE qual_codes SET parent_id = $2 WHERE id = $1",
						&st))) {
			store_bind_int64(st, 1, id);
			if (parent)
				store_bind_int64(st, 2, parent);
			else
				store_bind_null(st, 2);
			rc = store_step(st) == STORE_DONE ? 0 : ERR_DB;
		}
	}
	if (!rc)
		rc = qual_audit(c, by, now, "research", arena_printf(x->a, "code:%lld", (long long)id),
				"update");
	return store_end(c, rc);
}
