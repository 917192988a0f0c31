/* plan.h: the versioned plan for treatment and return to work (joint).
 *
 * Every save makes a new version holding all its steps; nothing is ever
 * overwritten. A step keeps its key (plan_steps.step_key, migration 0005)
 * across versions, so versions compare step by step (plan_diff) and the
 * step's task follows it. Access is the caller's (web/gate.h). */
#ifndef IBBIS_PLAN_H
#define IBBIS_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/str.h"

struct arena;
struct store_conn;

#define PLAN_STEPS_MAX 100
#define PLAN_TEXT_MAX 2000 /* characters */
#define PLAN_HOURS_MAX 168

struct plan_step {
	int64_t key;                  /* stable across versions; 0: new (plan_save assigns) */
	int position;                 /* 1.. in the version */
	const char *kind;             /* "treatment", "return_to_work"; arena/borrowed */
	const char *text;             /* arena/borrowed */
	int64_t responsible_id;
	const char *responsible_name; /* arena; NULL before loading */
	const char *due;              /* "YYYY-MM-DD" or NULL */
	const char *status;           /* "planned", "in_progress", "done", "dropped" */
	bool has_hours;
	double hours_per_week;
};

struct plan {
	int64_t id; /* plan_versions.id */
	int64_t case_id;
	int version;
	int64_t author_id;
	const char *author_name; /* arena */
	int64_t created_at;
	struct plan_step *steps; /* arena; by position */
	size_t n;
};

struct plan_version_info {
	int version;
	int64_t author_id;
	const char *author_name; /* arena */
	int64_t created_at;
};

bool plan_kind_valid(const char *s);
bool plan_status_valid(const char *s);
/* A step that needs no more work: done or dropped. Inline, so the tasks
 * (task.c), which plan.c calls, need nothing back from plan.c. */
static inline bool plan_step_closed(const struct plan_step *s)
{
	return str_eq(s->status, "done") || str_eq(s->status, "dropped");
}

/* Every version of the case's plan, oldest first (n may be 0). */
int plan_versions(struct store_conn *c, int64_t case_id, struct arena *a,
		  struct plan_version_info **out, size_t *n);
/* One version (0: the latest). ERR_NOT_FOUND when there is none. */
int plan_load(struct store_conn *c, int64_t case_id, int version, struct arena *a,
	      struct plan *out);
/* Inside the caller's write transaction: saves steps (positions are set from
 * their order; key 0 gets a new key, written back into steps) as a new
 * version by `author`, and brings the plan-step tasks in line (task.h).
 * person_id: the case's service user, who gets no tasks. */
int plan_save(struct store_conn *c, int64_t case_id, int64_t person_id, int64_t author,
	      int64_t now, struct plan_step *steps, size_t n, int *version);

/* The case's person's name (core data; the caller has allowed reading it).
 * ERR_NOT_FOUND when there is no such case. arena */
int plan_case_name(struct store_conn *c, int64_t case_id, struct arena *a, const char **name);

/* What changed from one version to the next (plan_diff.c). */
enum plan_field {
	PLAN_F_KIND = 1 << 0,
	PLAN_F_TEXT = 1 << 1,
	PLAN_F_RESPONSIBLE = 1 << 2,
	PLAN_F_DUE = 1 << 3,
	PLAN_F_STATUS = 1 << 4,
	PLAN_F_HOURS = 1 << 5,
};
#define PLAN_FIELD_COUNT 6

struct plan_change {
	const struct plan_step *before; /* borrowed; NULL: the step was added */
	const struct plan_step *after;  /* borrowed; NULL: the step was removed */
	unsigned fields;                /* enum plan_field bits; changed steps only */
};

/* Field name of one enum plan_field bit ("text", "hours_per_week"). static */
const char *plan_field_name(unsigned bit);
/* Changes from prev (NULL: nothing before) to cur: added steps in cur's
 * order, then changed ones, then removed ones. Unchanged steps are left out. */
int plan_diff(const struct plan *prev, const struct plan *cur, struct arena *a,
	      struct plan_change **out, size_t *n);

#endif
