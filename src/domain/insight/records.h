/* records.h: the team's own records (DESIGN.md section 8): the integration
 * log and the glossary, each entry versioned (every version kept, the
 * current one included), and agreed supervision actions that become tasks.
 * Category team_record: the caller has asked policy_check. */
#ifndef IBBIS_RECORDS_H
#define IBBIS_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store_conn;

enum rec_type { REC_TEXT, REC_ENUM, REC_DATE };

struct rec_field {
	const char *name;
	enum rec_type type;
	bool required;
	size_t max;		     /* REC_TEXT: bytes */
	const char *const *options;  /* REC_ENUM: NULL-terminated */
};

#define REC_MAX_FIELDS 8

/* One kind of record: its fields, in the column order of its SQL. */
struct rec_kind {
	const char *name; /* "integration_log", "glossary" */
	const struct rec_field *fields;
	size_t nfields;
	const char *sql_insert, *sql_update, *sql_version, *sql_list, *sql_get, *sql_versions;
};

extern const struct rec_kind rec_integration_log;
extern const struct rec_kind rec_glossary;

struct rec_entry {
	int64_t id, team_id;
	int version;
	const char *v[REC_MAX_FIELDS]; /* arena; NULL for none */
	const char *author, *updated_by; /* arena: names */
	int64_t created_at, updated_at;
};

/* The field's index in k, or -1. */
int rec_field_index(const struct rec_kind *k, const char *name);
/* 0, or ERR_INVALID with *bad the field: a required value missing, text too
 * long or not UTF-8, an option not in the list, a date not YYYY-MM-DD. */
int rec_check(const struct rec_kind *k, const char *const *v, const char **bad);

/* In the caller's write transaction; the first version is kept too. */
int rec_create(struct store_conn *c, const struct rec_kind *k, int64_t team,
	       const char *const *v, int64_t by, int64_t now, int64_t *id);
int rec_update(struct store_conn *c, const struct rec_kind *k, int64_t id, const char *const *v,
	       int64_t by, int64_t now);
int rec_get(struct store_conn *c, const struct rec_kind *k, int64_t id, struct arena *a,
	    struct rec_entry *out); /* ERR_NOT_FOUND */
int rec_list(struct store_conn *c, const struct rec_kind *k, int64_t team, struct arena *a,
	     struct rec_entry **v, size_t *n);
/* Every version of one entry, oldest first. */
int rec_versions(struct store_conn *c, const struct rec_kind *k, int64_t id, struct arena *a,
		 struct rec_entry **v, size_t *n);

/* An action agreed at a supervision meeting, and the task it becomes. */
struct sup_action {
	int64_t id, meeting_id, assignee, task_id;
	const char *case_ref, *action, *due, *assignee_name, *meeting_day; /* arena */
	bool done;
};

/* ERR_INVALID unless a short team-internal reference ("A-12", "K7"): never
 * a name or a CPR number. "" is allowed (no case). */
int sup_case_ref_check(const char *ref);
/* Creates the action and the assignee's task (kind supervision_action). */
int sup_action_create(struct store_conn *c, int64_t team, int64_t meeting, const char *case_ref,
		      const char *action, int64_t assignee, const char *due, int64_t by,
		      int64_t now, int64_t *id);
int sup_actions_list(struct store_conn *c, int64_t team, struct arena *a, struct sup_action **v,
		     size_t *n);
/* 0 when meeting is a supervision meeting of team; ERR_NOT_FOUND otherwise. */
int sup_meeting_check(struct store_conn *c, int64_t team, int64_t meeting);

#endif

#ifndef IBBIS_RECORDS_TEAMS
#define IBBIS_RECORDS_TEAMS
/* The teams the user is a member of on today ("YYYY-MM-DD"), with their
 * membership role, by name: for the home page's links. */
struct my_team {
	int64_t id;
	const char *name, *role; /* arena */
};
int insight_my_teams(struct store_conn *c, int64_t user, const char *today, struct arena *a,
		     struct my_team **v, size_t *n);
#endif
