/* date.h: calendar dates as day numbers. Pure: no clock, no locale.
 *
 * A day_t counts days since 1970-01-01 (which is day 0, a Thursday).
 * Proleptic Gregorian calendar; valid for years 1..9999. */
#ifndef IBBIS_DATE_H
#define IBBIS_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t day_t;

#define DATE_STR_LEN 11 /* "YYYY-MM-DD" plus NUL */

/* Strict "YYYY-MM-DD" (exactly 10 chars, a real date). 0 or ERR_INVALID. */
int date_parse(const char *s, day_t *out);
void date_format(day_t d, char out[DATE_STR_LEN]);
day_t date_from_ymd(int y, int m, int d); /* caller guarantees a valid date */
void date_to_ymd(day_t d, int *y, int *m, int *dd);
bool date_valid_ymd(int y, int m, int d);
int date_days_in_month(int y, int m);
bool date_is_leap(int y);
/* 0 = Monday ... 6 = Sunday */
int date_weekday(day_t d);
static inline bool date_is_weekday(day_t d)
{
	return date_weekday(d) < 5;
}
/* Same day-of-month `months` later (may be negative); a day that does not
 * exist in the target month becomes that month's last day. */
day_t date_add_months(day_t d, int months);
day_t date_first_of_month(day_t d);
day_t date_last_of_month(day_t d);
/* Weekdays (Mon-Fri) in [from, to], both inclusive; 0 if to < from. O(1). */
int32_t date_weekdays_between(day_t from, day_t to);

#endif
