/* cpr.c: CPR number syntax and birth date. */
#include "domain/cases/cpr.h"

#include <string.h>

#include "base/err.h"

int cpr_year(int yy, int d7)
{
	if (d7 <= 3)
		return 1900 + yy;
	if (d7 == 4 || d7 == 9)
		return (yy <= 36 ? 2000 : 1900) + yy;
	return (yy <= 57 ? 2000 : 1800) + yy;
}

static int digit_at(const char *s, int i)
{
	return s[i] - '0';
}

int cpr_parse(const char *s, char out[CPR_LEN], day_t *birth)
{
	if (!s)
		return ERR_INVALID;
	char d[CPR_LEN];
	size_t n = strlen(s);
	if (n == 11 && s[6] == '-') {
		memcpy(d, s, 6);
		memcpy(d + 6, s + 7, 4);
	} else if (n == 10) {
		memcpy(d, s, 10);
	} else {
		return ERR_INVALID;
	}
	d[10] = '\0';
	for (int i = 0; i < 10; i++)
		if (d[i] < '0' || d[i] > '9')
			return ERR_INVALID;
	int day = digit_at(d, 0) * 10 + digit_at(d, 1);
	int mon = digit_at(d, 2) * 10 + digit_at(d, 3);
	int yy = digit_at(d, 4) * 10 + digit_at(d, 5);
	int year = cpr_year(yy, digit_at(d, 6));
	if (!date_valid_ymd(year, mon, day))
		return ERR_INVALID;
	memcpy(out, d, CPR_LEN);
	if (birth)
		*birth = date_from_ymd(year, mon, day);
	return 0;
}

int cpr_sex(const char *s)
{
	char d[CPR_LEN];
	if (cpr_parse(s, d, NULL))
		return 0;
	return digit_at(d, 9) % 2 ? CPR_MALE : CPR_FEMALE;
}
