/* clock.c: wall-clock helpers. Dates are Danish dates: the law counts
 * calendar days where the person lives. */
#include "base/clock.h"

#include <time.h>

int64_t clock_now(void)
{
	return (int64_t)time(NULL);
}

/* Central European time: UTC+1, and UTC+2 from the last Sunday of March
 * 01:00 UTC to the last Sunday of October 01:00 UTC (EU rule since 1996). */
int clock_dk_offset(int64_t t)
{
	day_t d = (day_t)(t / 86400);
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	day_t mar = date_from_ymd(y, 3, 31), oct = date_from_ymd(y, 10, 31);
	mar -= (date_weekday(mar) + 1) % 7; /* back to Sunday (weekday 6) */
	oct -= (date_weekday(oct) + 1) % 7;
	int64_t start = (int64_t)mar * 86400 + 3600, end = (int64_t)oct * 86400 + 3600;
	return (t >= start && t < end) ? 7200 : 3600;
}

struct clock_dk_local clock_dk_local(int64_t t)
{
	int64_t local = t + clock_dk_offset(t);
	int64_t days = local / 86400, secs = local % 86400;
	if (secs < 0) { /* C rounds toward zero: step back to the floor */
		secs += 86400;
		days--;
	}
	return (struct clock_dk_local){.day = (day_t)days, .minute = (int)(secs / 60)};
}

day_t clock_dk_day(int64_t t)
{
	return clock_dk_local(t).day;
}

day_t clock_today(void)
{
	return clock_dk_day(clock_now());
}

int64_t clock_dk_to_utc(day_t d, int minute_of_day)
{
	int64_t local = (int64_t)d * 86400 + (int64_t)minute_of_day * 60;
	int64_t guess = local - 7200; /* try summer time first */
	if (clock_dk_offset(guess) == 7200)
		return guess;
	return local - 3600;
}
