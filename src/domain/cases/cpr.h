/* cpr.h: Danish CPR numbers (personnummer).
 *
 * Ten digits, DDMMYY then four, with an optional dash after the sixth. The
 * first six must be a real date; the century comes from the seventh digit
 * (CPR rules): 0-3 the 1900s; 4 or 9 the 2000s when YY <= 36, else the
 * 1900s; 5-8 the 2000s when YY <= 57, else the 1800s. There is no
 * modulus-11 check: numbers without it have been issued since 2007. Pure. */
#ifndef IBBIS_CPR_H
#define IBBIS_CPR_H

#include "base/date.h"

#define CPR_LEN 11 /* ten digits and NUL */

/* 0 with the ten digits (no dash) in out and the birth date in *birth
 * (may be NULL), or ERR_INVALID. out is untouched on error. */
int cpr_parse(const char *s, char out[CPR_LEN], day_t *birth);
/* The century year (1800..2099) for two-digit year yy and 7th digit d7. */
int cpr_year(int yy, int d7);

/* The legal sex the CPR rules encode in the last digit: odd male, even
 * female. CPR_MALE, CPR_FEMALE, or 0 when s is not a valid number (ten
 * digits, with or without the dash). */
enum { CPR_MALE = 1, CPR_FEMALE = 2 };
int cpr_sex(const char *s);

#endif
