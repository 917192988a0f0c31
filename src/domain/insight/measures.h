/* measures.h: a team's measures for a period (DESIGN.md section 8):
 * caseload, deadlines, continuity, the trust pulse and outcomes. Each is
 * computed by aggregate SQL over the team's rows (docs/insight.md) and
 * returned as JSON with ids and numbers; the web layer adds the words.
 * Nothing here names a service user: cases appear by their id only, and
 * aggregates over people follow the minimum group size (suppress.h). */
#ifndef IBBIS_MEASURES_H
#define IBBIS_MEASURES_H

#include <jansson.h>
#include <stdint.h>

#include "base/date.h"

struct arena;
struct store_conn;

struct period {
	day_t from, to; /* both included */
	day_t today;
};

/* Each returns a new JSON object in *out (caller decrefs). */
int measures_caseload(struct store_conn *c, int64_t team, const struct period *p, json_t **out);
int measures_deadlines(struct store_conn *c, int64_t team, const struct period *p, json_t **out);
int measures_continuity(struct store_conn *c, int64_t team, const struct period *p,
			struct arena *a, json_t **out);
int measures_pulse(struct store_conn *c, int64_t team, const struct period *p, json_t **out);
/* Cohorts are referral months from..to (first days of months). */
int measures_outcomes(struct store_conn *c, int64_t team, day_t cohort_from, day_t cohort_to,
		      day_t today, struct arena *a, json_t **out);

#endif
