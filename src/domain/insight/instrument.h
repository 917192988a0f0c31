/* instrument.h: survey instruments as data files (DESIGN.md section 8).
 *
 * An instrument is a "key = value" file under surveys/ (docs/insight.md has
 * the format): its id, name in both languages, a scale, and items, each
 * with a dimension of relational coordination and its text in both
 * languages. The shipped files are embedded in the binary; a deployer adds
 * files with --survey-dir. Errors name the file, the line and the key.
 *
 * The set is loaded once at start-up and read-only afterwards. */
#ifndef IBBIS_INSTRUMENT_H
#define IBBIS_INSTRUMENT_H

#include <stddef.h>

struct arena;

/* The seven dimensions, in the order of DESIGN.md section 8. */
enum { INSTR_DIMENSIONS = 7 };
/* The rated (and rater) roles. */
enum { INSTR_ROLES = 4 };
#define INSTR_ERR_LEN 512

struct instr_item {
	const char *id;	 /* arena */
	int dimension;	 /* 0..INSTR_DIMENSIONS-1 */
	const char *en;	 /* arena */
	const char *da;	 /* arena */
};

struct instrument {
	const char *id;	    /* arena */
	const char *file;   /* arena: where it came from */
	const char *name_en, *name_da; /* arena */
	int min, max;	    /* the scale */
	struct instr_item *items; /* arena */
	size_t nitems;
};

/* "frequent_communication", ...; NULL out of range. static */
const char *instr_dimension_name(int d);
/* The index of a dimension id, or -1. */
int instr_dimension_parse(const char *s);
/* "care_manager", "employment_consultant", "supervisor_health",
 * "supervisor_jobcentre"; NULL out of range. static */
const char *instr_role_name(int r);
int instr_role_parse(const char *s); /* index or -1 */

/* Parses one file's text (len bytes). On error returns ERR_INVALID and err
 * holds "FILE:LINE: KEY: what". out's strings are in a. */
int instrument_parse(const char *file, const char *text, size_t len, struct arena *a,
		     struct instrument *out, char *err, size_t errsz);

/* Loads the embedded surveys/NAME.conf files and, when dir is not NULL, every *.conf
 * in dir. An id given twice is an error naming both files. Replaces any set
 * loaded before. */
int instruments_load(const char *dir, char *err, size_t errsz);
/* Frees the loaded set. */
void instruments_free(void);
/* The loaded set (loading the embedded files on first use). borrowed */
const struct instrument *instruments_all(size_t *n);
const struct instrument *instrument_find(const char *id); /* borrowed or NULL */
const struct instr_item *instrument_item(const struct instrument *in, const char *id);

#endif
