/* date.c: civil-date arithmetic on day numbers (days since 1970-01-01).
 *
 * Uses the era-based conversion (400-year cycles) so it is exact and O(1)
 * without tables or the C library's time zone machinery. */
#include "base/date.h"

#include "base/err.h"

bool date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && date_is_leap(y))
		return 29;
	return dim[m - 1];
}

bool date_valid_ymd(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= date_days_in_month(y, m);
}

day_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int mp = (m + 9) % 12; /* March = 0 */
	int doy = (153 * mp + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (day_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(day_t z, int *y, int *m, int *d)
{
	int zz = z + 719468;
	int era = (zz >= 0 ? zz : zz - 146096) / 146097;
	int doe = zz - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int dd = doy - (153 * mp + 2) / 5 + 1;
	int mm = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (mm <= 2);
	*m = mm;
	*d = dd;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int date_parse(const char *s, day_t *out)
{
	if (!s)
		return ERR_INVALID;
	for (int i = 0; i < 10; i++)
		if (!s[i])
			return ERR_INVALID;
	if (s[10] != '\0' || s[4] != '-' || s[7] != '-')
		return ERR_INVALID;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !date_valid_ymd(y, m, d))
		return ERR_INVALID;
	*out = date_from_ymd(y, m, d);
	return 0;
}

void date_format(day_t day, char out[DATE_STR_LEN])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int date_weekday(day_t d)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	int w = (d + 3) % 7;
	return w < 0 ? w + 7 : w;
}

day_t date_add_months(day_t day, int months)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	int idx = y * 12 + (m - 1) + months;
	y = idx / 12;
	m = idx % 12 + 1;
	int dim = date_days_in_month(y, m);
	return date_from_ymd(y, m, d > dim ? dim : d);
}

day_t date_first_of_month(day_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return date_from_ymd(y, m, 1);
}

day_t date_last_of_month(day_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return date_from_ymd(y, m, date_days_in_month(y, m));
}

/* Weekdays in [0, n) days counted from a Monday-aligned origin. */
static int32_t weekdays_before(day_t d)
{
	/* Day numbers shifted so that 0 is a Monday (1969-12-29 = -3). */
	int64_t x = (int64_t)d + 3;
	int64_t weeks = x >= 0 ? x / 7 : -((-x + 6) / 7);
	int64_t rem = x - weeks * 7;
	return (int32_t)(weeks * 5 + (rem < 5 ? rem : 5));
}

int32_t date_weekdays_between(day_t from, day_t to)
{
	if (to < from)
		return 0;
	return weekdays_before(to + 1) - weekdays_before(from);
}
