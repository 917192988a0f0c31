/* holidays.h: Danish public holidays (helligdage) and the days public
 * offices close, for warnings when a meeting is planned and for the demo
 * data. Pure: no clock, no locale. */
#ifndef IBBIS_RULES_HOLIDAYS_H
#define IBBIS_RULES_HOLIDAYS_H

#include <stdbool.h>

#include "base/date.h"

/* Easter Sunday of year (Gregorian, years 1583..9999). */
day_t rules_easter(int year);
/* The key of the Danish holiday on d, or NULL for an ordinary day. Keys:
 * new_year, maundy_thursday, good_friday, easter_sunday, easter_monday,
 * great_prayer_day (until 2023; abolished from 2024), ascension,
 * whit_sunday, whit_monday, christmas_day, boxing_day (the helligdage),
 * and constitution_day, christmas_eve, new_years_eve (days public offices
 * close, not helligdage). static */
const char *rules_dk_holiday(day_t d);
/* Monday to Friday and no holiday above. */
bool rules_dk_working_day(day_t d);

#endif
