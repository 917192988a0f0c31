/* supervision.h: one agreed supervision action read and changed, and what
 * its form offers: the team's supervision meetings and current members
 * (DESIGN.md section 8, "Supervision"). Creating and listing are in
 * records.h. */
#ifndef IBBIS_SUPERVISION_H
#define IBBIS_SUPERVISION_H

#include <stddef.h>
#include <stdint.h>

#include "domain/insight/records.h"

struct arena;
struct store_conn;

/* The action with its team in *team; ERR_NOT_FOUND. */
int sup_action_get(struct store_conn *c, int64_t id, struct arena *a, int64_t *team,
		   struct sup_action *out);
/* Changes the action and its task (assignee and due) alike (inside the
 * caller's write transaction). */
int sup_action_update(struct store_conn *c, int64_t id, const char *case_ref, const char *action,
		      int64_t assignee, const char *due, int64_t now);

struct sup_choice {
	int64_t id;
	const char *label; /* arena: a meeting's day and time, a member's name */
};
/* The team's supervision meetings, newest first (at most 50). */
int sup_meetings_list(struct store_conn *c, int64_t team, struct arena *a,
		      struct sup_choice **v, size_t *n);
/* The team's members on today (YYYY-MM-DD), by name. */
int sup_members_list(struct store_conn *c, int64_t team, const char *today, struct arena *a,
		     struct sup_choice **v, size_t *n);

#endif
