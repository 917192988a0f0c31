/* reset.h: the person resets their own password (DESIGN.md section 10).
 *
 * A request names a username or an address. When it finds one enabled
 * account with an address, a one-time link is made (32 random bytes, only
 * the BLAKE2b hash stored, valid RESET_TTL) and its message queued, in one
 * transaction; older unused links of the account end. The caller answers
 * the same whatever happened (no enumeration). Using a link sets the new
 * password, marks it used and ends all the account's sessions, in one
 * transaction, with an audit entry the person's access log shows. */
#ifndef IBBIS_RESET_H
#define IBBIS_RESET_H

#include <stdint.h>

struct arena;
struct store_conn;

#define RESET_TOKEN_BYTES 32
#define RESET_TOKEN_HEX (RESET_TOKEN_BYTES * 2 + 1)
#define RESET_TTL 3600

/* Outside a transaction. 0 whether or not an account was found. */
int reset_request(struct store_conn *c, const char *who, int64_t now);
/* The account a valid link belongs to (username in the arena);
 * ERR_NOT_FOUND for an unknown, used or expired link. */
int reset_check(struct store_conn *c, const char *token, int64_t now, struct arena *a,
		const char **username);
/* Outside a transaction: ERR_INVALID for a password account_password_check
 * refuses, ERR_NOT_FOUND for a dead link. */
int reset_use(struct store_conn *c, const char *token, const char *password, int64_t now,
	      struct arena *a, const char **username);

#endif
