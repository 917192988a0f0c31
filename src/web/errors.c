/* errors.c: the one mapping from enum err to an HTTP status and a default
 * message key. */
#include "web/errors.h"

#include "base/err.h"
#include "view/i18n.h"

int errors_status(int err)
{
	switch (err) {
	case ERR_INVALID: return 400;
	case ERR_UNAUTHORIZED: return 401;
	case ERR_FORBIDDEN: return 403;
	case ERR_NOT_FOUND: return 404;
	case ERR_METHOD: return 405;
	case ERR_CONFLICT: return 409;
	case ERR_TOO_LARGE: return 413;
	case ERR_URI_TOO_LONG: return 414;
	case ERR_RATE_LIMITED: return 429;
	case ERR_UNAVAILABLE: return 503;
	default: return 500;
	}
}

const char *errors_message_key(int err)
{
	switch (err) {
	case ERR_INVALID: return N_("error.invalid");
	case ERR_UNAUTHORIZED: return N_("error.unauthorized");
	case ERR_FORBIDDEN: return N_("error.forbidden");
	case ERR_NOT_FOUND: return N_("error.not_found");
	case ERR_METHOD: return N_("error.method_not_allowed");
	case ERR_CONFLICT: return N_("error.conflict");
	case ERR_TOO_LARGE: return N_("error.too_large");
	case ERR_URI_TOO_LONG: return N_("error.uri_too_long");
	case ERR_RATE_LIMITED: return N_("error.rate_limited");
	case ERR_UNAVAILABLE: return N_("error.unavailable");
	default: return N_("error.internal");
	}
}
