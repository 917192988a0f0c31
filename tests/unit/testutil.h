/* testutil.h: what every cmocka unit test includes. */
#ifndef IBBIS_TESTUTIL_H
#define IBBIS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* The repository root, so tests can read templates/, locale/, ../shared. */
#ifndef IBBIS_ROOT
#define IBBIS_ROOT "."
#endif

#endif
