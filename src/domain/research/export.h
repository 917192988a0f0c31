/* export.h: a study's pseudonymised export (DESIGN.md section 9).
 *
 * One CSV per table (RFC 4180: CRLF, fields quoted when they hold a comma,
 * a quote or a line break; UTF-8), dictionary.json and dictionary.md, in
 * one zip (libzip). What leaves:
 *  - people (service users and staff), cases, meetings, goals and survey
 *    responses only as pseudonyms: keyed BLAKE2b of the id with the
 *    study's key, so stable within a study and unlinkable across studies;
 *  - no name, CPR number, contact detail or free text: every column is a
 *    pseudonym, a code from a fixed list, a number or a date;
 *  - dates shifted by a per-person keyed offset (1 to 182 days either way;
 *    every date of one person moves together, so intervals are kept), or
 *    coarsened to the month ("YYYY-MM"), as the study says.
 * The dictionary is built from the same column table as the CSVs, so it
 * names every column. */
#ifndef IBBIS_RESEARCH_EXPORT_H
#define IBBIS_RESEARCH_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"

struct arena;
struct store_conn;
struct study;

/* Called after each file with its name and rows so far. */
typedef void (*export_progress_fn)(void *ud, const char *file, int64_t rows);

struct export_stats {
	int64_t cases;
	int64_t rows;
};

/* The zip of study s as of today (timelines are computed for that day).
 * *zip: caller frees. Runs in one read transaction. */
int research_export_zip(struct store_conn *c, struct arena *a, const struct study *s, day_t today,
			export_progress_fn progress, void *ud, char **zip, size_t *len,
			struct export_stats *stats);

/* The dictionary: {"study", "dates", "files": [{"name", "meaning",
 * "columns": [{"name", "type", "meaning"}]}]}. *out: caller decrefs. */
json_t *research_dictionary_json(const struct study *s);

/* A person's offset in days under the study's key: never 0, in
 * [-182, 182]. Exposed for tests. */
int research_shift_days(const unsigned char *key, int64_t person_id);
/* The pseudonym of an id in a domain ("p" person, "c" case, ...): 16
 * hex characters and NUL. */
void research_pseudonym(const unsigned char *key, char kind, int64_t id, char out[17]);

#endif
