/* ratelimit.h: the login rate limit, kept in the database (table
 * login_failures) so that it holds across server nodes.
 *
 * A fixed window opens at the first failure for a key ("user:NAME" or
 * "ip:ADDRESS"). Once a key has RATELIMIT_USER_MAX (username) or
 * RATELIMIT_IP_MAX (address) failures in its window, further attempts are
 * refused until the window ends. A successful login clears the username's
 * counter (not the address's).
 *
 * Use at login:
 *   ratelimit_check -> refused? answer 429 with Retry-After
 *   account_authenticate -> failed? ratelimit_fail : ratelimit_success
 * Functions open their own transactions: call them outside one. */
#ifndef IBBIS_RATELIMIT_H
#define IBBIS_RATELIMIT_H

#include <stdint.h>

struct store_conn;

#define RATELIMIT_WINDOW (15 * 60) /* seconds */
#define RATELIMIT_USER_MAX 5       /* failures per username per window */
#define RATELIMIT_IP_MAX 20        /* failures per address per window */
#define RATELIMIT_KEY_MAX 200      /* longer usernames/addresses are cut */

/* 0 when an attempt may go ahead; ERR_RATE_LIMITED and *retry_after
 * (seconds, >= 1) when not. username or ip may be NULL. */
int ratelimit_check(struct store_conn *c, const char *username, const char *ip, int64_t now,
		    int64_t *retry_after);
/* Counts a failed attempt against both keys. */
int ratelimit_fail(struct store_conn *c, const char *username, const char *ip, int64_t now);
/* Clears the username's counter. */
int ratelimit_success(struct store_conn *c, const char *username);
/* Deletes windows that have ended (housekeeping). */
int ratelimit_purge(struct store_conn *c, int64_t now);

#endif
