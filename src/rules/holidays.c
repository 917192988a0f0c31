/* holidays.c: Danish holidays, fixed dates and those counted from Easter. */
#include "rules/holidays.h"

#include <stddef.h>

day_t rules_easter(int year)
{
	/* The Gregorian computus (Meeus/Jones/Butcher). */
	int a = year % 19, b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
	return date_from_ymd(year, month, day);
}

static const struct {
	int month, day;
	const char *key;
} fixed[] = {
    {1, 1, "new_year"},        {6, 5, "constitution_day"}, {12, 24, "christmas_eve"},
    {12, 25, "christmas_day"}, {12, 26, "boxing_day"},     {12, 31, "new_years_eve"},
};

static const struct {
	int offset; /* days from Easter Sunday */
	const char *key;
} moving[] = {
    {-3, "maundy_thursday"}, {-2, "good_friday"}, {0, "easter_sunday"},
    {1, "easter_monday"},    {26, "great_prayer_day"}, {39, "ascension"},
    {49, "whit_sunday"},     {50, "whit_monday"},
};

const char *rules_dk_holiday(day_t d)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (fixed[i].month == m && fixed[i].day == dd)
			return fixed[i].key;
	if (m < 3 || m > 6 || y < 1583)
		return NULL; /* Easter's holidays fall from 19 March to 14 June */
	int off = d - rules_easter(y);
	for (size_t i = 0; i < sizeof moving / sizeof moving[0]; i++)
		if (moving[i].offset == off && !(off == 26 && y >= 2024))
			return moving[i].key;
	return NULL;
}

bool rules_dk_working_day(day_t d)
{
	return date_is_weekday(d) && rules_dk_holiday(d) == NULL;
}
