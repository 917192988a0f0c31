/* activation.c: one-time activation links and the first password. */
#include "domain/accounts/activation.h"

#include <sodium.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/accounts/session.h"
#include "domain/accounts/token.h"
#include "store/store.h"

static int password_set_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	*(bool *)elem = !str_eq(store_col_text(st, 0, NULL), ACTIVATION_NO_PASSWORD);
	return 0;
}

int activation_password_set(struct store_conn *c, int64_t user_id, bool *set)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT password_hash FROM users WHERE id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, user_id);
	return store_read_row(st, NULL, password_set_row, NULL, set);
}

int activation_create(struct store_conn *c, int64_t user_id, int64_t by, int64_t now,
		      char token[ACTIVATION_TOKEN_HEX], int64_t *expires_at)
{
	token_random_hex(token, ACTIVATION_TOKEN_BYTES);
	char hash[TOKEN_HASH_HEX];
	token_hash(token, hash);
	*expires_at = now + ACTIVATION_TTL;
	int rc = store_begin_write(c);
	if (rc)
		return rc;
	bool set;
	rc = activation_password_set(c, user_id, &set);
	if (!rc && set)
		rc = ERR_CONFLICT;
	if (!rc)
		rc = store_run(c, "DELETE FROM activations WHERE user_id = $1 AND used_at IS NULL",
			       "i", user_id);
	struct store_stmt *st;
	if (!rc)
		rc = store_prepare(c,
				   "INSERT INTO activations (token_hash, user_id, created_by, "
				   "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
				   &st);
	if (!rc) {
		store_bind_str(st, 1, hash);
		store_bind_int64(st, 2, user_id);
		store_bind_int64(st, 3, by);
		store_bind_int64(st, 4, now);
		store_bind_int64(st, 5, *expires_at);
		rc = store_step(st);
		rc = rc < 0 ? rc : 0;
	}
	return store_end(c, rc);
}

/* The token's row: state, user and username. */
static int lookup(struct store_conn *c, const char *token, int64_t now, struct arena *a,
		  enum activation_state *state, int64_t *user, const char **username)
{
	*state = ACTIVATION_UNKNOWN;
	if (username)
		*username = NULL;
	if (!token_is_hex(token, ACTIVATION_TOKEN_HEX - 1))
		return 0;
	char hash[TOKEN_HASH_HEX];
	token_hash(token, hash);
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT a.user_id, u.username, a.expires_at, a.used_at FROM "
			       "activations a JOIN users u ON u.id = a.user_id WHERE a.token_hash = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, hash);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : 0;
	*user = store_col_int64(st, 0);
	if (username)
		*username = store_col_strdup(st, 1, a);
	if (!store_col_is_null(st, 3))
		*state = ACTIVATION_USED;
	else if (store_col_int64(st, 2) <= now)
		*state = ACTIVATION_EXPIRED;
	else
		*state = ACTIVATION_VALID;
	store_reset(st);
	return 0;
}

int activation_check(struct store_conn *c, const char *token, int64_t now, struct arena *a,
		     enum activation_state *state, const char **username)
{
	int64_t user = 0;
	return lookup(c, token, now, a, state, &user, username);
}

int activation_set_password(struct store_conn *c, int64_t user_id, const char *hash)
{
	return store_run(c, "UPDATE users SET password_hash = $1 WHERE id = $2", "si", hash,
			 user_id);
}

static int use_tx(struct store_conn *c, const char *token, const char *hash, int64_t now,
		  struct arena *a, enum activation_state *state, const char **username)
{
	int64_t user = 0;
	int rc = lookup(c, token, now, a, state, &user, username);
	if (rc)
		return rc;
	if (*state == ACTIVATION_UNKNOWN)
		return ERR_NOT_FOUND;
	if (*state != ACTIVATION_VALID)
		return ERR_CONFLICT;
	bool set;
	if ((rc = activation_password_set(c, user, &set)))
		return rc;
	if (set) { /* a link from before the account was activated otherwise */
		*state = ACTIVATION_USED;
		return ERR_CONFLICT;
	}
	char th[TOKEN_HASH_HEX];
	token_hash(token, th);
	rc = activation_set_password(c, user, hash);
	if (!rc)
		rc = store_run(c,
			       "UPDATE activations SET used_at = $2 WHERE token_hash = $1 AND "
			       "used_at IS NULL",
			       "si", th, now);
	if (!rc)
		rc = store_run(c, "DELETE FROM sessions WHERE user_id = $1", "i", user);
	return rc;
}

int activation_use(struct store_conn *c, const char *token, const char *password, int64_t now,
		   struct arena *a, enum activation_state *state, const char **username)
{
	*state = ACTIVATION_UNKNOWN;
	int rc = account_password_check(password);
	if (rc)
		return ERR_INVALID;
	/* Check first, so a dead link does not cost an argon2 hash. */
	if ((rc = activation_check(c, token, now, a, state, username)))
		return rc;
	if (*state == ACTIVATION_UNKNOWN)
		return ERR_NOT_FOUND;
	if (*state != ACTIVATION_VALID)
		return ERR_CONFLICT;
	char hash[ACCOUNT_HASH_LEN];
	rc = account_password_hash(password, strlen(password), ACCOUNT_HASH_INTERACTIVE, hash);
	if (rc)
		return rc;
	if ((rc = store_begin_write(c)))
		return rc;
	rc = use_tx(c, token, hash, now, a, state, username);
	sodium_memzero(hash, sizeof hash);
	return store_end(c, rc);
}
