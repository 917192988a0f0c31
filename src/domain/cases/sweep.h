/* sweep.h: every open case's timeline into deadline tasks (the nightly
 * job, fast enough to run after any change too).
 *
 * For each open case the engine's deadlines become tasks (source
 * 'timeline', source_key = kind = the deadline kind), assigned to the
 * case's employment consultant. When both separate assessments exist and
 * no roundtable is planned or held, a task (source 'meeting', source_key
 * 'roundtable_needed', kind 'plan_roundtable') goes to the care manager.
 * A met deadline marks its task done; a deadline no longer present removes
 * its open task. Idempotent: a row is written only when something changed.
 * See docs/sweep.md. */
#ifndef IBBIS_SWEEP_H
#define IBBIS_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"

struct store_conn;

#define SWEEP_BATCH 5000 /* cases per write transaction */

struct sweep_stats {
	size_t cases;     /* cases swept */
	size_t failed;    /* cases whose facts the engine refused (logged) */
	size_t inserted;  /* tasks */
	size_t updated;
	size_t unchanged;
	size_t removed;
};

/* Called after each batch: cases done so far, open cases in all. */
typedef void (*sweep_progress_fn)(void *user, size_t done, size_t total);

/* Sweeps every open case, one write transaction per `batch` cases (0: the
 * default), and removes open deadline tasks of closed cases. Call outside
 * a transaction. progress may be NULL. */
int sweep_all(struct store_conn *c, day_t today, int64_t now, size_t batch,
	      sweep_progress_fn progress, void *user, struct sweep_stats *st);

/* One case (after a change to it). Opens a write transaction, or joins the
 * caller's write transaction. A closed case loses its open deadline
 * tasks. ERR_NOT_FOUND for no case. st may be NULL. */
int sweep_case(struct store_conn *c, int64_t case_id, day_t today, int64_t now,
	       struct sweep_stats *st);

#endif
