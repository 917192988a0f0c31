/* goal.h: the service user's goals, in their own words (category joint).
 *
 * Every state of a goal is kept in goal_versions: the first row is the text
 * as created, and each edit appends one row, so no words are ever lost.
 * Access is the caller's (web/gate.h); these functions only read and write. */
#ifndef IBBIS_GOAL_H
#define IBBIS_GOAL_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct store_conn;

#define GOAL_TEXT_MAX 2000 /* characters (UTF-8 code points) */

struct goal_version {
	const char *text;    /* arena */
	const char *status;  /* arena */
	int64_t by_id;
	const char *by_name; /* arena */
	int64_t at;          /* unix seconds */
};

struct goal {
	int64_t id;
	int64_t case_id;
	const char *text;            /* arena */
	const char *status;          /* arena: "active", "reached", "dropped" */
	int64_t author_id;           /* who wrote it down (the person or a professional) */
	const char *author_name;     /* arena */
	int64_t created_at;
	int64_t updated_by;          /* 0 when never edited */
	const char *updated_by_name; /* arena or NULL */
	int64_t updated_at;
	struct goal_version *versions; /* arena; oldest first; NULL unless loaded */
	size_t nversions;
};

/* 0 when s is 1..max characters of UTF-8 with something besides blanks;
 * ERR_INVALID otherwise. Shared by plan step texts. */
int goal_text_check(const char *s, size_t max);
/* True for "active", "reached", "dropped". */
int goal_status_valid(const char *s);

/* The case's goals, oldest first, each with its versions. */
int goal_list(struct store_conn *c, int64_t case_id, struct arena *a, struct goal **out,
	      size_t *n);
/* One goal with its versions; ERR_NOT_FOUND when there is none. */
int goal_get(struct store_conn *c, int64_t id, struct arena *a, struct goal *out);
/* Inside the caller's write transaction. */
int goal_create(struct store_conn *c, int64_t case_id, const char *text, int64_t by, int64_t now,
		int64_t *id);
/* text or status may be NULL (unchanged). Appends a version row. */
int goal_update(struct store_conn *c, int64_t id, const char *text, const char *status,
		int64_t by, int64_t now);

#endif
