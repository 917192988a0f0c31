/* refi.h: REFI-QDA export (QDA-XML 1.0): a study's project as .qdpx (a zip
 * of project.qde and sources/GUID.txt) and its codebook as .qdc. */
#ifndef IBBIS_REFI_H
#define IBBIS_REFI_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct store_conn;

/* The codebook XML (urn:QDA-XML:codebook:1.0). *out: caller frees. */
int refi_codebook(struct store_conn *c, int64_t study, char **out, size_t *len);
/* The project zip: codes with their hierarchy, every document as a text
 * source, every coding as a PlainTextSelection (code points) with its
 * Coding. *zipdata: caller frees. */
int refi_project(struct store_conn *c, struct arena *a, int64_t study, const char *name,
		 int64_t now, char **zipdata, size_t *ziplen);

#endif
