/* h_tasks.h: the actor's tasks as JSON, for "My tasks" and "My day". */
#ifndef IBBIS_H_TASKS_H
#define IBBIS_H_TASKS_H

#include <stddef.h>

#include <jansson.h>

struct web_ctx;
struct task;

/* The tasks as the actor may see them: a title in the page's language (a
 * plan step's text only when the actor may read the plan), the case only
 * when they may read it, "overdue" against today, "href" where the task is
 * done and "action" (marking it done). New array. */
json_t *tasks_json(struct web_ctx *c, const struct task *ts, size_t n);

#endif
