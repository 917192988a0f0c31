/* clock.h: the wall clock, in one place so tests and tools can reason
 * about "now" (the pure layers never call it). */
#ifndef IBBIS_CLOCK_H
#define IBBIS_CLOCK_H

#include <stdint.h>

#include "base/date.h"

int64_t clock_now(void);  /* unix seconds */
day_t clock_today(void);  /* the calendar date in Denmark (Europe/Copenhagen) */
/* Danish local time minus UTC at instant t (unix seconds): 3600 or 7200. */
int clock_dk_offset(int64_t t);
/* The Danish local calendar day and minute of day (0..1439) of instant t.
 * One rounding rule for every time, before 1970 too: the day is the floor
 * of local seconds / 86400 (C division would round toward 1970), so
 * t = -3601 is 1969-12-31, 23:59 in Copenhagen. */
struct clock_dk_local {
	day_t day;
	int minute;
};
struct clock_dk_local clock_dk_local(int64_t t);
/* Only the day of clock_dk_local(t). */
day_t clock_dk_day(int64_t t);
/* Unix seconds of a Danish local date and minute of day (DST-aware; in the
 * repeated autumn hour the first occurrence). */
int64_t clock_dk_to_utc(day_t d, int minute_of_day);

#endif
