/* err.c: stable names for error codes (they appear in the JSON API). */
#include "base/err.h"

const char *err_code(int e)
{
	switch (e) {
	case ERR_OK: return "ok";
	case ERR_NOMEM: return "no_memory";
	case ERR_INVALID: return "invalid";
	case ERR_NOT_FOUND: return "not_found";
	case ERR_CONFLICT: return "conflict";
	case ERR_FORBIDDEN: return "forbidden";
	case ERR_UNAUTHORIZED: return "unauthorized";
	case ERR_TOO_LARGE: return "too_large";
	case ERR_IO: return "io";
	case ERR_DB: return "database";
	case ERR_UNAVAILABLE: return "unavailable";
	case ERR_RATE_LIMITED: return "rate_limited";
	case ERR_METHOD: return "method_not_allowed";
	case ERR_URI_TOO_LONG: return "uri_too_long";
	default: return "internal";
	}
}
