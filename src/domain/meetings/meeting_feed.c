/* meeting_feed.c: calendar-feed secrets. The secret in the feed's URL is
 * the credential; only its BLAKE2b hash is stored, one per user, so a new
 * secret revokes the old. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "domain/meetings/meeting.h"
#include "domain/accounts/token.h"
#include "store/store.h"

#define FEED_SECRET_BYTES 32
int meeting_feed_new(struct store_conn *c, int64_t user_id, int64_t now, struct arena *a,
		     const char **secret)
{
	char *hex = arena_alloc(a, FEED_SECRET_BYTES * 2 + 1);
	token_random_hex(hex, FEED_SECRET_BYTES);
	char h[TOKEN_HASH_HEX];
	token_hash(hex, h);
	struct store_stmt *st;
	int rc = store_prepare(c, "DELETE FROM calendar_feeds WHERE user_id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, user_id);
	rc = store_step(st);
	if (rc < 0)
		return rc;
	rc = store_prepare(c,
			   "INSERT INTO calendar_feeds (user_id, secret_hash, created_at) "
			   "VALUES ($1, $2, $3)",
			   &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, user_id);
	store_bind_str(st, 2, h);
	store_bind_int64(st, 3, now);
	rc = store_step(st);
	if (rc < 0)
		return rc;
	*secret = hex;
	return 0;
}

int meeting_feed_owner(struct store_conn *c, const char *secret, int64_t *user_id)
{
	size_t n = strlen(secret);
	if (n != FEED_SECRET_BYTES * 2)
		return ERR_NOT_FOUND;
	char h[TOKEN_HASH_HEX];
	token_hash(secret, h);
	struct store_stmt *st;
	int rc =
	    store_prepare(c,
			  "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id "
			  "WHERE f.secret_hash = $1 AND u.disabled = 0",
			  &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, h);
	return store_read_int64(st, user_id);
}
