/* reset.c: self-service password reset links. */
#include "domain/messages/reset.h"

#include <sodium.h>
#include <string.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/accounts/activation.h"
#include "domain/accounts/token.h"
#include "domain/messages/outbox.h"
#include "store/store.h"

/* The one enabled account with an address that `who` names (a username,
 * or an address held by exactly one account); 0 when none. */
static int find(struct store_conn *c, const char *who, int64_t *user)
{
	*user = 0;
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT id FROM users WHERE disabled = 0 AND email IS NOT NULL AND "
			       "(username = $1 OR lower(email) = lower($1)) ORDER BY id LIMIT 2",
			       &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, who);
	int64_t found[2] = {0, 0};
	int n = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (n < 2)
			found[n] = store_col_int64(st, 0);
		n++;
	}
	if (rc < 0)
		return rc;
	if (n == 1)
		*user = found[0];
	return 0;
}

int reset_request(struct store_conn *c, const char *who, int64_t now)
{
	if (!who || !*who || strlen(who) > OUTBOX_EMAIL_MAX)
		return 0;
	int rc = store_begin_write(c);
	if (rc)
		return rc;
	int64_t user;
	rc = find(c, who, &user);
	if (!rc && user) {
		char token[RESET_TOKEN_HEX], hash[TOKEN_HASH_HEX], params[128];
		token_random_hex(token, RESET_TOKEN_BYTES);
		token_hash(token, hash);
		rc = store_run(c, "DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL",
			       "i", user);
		struct store_stmt *st;
		if (!rc)
			rc = store_prepare(c,
					   "INSERT INTO password_resets (token_hash, user_id, "
					   "created_at, expires_at) VALUES ($1, $2, $3, $4)",
					   &st);
		if (!rc) {
			store_bind_str(st, 1, hash);
			store_bind_int64(st, 2, user);
			store_bind_int64(st, 3, now);
			store_bind_int64(st, 4, now + RESET_TTL);
			rc = store_step(st);
			rc = rc < 0 ? rc : 0;
		}
		/* The link travels once, in the message; the row forgets it when sent. */
		str_fmt(params, sizeof params, "{\"token\": \"%s\"}", token);
		if (!rc)
			rc = outbox_add_user(c, user, OUTBOX_TOPIC_NONE, "password_reset", params,
					     NULL, now);
		sodium_memzero(token, sizeof token);
		sodium_memzero(params, sizeof params);
	}
	return store_end(c, rc);
}

struct found {
	int64_t user;
	const char *username; /* arena; NULL when no arena was given */
};

static int found_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct found *f = elem;
	f->user = store_col_int64(st, 0);
	f->username = a ? store_col_strdup(st, 1, a) : NULL;
	return 0;
}

static int lookup(struct store_conn *c, const char *token, int64_t now, struct arena *a,
		  int64_t *user, const char **username)
{
	*user = 0;
	if (!token || !token_is_hex(token, RESET_TOKEN_HEX - 1))
		return ERR_NOT_FOUND;
	char hash[TOKEN_HASH_HEX];
	token_hash(token, hash);
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT r.user_id, u.username FROM password_resets r JOIN users u "
			       "ON u.id = r.user_id WHERE r.token_hash = $1 AND r.used_at IS NULL "
			       "AND r.expires_at > $2 AND u.disabled = 0",
			       &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, hash);
	store_bind_int64(st, 2, now);
	struct found f;
	if ((rc = store_read_row(st, username ? a : NULL, found_row, NULL, &f)))
		return rc;
	*user = f.user;
	if (username)
		*username = f.username;
	return 0;
}

int reset_check(struct store_conn *c, const char *token, int64_t now, struct arena *a,
		const char **username)
{
	int64_t user;
	return lookup(c, token, now, a, &user, username);
}

/* The audit entry: on the person's case, so their access log shows it. */
static int audit_reset(struct store_conn *c, int64_t user, const char *username, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT u.role, u.name, COALESCE((SELECT max(id) FROM cases WHERE "
			       "person_id = u.id), 0) FROM users u WHERE u.id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, user);
	if ((rc = store_step(st)) != STORE_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	struct arena a;
	arena_init(&a);
	struct audit_entry e = {.at = now,
				.actor_id = user,
				.actor_role = store_col_strdup(st, 0, &a),
				.actor_name = store_col_strdup(st, 1, &a),
				.actor_org = "",
				.case_id = store_col_int64(st, 2),
				.item = "account",
				.category = "core",
				.action = "password_reset"};
	store_reset(st);
	(void)username;
	rc = audit_record(c, &e);
	arena_release(&a);
	return rc;
}

int reset_use(struct store_conn *c, const char *token, const char *password, int64_t now,
	      struct arena *a, const char **username)
{
	if (account_password_check(password))
		return ERR_INVALID;
	int64_t user;
	int rc = lookup(c, token, now, a, &user, username);
	if (rc)
		return rc;
	char hash[ACCOUNT_HASH_LEN], th[TOKEN_HASH_HEX];
	rc = account_password_hash(password, strlen(password), ACCOUNT_HASH_INTERACTIVE, hash);
	if (rc)
		return rc;
	token_hash(token, th);
	if ((rc = store_begin_write(c)) == 0) {
		/* Used once: the UPDATE wins only while the link is still unused. */
		struct store_stmt *st;
		rc = store_prepare(c,
				   "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 "
				   "AND used_at IS NULL AND expires_at > $2",
				   &st);
		if (!rc) {
			store_bind_str(st, 1, th);
			store_bind_int64(st, 2, now);
			rc = store_step(st);
			rc = rc < 0 ? rc : store_changes(st) == 1 ? 0 : ERR_NOT_FOUND;
		}
		if (!rc)
			rc = activation_set_password(c, user, hash);
		if (!rc)
			rc = store_run(c, "DELETE FROM sessions WHERE user_id = $1", "i", user);
		if (!rc)
			rc = audit_reset(c, user, username ? *username : NULL, now);
		rc = store_end(c, rc);
	}
	sodium_memzero(hash, sizeof hash);
	return rc;
}
