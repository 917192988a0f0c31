/* qual_doc.h: a study's qualitative documents (sealed at rest), their coded
 * segments (ranges of Unicode code points), the codebook's writes, the
 * matrix codes x stakeholders and the content-analysis table (DESIGN.md
 * section 9). Writes are audited (category research) and open their own
 * write transaction (or join the caller's). */
#ifndef IBBIS_QUAL_DOC_H
#define IBBIS_QUAL_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/cases/case_input.h"

struct actor;
struct arena;
struct store_conn;

#define QUAL_TEXT_MAX (4u << 20) /* a document's text, bytes */
#define QUAL_TITLE_MAX 300

struct qual_document {
	int64_t id, study;
	const char *guid, *title, *kind, *stakeholder, *time_point, *site; /* arena */
	const char *text; /* arena: unsealed */
	size_t chars;	  /* code points */
	int64_t created_at;
};

/* Whether s is one of the four stakeholders. */
bool qual_stakeholder_valid(const char *s);

/* Code points in s (valid UTF-8). */
size_t qual_cp_count(const char *s, size_t n);
/* The byte offset of code point cp in s (n bytes); n when cp is past it. */
size_t qual_cp_offset(const char *s, size_t n, size_t cp);

/* {"title", "kind", "stakeholder", "time_point"?, "site"?, "text"}.
 * guid NULL: a new one. */
int qual_document_create(struct store_conn *c, struct in_ctx *x, int64_t study, json_t *in,
			 const char *guid, const struct actor *by, int64_t now, int64_t *id);
int qual_document_load(struct store_conn *c, struct arena *a, int64_t id, struct qual_document *d);
/* The study of a document, code or segment (kind 'd', 'c', 's').
 * ERR_NOT_FOUND. */
int qual_study_of(struct store_conn *c, char kind, int64_t id, int64_t *study);
/* [{"id","title","kind","stakeholder","time_point","site","chars","segments"}] */
int qual_documents_json(struct store_conn *c, int64_t study, json_t **out);

/* {"name", "parent"?, "description"?, "name_da"?}: a new code. */
int qual_code_create(struct store_conn *c, struct in_ctx *x, int64_t study, json_t *in,
		     const struct actor *by, int64_t now, int64_t *id);
/* Any of {"name", "parent" (null: top level), "description", "name_da"};
 * a parent inside the code's own subtree is refused (field parent). */
int qual_code_update(struct store_conn *c, struct in_ctx *x, int64_t id, json_t *in,
		     const struct actor *by, int64_t now);

/* {"start", "end", "code", "memo"?, "condensed"?}: start and end are code
 * points, 0 <= start < end <= the document's length. */
int qual_segment_create(struct store_conn *c, struct in_ctx *x, const struct qual_document *d,
			json_t *in, const char *guid, const struct actor *by, int64_t now,
			int64_t *id);
int qual_segment_delete(struct store_conn *c, int64_t id, const struct actor *by, int64_t now);
/* The document's codings: [{"id","start","end","code","code_name","memo",
 * "condensed","text"}] in start order; text is the coded passage. */
int qual_segments_json(struct store_conn *c, const struct qual_document *d, json_t **out);

/* {"stakeholders": [...], "rows": [{"code","name","depth","counts":
 * [n per stakeholder],"total"}], "content_analysis": [{"document",
 * "meaning_unit","condensed","code","theme"}]}. */
int qual_matrix_json(struct store_conn *c, struct arena *a, int64_t study, json_t **out);

#endif
