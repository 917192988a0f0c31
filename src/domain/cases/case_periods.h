/* case_periods.h: reading and storing a case's absence and earlier-benefit
 * periods and events (shared by the referral and PATCH). */
#ifndef IBBIS_CASE_PERIODS_H
#define IBBIS_CASE_PERIODS_H

#include <stdint.h>

#include <jansson.h>

#include "domain/cases/case_input.h"

struct store_conn;

/* Validates the whole array first (nothing written on error), then inserts.
 * absences: [{"from","to"|null,"partial"?}]; earlier: [{"from","to"}]. */
int case_periods_absences(struct store_conn *c, struct in_ctx *x, int64_t case_id, json_t *arr);
int case_periods_earlier(struct store_conn *c, struct in_ctx *x, int64_t case_id, json_t *arr);
/* Deletes a case's periods of one kind before a PATCH replaces them. */
int case_periods_clear(struct store_conn *c, int64_t case_id, int absences);
/* events: [{"kind","on"}] appended. */
int case_periods_events(struct store_conn *c, struct in_ctx *x, int64_t case_id, json_t *arr,
			int64_t by, int64_t now);
/* One event. */
int case_event_add(struct store_conn *c, int64_t case_id, const char *kind, const char *on,
		   int64_t by, int64_t now);

#endif
