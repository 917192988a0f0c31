/* task.h: a person's tasks: deadlines from the timeline sweep, plan steps,
 * meetings. (case_id, source, source_key) is unique, so producers upsert.
 * Listing and marking done concern only the task's own user. */
#ifndef IBBIS_TASK_H
#define IBBIS_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store_conn;
struct plan;

#define TASK_RECENT_DONE_S (14 * 24 * 3600) /* done tasks stay listed this long */

struct task {
	int64_t id;
	int64_t user_id;
	int64_t case_id;        /* 0 when none */
	const char *kind;       /* arena: "plan_step", "first_followup", ... */
	const char *source;     /* arena: "timeline", "plan", "meeting", "manual" */
	const char *source_key; /* arena: "step:3", ... */
	const char *due;        /* arena: "YYYY-MM-DD" or NULL */
	bool done;
	int64_t done_at;        /* 0 when not done */
};

/* The user's open tasks and those done since done_since, by due date (none
 * last), then id. due_before ("YYYY-MM-DD" or NULL): only due < it. */
int task_list_for_user(struct store_conn *c, int64_t user_id, const char *due_before,
		       int64_t done_since, struct arena *a, struct task **out, size_t *n);
/* ERR_NOT_FOUND when there is no such task. */
int task_get(struct store_conn *c, int64_t id, struct arena *a, struct task *out);
int task_set_done(struct store_conn *c, int64_t id, bool done, int64_t by, int64_t now);

/* Inside the plan's write transaction: one task per step with a
 * professional responsible (not person_id), due on the step's date, moved to
 * a new responsible, done when the step is done or dropped (and open again
 * when a closed step reopens); open tasks of steps that are gone, or now
 * the person's, are removed. prev may be NULL. */
int task_sync_plan(struct store_conn *c, int64_t case_id, int64_t person_id, int64_t author,
		   const struct plan *prev, const struct plan *cur, int64_t now);
/* The text of step `key` in the case's latest plan version; *text NULL when
 * there is none. arena */
int task_plan_step_text(struct store_conn *c, int64_t case_id, int64_t key, struct arena *a,
			const char **text);

#endif
