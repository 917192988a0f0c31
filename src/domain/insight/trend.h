/* trend.h: one survey measure over the rounds of a team, pure (DESIGN.md
 * section 8: "Trend over rounds").
 *
 * Each round is suppressed on its own first (suppress_results: minimum
 * group size 5, totals that would give a hidden cell back, indices over a
 * hidden dimension); the trend only lines those results up. A change
 * between two rounds is given only when both are shown: a change next to
 * a hidden value would give it back. Rounds with no answers to a measure
 * are skipped when looking for the round before. */
#ifndef IBBIS_TREND_H
#define IBBIS_TREND_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/insight/suppress.h"

/* Which aggregate of a round: an index or a dimension, for one rated role
 * as rated by one rater role or (rater -1) by all raters together. */
enum trend_kind { TREND_INDEX, TREND_DIMENSION };
struct trend_measure {
	enum trend_kind kind;
	int rater; /* instr_role index, or -1: all raters */
	int rated; /* instr_role index */
	int dim;   /* TREND_DIMENSION: 0..INSTR_DIMENSIONS-1 */
};

struct trend_point {
	long n;
	bool shown;      /* n > 0 and not suppressed */
	bool suppressed; /* 0 < n and hidden */
	enum supp_why why; /* why hidden (SUPP_NONE when not) */
	double mean;     /* when shown */
	bool has_change; /* this and the round before with answers are both shown */
	double change;   /* mean minus that round's mean */
};

/* The aggregate of round r that m names. static (inside r) */
const struct agg *trend_pick(const struct rc_results *r, const struct trend_measure *m);
/* out[i] for rounds[i] (oldest first); rounds already suppressed. */
void trend_series(const struct rc_results *const *rounds, size_t n, const struct trend_measure *m,
		  struct trend_point *out);

#endif
