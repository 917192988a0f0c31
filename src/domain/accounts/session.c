/* session.c: database-backed sessions with hashed tokens. */
#include "domain/accounts/session.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/token.h"
#include "store/store.h"

#include <sodium.h>
#include <string.h>

static int finish(struct store_conn *c, int rc)
{
	if (rc != 0) {
		store_rollback(c);
		return rc;
	}
	return store_commit(c);
}

int session_create(struct store_conn *c, int64_t user_id, const char *ip, int64_t now,
		   struct session_new *out)
{
	int rc = account_init();
	if (rc != 0)
		return rc;
	token_random_hex(out->token, SESSION_TOKEN_BYTES);
	token_random_hex(out->csrf, SESSION_TOKEN_BYTES);
	char hash[TOKEN_HASH_HEX];
	token_hash(out->token, hash);
	struct store_stmt *st;
	rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	rc = store_prepare(c,
			   "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at,"
			   " last_seen, ip) VALUES ($1, $2, $3, $4, $4, $5)",
			   &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, hash);
	if (rc == 0)
		rc = store_bind_int64(st, 2, user_id);
	if (rc == 0)
		rc = store_bind_str(st, 3, out->csrf);
	if (rc == 0)
		rc = store_bind_int64(st, 4, now);
	if (rc == 0)
		rc = store_bind_str(st, 5, ip);
	if (rc == 0)
		rc = store_step(st);
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return finish(c, rc);
}

static int delete_by_hash(struct store_conn *c, const char *hash)
{
	struct store_stmt *st;
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	rc = store_prepare(c, "DELETE FROM sessions WHERE token_hash = $1", &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, hash);
	if (rc == 0)
		rc = store_step(st);
	return finish(c, rc);
}

static int touch(struct store_conn *c, const char *hash, int64_t now)
{
	struct store_stmt *st;
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	rc = store_prepare(c, "UPDATE sessions SET last_seen = $1 WHERE token_hash = $2", &st);
	if (rc == 0)
		rc = store_bind_int64(st, 1, now);
	if (rc == 0)
		rc = store_bind_str(st, 2, hash);
	if (rc == 0)
		rc = store_step(st);
	return finish(c, rc);
}

static int load(struct store_conn *c, const char *hash, struct arena *a, struct session *out)
{
	struct store_stmt *st;
	int rc = store_begin_read(c);
	if (rc != 0)
		return rc;
	rc = store_prepare(c,
			   "SELECT s.csrf_token, s.created_at, s.last_seen, " ACCOUNT_ACTOR_COLS
			   " FROM sessions s JOIN users u ON u.id = s.user_id " ACCOUNT_ACTOR_JOIN
			   "WHERE s.token_hash = $1",
			   &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, hash);
	if (rc == 0)
		rc = store_step(st);
	if (rc == STORE_DONE)
		rc = ERR_UNAUTHORIZED;
	else if (rc == STORE_ROW)
		rc = account_actor_read(st, 3, a, &out->actor);
	if (rc == 0) {
		if (str_copy(out->csrf, sizeof out->csrf, store_col_text(st, 0, NULL)) != 0)
			rc = ERR_DB;
		out->created_at = store_col_int64(st, 1);
		out->last_seen = store_col_int64(st, 2);
		store_reset(st);
	}
	return finish(c, rc);
}

int session_lookup(struct store_conn *c, const char *token, int64_t now, int64_t idle_seconds,
		   struct arena *a, struct session *out)
{
	memset(out, 0, sizeof *out);
	if (!token_is_hex(token, SESSION_TOKEN_HEX - 1))
		return ERR_UNAUTHORIZED;
	char hash[TOKEN_HASH_HEX];
	token_hash(token, hash);
	int rc = load(c, hash, a, out);
	if (rc == 0 && now - out->last_seen > idle_seconds) {
		delete_by_hash(c, hash);
		rc = ERR_UNAUTHORIZED;
	}
	if (rc == 0 && out->actor.disabled)
		rc = ERR_UNAUTHORIZED;
	if (rc == 0 && now - out->last_seen >= SESSION_TOUCH_INTERVAL) {
		rc = touch(c, hash, now);
		if (rc == 0)
			out->last_seen = now;
	}
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

int session_destroy(struct store_conn *c, const char *token)
{
	if (!token_is_hex(token, SESSION_TOKEN_HEX - 1))
		return 0;
	char hash[TOKEN_HASH_HEX];
	token_hash(token, hash);
	return delete_by_hash(c, hash);
}

static int delete_where(struct store_conn *c, const char *sql, int64_t a1, int64_t a2, int n)
{
	struct store_stmt *st;
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	rc = store_prepare(c, sql, &st);
	if (rc == 0)
		rc = store_bind_int64(st, 1, a1);
	if (rc == 0 && n > 1)
		rc = store_bind_int64(st, 2, a2);
	if (rc == 0)
		rc = store_step(st);
	return finish(c, rc);
}

int session_destroy_user(struct store_conn *c, int64_t user_id)
{
	return delete_where(c, "DELETE FROM sessions WHERE user_id = $1", user_id, 0, 1);
}

int session_purge(struct store_conn *c, int64_t now, int64_t idle_seconds)
{
	/* The cut-off is computed here: "$1 - $2" has no type in PostgreSQL. */
	return delete_where(c, "DELETE FROM sessions WHERE last_seen < $1", now - idle_seconds, 0,
			    1);
}

bool session_csrf_equal(const char *expected, const char *presented)
{
	if (!expected || !presented)
		return false;
	size_t n = strlen(expected);
	if (n == 0 || strlen(presented) != n)
		return false;
	return sodium_memcmp(expected, presented, n) == 0;
}
