/* clock.h: the wall clock, in one place so tests and tools can reason
 * about "now" (the pure layers never call it). */
#ifndef IBBIS_CLOCK_H
#define IBBIS_CLOCK_H

#include <stdint.h>

#include "base/date.h"

int64_t clock_now(void);  /* unix seconds */
day_t clock_today(void);  /* the calendar date in Denmark (Europe/Copenhagen) */

#endif
