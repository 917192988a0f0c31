/* meeting_minutes.h: minutes with structure (issue 15): the agreements
 * reached, the action items (who does what by when, each a task of the
 * case) and the next meeting. The free text stays in meeting.h
 * (meeting_minutes_set). Texts are sealed at rest (seal.h). Strings in
 * results live in the caller's arena. Writers expect the caller's write
 * transaction. */
#ifndef IBBIS_MEETING_MINUTES_H
#define IBBIS_MEETING_MINUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store_conn;

#define MINUTES_ITEMS_MAX 20  /* agreements, and actions, per meeting */
#define MINUTES_ITEM_MAX 1000 /* bytes of one agreement or one action's what */
#define MINUTES_TASK_KIND "meeting_action"

/* An action item as written: who (a user id), what, due ("YYYY-MM-DD"). */
struct minutes_action_in {
	int64_t who;
	const char *what;
	const char *due;
};

struct minutes_action {
	int64_t id;
	int64_t who;
	const char *who_name; /* arena */
	const char *who_role; /* arena */
	const char *what;     /* arena */
	const char *due;      /* arena */
	int64_t task_id;      /* 0 when none */
	bool done;	      /* its task is done */
};

struct minutes_structure {
	const char **agreements; /* arena */
	size_t nagreements;
	struct minutes_action *actions; /* arena */
	size_t nactions;
	int64_t next_start;	 /* 0 when none */
	int64_t next_meeting_id; /* 0 when none */
};

int minutes_structure_get(struct store_conn *c, int64_t meeting_id, struct arena *a,
			  struct minutes_structure *out);

/* Replaces the agreements, the actions and the next meeting of meeting_id
 * (of case case_id). An action written as it was (same who, what, due)
 * keeps its task; every other new action gets a new task (user who, due,
 * kind MINUTES_TASK_KIND, source 'meeting'); a dropped action's task goes
 * when open and stays when done. */
int minutes_structure_set(struct store_conn *c, int64_t meeting_id, int64_t case_id,
			  const char *const *agreements, size_t nagreements,
			  const struct minutes_action_in *actions, size_t nactions,
			  int64_t next_start, int64_t next_meeting_id, int64_t now,
			  struct arena *a);

/* The action item behind a task: its meeting and what it asks.
 * ERR_NOT_FOUND when the task is no (longer an) action item. */
int minutes_action_of_task(struct store_conn *c, int64_t task_id, struct arena *a,
			   int64_t *meeting_id, const char **kind, const char **what);

#endif
