/* refi.h: REFI-QDA export (QDA-XML 1.0): a study's project as .qdpx (a zip
 * of project.qde and sources/GUID.txt) and its codebook as .qdc. */
#ifndef IBBIS_REFI_H
#define IBBIS_REFI_H

#include <stddef.h>
#include <stdint.h>

struct actor;
struct arena;
struct store_conn;

/* The codebook XML (urn:QDA-XML:codebook:1.0). *out: caller frees. */
int refi_codebook(struct store_conn *c, int64_t study, char **out, size_t *len);
/* The project zip: codes with their hierarchy, every document as a text
 * source, every coding as a PlainTextSelection (code points) with its
 * Coding. *zipdata: caller frees. */
int refi_project(struct store_conn *c, struct arena *a, int64_t study, const char *name,
		 int64_t now, char **zipdata, size_t *ziplen);

/* What sources that do not say (not written by IBBIS) are taken to be:
 * kind "interview" or "observation", and a stakeholder. static */
struct refi_import_opts {
	const char *kind, *stakeholder;
};

/* What an import wrote (new rows) and found already there (kept, by GUID
 * or, for a coding, the same passage and code); skipped: non-text sources
 * and selections with no coding. */
struct refi_import_result {
	int codes, sources, codings;
	int codes_kept, sources_kept, codings_kept;
	int skipped;
};

/* Reads a .qdpx (data, len bytes) into the study: project.qde validated
 * against the QDA-XML 1.0 schema, then codes with their hierarchy, text
 * sources (PlainTextContent or internal:// files under sources/) and
 * codings, in one write transaction (audited: each new item, and
 * "study:ID" import). A GUID already in this study is that item (kept); a
 * GUID another study holds gets a new one. ERR_INVALID with *detail
 * (arena, English) naming the file, line, element and field; nothing is
 * written then. ERR_UNAVAILABLE without the database key. */
int refi_import(struct store_conn *c, struct arena *a, int64_t study, const void *data, size_t len,
		const struct refi_import_opts *o, const struct actor *by, int64_t now,
		struct refi_import_result *res, const char **detail);

#endif
