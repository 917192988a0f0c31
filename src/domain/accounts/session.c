/* session.c: database-backed sessions with hashed tokens. */
#include "domain/accounts/session.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/token.h"
#include "store/store.h"

#include <sodium.h>
#include <string.h>

/* Binds $1.. of st in order: strings (NULL binds NULL) and integers by a
 * format of 's' and 'i' characters. */
static int bind_all(struct store_stmt *st, const char *fmt, const char *const *strs,
		    const int64_t *ints)
{
	int rc = 0;
	for (int i = 0; rc == 0 && fmt[i]; i++)
		rc = fmt[i] == 's' ? store_bind_str(st, i + 1, strs[i])
				   : store_bind_int64(st, i + 1, ints[i]);
	return rc;
}

/* The new session is numbered after the account's others; then all but the
 * newest SESSION_MAX_PER_USER end (the oldest first). */
static int create_tx(struct store_conn *c, const char *hash, int64_t user_id, const char *csrf,
		     int64_t now, const char *ip, const char *agent)
{
	int rc = store_run(c,
			   "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
			   "last_seen, ip, agent, n) VALUES ($1, $2, $3, $4, $4, $5, $6, (SELECT "
			   "COALESCE(MAX(n), 0) + 1 FROM sessions WHERE user_id = $2))",
			   "sisiss", hash, user_id, csrf, now, ip, agent);
	if (rc == 0)
		rc = store_run(c,
			       "DELETE FROM sessions WHERE user_id = $1 AND n <= (SELECT "
			       "COALESCE(MAX(n), 0) FROM sessions WHERE user_id = $1) - $2",
			       "ii", user_id, (int64_t)SESSION_MAX_PER_USER);
	return rc;
}

/* The User-Agent cut to SESSION_AGENT_MAX bytes on a character boundary;
 * NULL when absent or not UTF-8 (PostgreSQL refuses such text). */
static const char *agent_cut(const char *agent, char out[SESSION_AGENT_MAX + 1])
{
	if (!agent)
		return NULL;
	size_t n = strlen(agent);
	if (n > SESSION_AGENT_MAX) {
		n = SESSION_AGENT_MAX;
		while (n > 0 && ((unsigned char)agent[n] & 0xC0) == 0x80)
			n--;
	}
	if (!str_valid_utf8(agent, n))
		return NULL;
	memcpy(out, agent, n);
	out[n] = '\0';
	return out;
}

int session_create(struct store_conn *c, int64_t user_id, const char *ip, const char *agent,
		   int64_t now, struct session_new *out)
{
	int rc = account_init();
	if (rc != 0)
		return rc;
	token_random_hex(out->token, SESSION_TOKEN_BYTES);
	token_random_hex(out->csrf, SESSION_TOKEN_BYTES);
	char hash[TOKEN_HASH_HEX], cut[SESSION_AGENT_MAX + 1];
	token_hash(out->token, hash);
	if ((rc = store_begin_write(c)) != 0)
		return rc;
	rc = create_tx(c, hash, user_id, out->csrf, now, ip, agent_cut(agent, cut));
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return store_end(c, rc);
}

static int delete_by_hash(struct store_conn *c, const char *hash)
{
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	return store_end(c, store_run(c, "DELETE FROM sessions WHERE token_hash = $1", "s", hash));
}

static int touch(struct store_conn *c, const char *hash, int64_t now)
{
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	return store_end(c, store_run(c, "UPDATE sessions SET last_seen = $1 WHERE token_hash = $2",
				      "is", now, hash));
}

static int session_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct session *out = elem;
	int rc = account_actor_read(st, 3, a, &out->actor);
	if (rc == 0 && str_copy(out->csrf, sizeof out->csrf, store_col_text(st, 0, NULL)) != 0)
		rc = ERR_DB;
	out->created_at = store_col_int64(st, 1);
	out->last_seen = store_col_int64(st, 2);
	return rc;
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
		rc = store_read_row(st, a, session_row, NULL, out);
	if (rc == ERR_NOT_FOUND)
		rc = ERR_UNAUTHORIZED;
	return store_end(c, rc);
}

int session_lookup(struct store_conn *c, const char *token, int64_t now, int64_t idle_seconds,
		   int64_t lifetime_seconds, struct arena *a, struct session *out)
{
	memset(out, 0, sizeof *out);
	if (!token_is_hex(token, SESSION_TOKEN_HEX - 1))
		return ERR_UNAUTHORIZED;
	char hash[TOKEN_HASH_HEX];
	token_hash(token, hash);
	int rc = load(c, hash, a, out);
	if (rc == 0 && (now - out->last_seen > idle_seconds ||
			now - out->created_at > lifetime_seconds)) {
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
	return store_end(c, rc);
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

int session_list(struct store_conn *c, int64_t user_id, int64_t now, int64_t idle_seconds,
		 int64_t lifetime_seconds, const char *current_token, struct arena *a,
		 struct session_info **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char cur[TOKEN_HASH_HEX] = "";
	if (token_is_hex(current_token, SESSION_TOKEN_HEX - 1))
		token_hash(current_token, cur);
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT n, created_at, last_seen, ip, agent, token_hash FROM sessions "
			       "WHERE user_id = $1 AND last_seen >= $2 AND created_at >= $3 "
			       "ORDER BY n DESC LIMIT $4",
			       &st);
	const int64_t ints[] = {user_id, now - idle_seconds, now - lifetime_seconds,
				SESSION_MAX_PER_USER};
	if (rc == 0)
		rc = bind_all(st, "iiii", NULL, ints);
	if (rc != 0)
		return rc;
	struct session_info *v = arena_alloc(a, SESSION_MAX_PER_USER * sizeof *v);
	while ((rc = store_step(st)) == STORE_ROW && *n < SESSION_MAX_PER_USER) {
		struct session_info *s = &v[(*n)++];
		s->n = store_col_int64(st, 0);
		s->created_at = store_col_int64(st, 1);
		s->last_seen = store_col_int64(st, 2);
		s->ip = store_col_is_null(st, 3) ? NULL : store_col_strdup(st, 3, a);
		s->agent = store_col_is_null(st, 4) ? NULL : store_col_strdup(st, 4, a);
		s->current = str_eq(store_col_text(st, 5, NULL), cur);
	}
	store_reset(st);
	if (rc < 0)
		return rc;
	*out = v;
	return 0;
}

int session_end(struct store_conn *c, int64_t user_id, int64_t n)
{
	struct store_stmt *st;
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	const int64_t ints[] = {user_id, n};
	rc = store_prepare(c, "DELETE FROM sessions WHERE user_id = $1 AND n = $2", &st);
	if (rc == 0)
		rc = bind_all(st, "ii", NULL, ints);
	if (rc == 0)
		rc = store_step(st);
	if (rc >= 0)
		rc = store_changes(st) > 0 ? 0 : ERR_NOT_FOUND;
	return store_end(c, rc);
}
