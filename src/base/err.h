/* err.h: the project's error codes.
 *
 * Every fallible function returns int: 0 (ERR_OK) on success, a negative
 * enum err otherwise. One place (web/errors.c) maps these to HTTP. */
#ifndef IBBIS_ERR_H
#define IBBIS_ERR_H

enum err {
	ERR_OK = 0,
	ERR_NOMEM = -1,        /* only where a library reports it; our allocs abort */
	ERR_INVALID = -2,      /* bad input: 400 / exit 2 */
	ERR_NOT_FOUND = -3,    /* 404 */
	ERR_CONFLICT = -4,     /* 409: double booking, duplicate */
	ERR_FORBIDDEN = -5,    /* 403: policy or CSRF */
	ERR_UNAUTHORIZED = -6, /* 401: no or bad session / credentials */
	ERR_TOO_LARGE = -7,    /* 413: body or buffer over its cap */
	ERR_IO = -8,           /* file system */
	ERR_DB = -9,           /* the store failed: 500 */
	ERR_UNAVAILABLE = -10, /* database unreachable: 503 */
	ERR_INTERNAL = -11,    /* a bug: 500 */
	ERR_RATE_LIMITED = -12,/* 429 */
	ERR_METHOD = -13,      /* 405 */
	ERR_URI_TOO_LONG = -14,/* 414 */
};

/* Stable lower-case code used in JSON errors ("invalid", "not_found", ...). */
const char *err_code(int e);

#endif
