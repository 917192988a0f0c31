/* qual_seg.c: coded segments, the matrix and the content-analysis table. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/research/qual.h"
#include "domain/research/qual_doc.h"
#include "store/store.h"

/* A code point offset from the input: a JSON integer or a string of digits. */
static int read_cp(struct in_ctx *x, json_t *in, const char *name, long *out)
{
	json_t *v = json_object_get(in, name);
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= (json_int_t)QUAL_TEXT_MAX) {
		*out = (long)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && !str_to_long(json_string_value(v), 0, QUAL_TEXT_MAX, out))
		return 0;
	return in_fail(x, name, str_eq(name, "start") ? "research.err.seg_start"
						      : "research.err.seg_end");
}

int qual_segment_create(struct store_conn *c, struct in_ctx *x, const struct qual_document *d,
			json_t *in, const char *guid, const struct actor *by, int64_t now,
			int64_t *id)
{
	long start = 0, end = 0;
	int64_t code = 0, cs = 0;
	const char *memo = NULL, *cond = NULL;
	int rc = read_cp(x, in, "start", &start);
	if (!rc)
		rc = read_cp(x, in, "end", &end);
	if (!rc && (size_t)start >= d->chars)
		rc = in_fail(x, "start", "research.err.seg_start_outside");
	if (!rc && end <= start)
		rc = in_fail(x, "end", "research.err.seg_end_before");
	if (!rc && (size_t)end > d->chars)
		rc = in_fail(x, "end", "research.err.seg_end_outside");
	if (!rc)
		rc = in_id(x, in, "code", "code", IN_REQUIRED, "research.err.seg_code", &code);
	if (!rc && (qual_study_of(c, 'c', code, &cs) || cs != d->study))
		rc = in_fail(x, "code", "research.err.seg_code");
	if (!rc)
		rc = in_text(x, in, "memo", "memo", IN_NULLABLE, 4000, "research.err.seg_memo", &memo);
	if (!rc)
		rc = in_text(x, in, "condensed", "condensed", IN_NULLABLE, 4000,
			     "research.err.seg_condensed", &cond);
	if (rc)
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
			   "INSERT INTO qual_segments (document_id, code_id, guid, start_cp, end_cp, "
			   "memo, condensed, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
			   "$7, $8, $9) RETURNING id",
			   &st);
	if (!rc) {
		store_bind_int64(st, 1, d->id);
		store_bind_int64(st, 2, code);
		store_bind_str(st, 3, guid);
		store_bind_int64(st, 4, start);
		store_bind_int64(st, 5, end);
		store_bind_str(st, 6, memo ? memo : "");
		store_bind_str(st, 7, cond ? cond : "");
		store_bind_int64(st, 8, by->id);
		store_bind_int64(st, 9, now);
		rc = store_step_id(st, id);
	}
	if (!rc)
		rc = qual_audit(c, by, now, "research",
				arena_printf(x->a, "segment:%lld", (long long)*id), "create");
	return store_end(c, rc);
}

int qual_segment_delete(struct store_conn *c, int64_t id, const struct actor *by, int64_t now)
{
	struct store_stmt *st;
	int rc = store_begin_write(c);
	if (!rc)
		rc = store_prepare(c, "DELETE FROM qual_segments WHERE id = $1", &st);
	if (!rc) {
		store_bind_int64(st, 1, id);
		rc = store_step(st) == STORE_DONE ? 0 : ERR_DB;
		if (!rc && store_changes(st) == 0)
			rc = ERR_NOT_FOUND;
	}
	char item[40];
	str_fmt(item, sizeof item, "segment:%lld", (long long)id);
	if (!rc)
		rc = qual_audit(c, by, now, "research", item, "delete");
	return store_end(c, rc);
}

/* The passage [start, end) of the text, in code points. */
static json_t *passage(const char *text, long start, long end)
{
	size_t n = strlen(text);
	size_t a = qual_cp_offset(text, n, (size_t)start), b = qual_cp_offset(text, n, (size_t)end);
	return json_stringn(text + a, b > a ? b - a : 0);
}

int qual_segments_json(struct store_conn *c, const struct qual_document *d, json_t **out)
{
	struct store_stmt *st;
	*out = json_array();
	int rc = store_prepare(c,
			       "SELECT s.id, s.start_cp, s.end_cp, s.code_id, k.name, s.memo, "
			       "s.condensed, s.guid, k.guid FROM qual_segments s JOIN qual_codes k "
			       "ON k.id = s.code_id WHERE s.document_id = $1 ORDER BY s.start_cp, s.id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, d->id);
	while ((rc = store_step(st)) == STORE_ROW) {
		long a = (long)store_col_int64(st, 1), b = (long)store_col_int64(st, 2);
		json_array_append_new(
			*out, json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:o, s:s, s:s}", "id",
					(json_int_t)store_col_int64(st, 0), "start", (json_int_t)a,
					"end", (json_int_t)b, "code", (json_int_t)store_col_int64(st, 3),
					"code_name", store_col_text(st, 4, NULL), "memo",
					store_col_text(st, 5, NULL), "condensed",
					store_col_text(st, 6, NULL), "text", passage(d->text, a, b),
					"guid", store_col_text(st, 7, NULL), "code_guid",
					store_col_text(st, 8, NULL)));
	}
	return rc < 0 ? rc : 0;
}

static const char *const stake_names[] = {"service_user", "care_manager",
					  "employment_consultant", "supervisor"};

/* Codes x stakeholders: segments per code and the documents' stakeholder. */
static int matrix_rows(struct store_conn *c, int64_t study, json_t *codes, json_t *rows)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT s.code_id, d.stakeholder, count(*) FROM qual_segments s "
			       "JOIN qual_documents d ON d.id = s.document_id WHERE d.study_id = $1 "
			       "GROUP BY s.code_id, d.stakeholder",
			       &st);
	if (rc)
		return rc;
	for (size_t i = 0; i < json_array_size(codes); i++) {
		json_t *k = json_array_get(codes, i);
		json_array_append_new(rows, json_pack("{s:O, s:O, s:O, s:[iiii], s:i}", "code",
						      json_object_get(k, "id"), "name",
						      json_object_get(k, "name"), "depth",
						      json_object_get(k, "depth"), "counts", 0, 0, 0,
						      0, "total", 0));
	}
	store_bind_int64(st, 1, study);
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t code = store_col_int64(st, 0);
		const char *sh = store_col_text(st, 1, NULL);
		json_int_t n = (json_int_t)store_col_int64(st, 2);
		for (size_t i = 0; i < json_array_size(rows); i++) {
			json_t *r = json_array_get(rows, i);
			if (json_integer_value(json_object_get(r, "code")) != code)
				continue;
			for (size_t s = 0; s < 4; s++)
				if (str_eq(sh, stake_names[s])) {
					json_t *cnt = json_object_get(r, "counts");
					json_array_set_new(cnt, s, json_integer(n));
				}
			json_object_set_new(r, "total",
					    json_integer(json_integer_value(json_object_get(r, "total")) + n));
		}
	}
	return rc < 0 ? rc : 0;
}

/* The root of a code's tree: its theme in the content analysis. */
static const char *theme_of(json_t *codes, int64_t id)
{
	for (int depth = 0; depth < 64; depth++) {
		json_t *k = NULL;
		for (size_t i = 0; i < json_array_size(codes) && !k; i++)
			if (json_integer_value(json_object_get(json_array_get(codes, i), "id")) == id)
				k = json_array_get(codes, i);
		if (!k)
			return "";
		json_t *p = json_object_get(k, "parent");
		if (!json_is_integer(p))
			return json_string_value(json_object_get(k, "name"));
		id = (int64_t)json_integer_value(p);
	}
	return "";
}

/* Meaning unit -> condensed meaning unit -> code -> theme, per segment. */
static int analysis_rows(struct store_conn *c, struct arena *a, int64_t study, json_t *codes,
			 json_t *out)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT d.id, s.start_cp, s.end_cp, s.condensed, s.code_id, k.name "
			       "FROM qual_segments s JOIN qual_documents d ON d.id = s.document_id "
			       "JOIN qual_codes k ON k.id = s.code_id WHERE d.study_id = $1 "
			       "ORDER BY d.id, s.start_cp, s.id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, study);
	struct qual_document doc = {0};
	struct row {
		int64_t doc, code;
		long a, b;
		const char *cond, *name;
	} *v = NULL;
	size_t n = 0, cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		v[n++] = (struct row){store_col_int64(st, 0), store_col_int64(st, 4),
				      (long)store_col_int64(st, 1), (long)store_col_int64(st, 2),
				      store_col_strdup(st, 3, a), store_col_strdup(st, 5, a)};
	}
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		if (doc.id != v[i].doc && (rc = qual_document_load(c, a, v[i].doc, &doc)))
			break;
		json_array_append_new(out, json_pack("{s:s, s:o, s:s, s:s, s:s}", "document",
						     doc.title, "meaning_unit",
						     passage(doc.text, v[i].a, v[i].b), "condensed",
						     v[i].cond, "code", v[i].name, "theme",
						     theme_of(codes, v[i].code)));
	}
	return rc < 0 ? rc : 0;
}

int qual_matrix_json(struct store_conn *c, struct arena *a, int64_t study, json_t **out)
{
	json_t *codes;
	int rc = qual_codes_json(c, study, &codes);
	if (rc)
		return rc;
	json_t *rows = json_array(), *ca = json_array();
	rc = matrix_rows(c, study, codes, rows);
	if (!rc)
		rc = analysis_rows(c, a, study, codes, ca);
	json_decref(codes);
	*out = json_pack("{s:[ssss], s:o, s:o}", "stakeholders", stake_names[0], stake_names[1],
			 stake_names[2], stake_names[3], "rows", rows, "content_analysis", ca);
	return rc;
}
