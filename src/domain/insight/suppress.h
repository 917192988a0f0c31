/* suppress.h: the minimum group size (DESIGN.md section 8), pure.
 *
 * Every aggregate over people is suppressed below INSIGHT_MIN_GROUP
 * respondents. A total made of cells is suppressed too when subtracting
 * its shown cells from it would leave a group of 1..4 people: a reader
 * could otherwise work a suppressed cell back out. An index (the mean of
 * the seven dimensions) is suppressed when any dimension under it is,
 * since the shown dimensions and the index give the hidden one back. */
#ifndef IBBIS_SUPPRESS_H
#define IBBIS_SUPPRESS_H

#include <stdbool.h>

#include "domain/insight/instrument.h"

#define INSIGHT_MIN_GROUP 5

enum supp_why { SUPP_NONE = 0, SUPP_SMALL, SUPP_REVEALS, SUPP_FROM_SUPPRESSED };

/* One aggregate: the input is sum (of values), values (how many) and n
 * (distinct respondents); the output is mean and why. */
struct agg {
	long sum, values, n;
	double mean;	   /* valid when why == SUPP_NONE and n > 0 */
	enum supp_why why; /* SUPP_NONE: shown */
};

/* The results of one round: cell[rater][rated][dimension] is the input. */
struct rc_results {
	struct agg cell[INSTR_ROLES][INSTR_ROLES][INSTR_DIMENSIONS];
	struct agg total[INSTR_ROLES][INSTR_DIMENSIONS]; /* per rated role, all raters */
	struct agg index[INSTR_ROLES][INSTR_ROLES];	 /* per rater x rated */
	struct agg total_index[INSTR_ROLES];		 /* per rated role */
};

/* Decides one aggregate on its own: SUPP_SMALL when 0 < n < 5. */
void suppress_one(struct agg *g);
/* Fills everything from the cells and suppresses as above. */
void suppress_results(struct rc_results *r);
/* "fewer_than_5", "would_reveal", "built_on_suppressed"; "" for SUPP_NONE. static */
const char *suppress_why_name(enum supp_why w);

#endif
