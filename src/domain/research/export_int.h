/* export_int.h: the export's column table, shared by the CSV writer and
 * the dictionary (export.c, export_tables.c). */
#ifndef IBBIS_RESEARCH_EXPORT_INT_H
#define IBBIS_RESEARCH_EXPORT_INT_H

#include <stddef.h>

/* How a stored column becomes an exported one. */
enum xform {
	X_PSEUDO,  /* an id: its keyed pseudonym (kind names the domain) */
	X_DATE,	   /* a stored YYYY-MM-DD: shifted or coarsened */
	X_INSTANT, /* unix seconds: the Danish day, shifted or coarsened */
	X_CODE,	   /* a value from a fixed list in the schema */
	X_INT,	   /* an integer */
	X_DECIMAL, /* a number */
	X_BOOL,	   /* 0 or 1 */
};

struct xcol {
	const char *name;
	enum xform x;
	char kind; /* X_PSEUDO: 'p' person, 'c' case, 'm' meeting, 'g' goal, 'r' response */
	const char *meaning, *meaning_da; /* English, Danish */
};

/* sql's first column is the person whose offset shifts the row's dates;
 * column i + 1 is cols[i]. sql NULL: written by code (timeline events).
 * counts, when set, is a second query "SELECT key, n1 .. nk ... ORDER BY
 * key" merged by the key against sql's second column (sql must be in that
 * order too): its k numbers are the table's last k columns (0 when the key
 * has no row), so no per-row subquery is needed.
 * by_case: sql takes no parameters and reads the whole table; its first
 * column is a case id instead of a person, and the writer keeps only the
 * rows of the study's cases (from cases.csv, written first), with their
 * service user's offset: a plain scan in row order, with no join and no
 * sort, for the largest tables. */
struct xtable {
	const char *file;
	const char *meaning, *meaning_da; /* English, Danish */
	const char *sql;
	const struct xcol *cols;
	size_t ncols;
	const char *counts;
	size_t ncounts;
	int by_case;
};

extern const struct xtable export_tables[];
extern const size_t export_ntables;

/* The bytes of a closed archive written to a kept memory source
 * (zip_source_keep): *out heap, caller frees. Shared with refi.c. */
struct zip_source;
int research_zip_take(struct zip_source *src, char **out, size_t *len);

/* "pseudonym", "date", ... static */
const char *export_type_name(enum xform x, int month);

#endif
