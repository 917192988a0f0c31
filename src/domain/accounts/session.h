/* session.h: login sessions, stored in the database so that any server
 * node can serve any request.
 *
 * The cookie holds a random token (32 bytes from randombytes_buf, as 64
 * hex digits). The database holds only its BLAKE2b-256 hash (hex), so a
 * leaked table gives no usable cookie. Every login makes a new token.
 * Each session has its own random CSRF token.
 *
 * Functions take `now` (unix seconds) so tests can set the clock. They
 * open their own transactions: call them outside one. */
#ifndef IBBIS_SESSION_H
#define IBBIS_SESSION_H

#include "domain/accounts/account.h"

#include <stdbool.h>
#include <stdint.h>

#define SESSION_TOKEN_BYTES 32
#define SESSION_TOKEN_HEX (SESSION_TOKEN_BYTES * 2 + 1) /* with NUL */
#define SESSION_IDLE_DEFAULT (30 * 60)                  /* seconds */
#define SESSION_LIFETIME_DEFAULT (12 * 3600)         /* seconds, however active */
#define SESSION_MAX_PER_USER 20 /* a 21st login ends the account's oldest session */
#define SESSION_AGENT_MAX 200   /* bytes of User-Agent kept to tell sessions apart */
#define SESSION_TOUCH_INTERVAL 60 /* last_seen is written at most this often */

struct session_new {
	char token[SESSION_TOKEN_HEX]; /* for the cookie; not stored */
	char csrf[SESSION_TOKEN_HEX];  /* for forms and X-CSRF-Token */
};

struct session {
	struct actor actor;            /* strings: arena */
	char csrf[SESSION_TOKEN_HEX];
	int64_t created_at;
	int64_t last_seen;
};

/* A new session for user_id, numbered after the account's others; the
 * oldest end so that at most SESSION_MAX_PER_USER remain. ip, agent:
 * borrowed, may be NULL (agent is cut to SESSION_AGENT_MAX bytes). */
int session_create(struct store_conn *c, int64_t user_id, const char *ip, const char *agent,
		   int64_t now, struct session_new *out);

/* The session for a cookie's token and its actor. ERR_UNAUTHORIZED when
 * the token is malformed or unknown, the session has been idle more than
 * idle_seconds or began more than lifetime_seconds ago (it is then
 * deleted), or the account is disabled. Updates last_seen when it is
 * SESSION_TOUCH_INTERVAL or more behind. */
int session_lookup(struct store_conn *c, const char *token, int64_t now, int64_t idle_seconds,
		   int64_t lifetime_seconds, struct arena *a, struct session *out);

/* One live session of an account, for the person's own list. */
struct session_info {
	int64_t n; /* the account's own number for it */
	int64_t created_at, last_seen;
	const char *ip, *agent; /* arena or NULL */
	bool current;		/* the session of current_token */
};

/* An account's live sessions (neither idle nor past their lifetime), the
 * newest first. Call inside a read transaction or none. */
int session_list(struct store_conn *c, int64_t user_id, int64_t now, int64_t idle_seconds,
		 int64_t lifetime_seconds, const char *current_token, struct arena *a,
		 struct session_info **out, size_t *n);
/* Ends the account's session number n; ERR_NOT_FOUND when it has none. */
int session_end(struct store_conn *c, int64_t user_id, int64_t n);

/* Logout. Unknown tokens are not an error. */
int session_destroy(struct store_conn *c, const char *token);
/* Every session of a user (password change, account disabled). */
int session_destroy_user(struct store_conn *c, int64_t user_id);
/* Deletes sessions idle longer than idle_seconds (housekeeping). */
int session_purge(struct store_conn *c, int64_t now, int64_t idle_seconds);

/* Constant-time comparison of a presented CSRF token with the session's.
 * False for NULL or a different length. */
bool session_csrf_equal(const char *expected, const char *presented);

#endif
