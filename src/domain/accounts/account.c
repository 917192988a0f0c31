/* account.c: organisations, accounts, argon2id passwords, the actor. */
#include "domain/accounts/account.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "store/store.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

_Static_assert(ACCOUNT_HASH_LEN == crypto_pwhash_STRBYTES, "hash buffer size");

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_SERVICE_USER] = "service_user",
	[ROLE_CARE_MANAGER] = "care_manager",
	[ROLE_EMPLOYMENT_CONSULTANT] = "employment_consultant",
	[ROLE_SUPERVISOR] = "supervisor",
	[ROLE_RESEARCHER] = "researcher",
	[ROLE_ADMIN] = "admin",
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;
/* A hash of a random password, verified against when the user does not
 * exist, so that a wrong username costs as long as a wrong password. */
static char dummy_hash[ACCOUNT_HASH_LEN];

static void init_run(void)
{
	if (sodium_init() < 0) {
		init_rc = ERR_INTERNAL;
		return;
	}
	unsigned char pw[16];
	randombytes_buf(pw, sizeof pw);
	if (crypto_pwhash_str_alg(dummy_hash, (const char *)pw, sizeof pw,
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		init_rc = ERR_NOMEM;
}

int account_init(void)
{
	pthread_once(&init_once, init_run);
	if (init_rc != 0)
		log_error("account: libsodium initialisation failed");
	return init_rc;
}

const char *account_role_name(enum account_role r)
{
	if ((unsigned)r >= ROLE_COUNT)
		return "unknown";
	return role_names[r];
}

int account_role_parse(const char *s, enum account_role *out)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (str_eq(s, role_names[i])) {
			*out = (enum account_role)i;
			return 0;
		}
	return ERR_INVALID;
}

int account_username_check(const char *u)
{
	size_t n = u ? strlen(u) : 0;
	if (n == 0 || n > ACCOUNT_USERNAME_MAX)
		return ERR_INVALID;
	for (size_t i = 0; i < n; i++) {
		char ch = u[i];
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '@' ||
			  ch == '-';
		if (!ok)
			return ERR_INVALID;
	}
	return 0;
}

int account_password_check(const char *pw)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n > ACCOUNT_PASSWORD_MAX || !str_valid_utf8(pw ? pw : "", n))
		return ERR_INVALID;
	size_t chars = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)pw[i] & 0xC0) != 0x80)
			chars++;
	return chars < ACCOUNT_PASSWORD_MIN ? ERR_INVALID : 0;
}

int account_password_hash(const char *pw, size_t len, enum account_hash_cost cost,
			  char out[ACCOUNT_HASH_LEN])
{
	int rc = account_init();
	if (rc != 0)
		return rc;
	unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	if (cost == ACCOUNT_HASH_MIN) {
		ops = crypto_pwhash_OPSLIMIT_MIN;
		mem = crypto_pwhash_MEMLIMIT_MIN;
	}
	if (crypto_pwhash_str_alg(out, pw, len, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		log_error("account: password hashing ran out of memory");
		return ERR_NOMEM;
	}
	return 0;
}

int account_password_verify(const char *hash, const char *pw, size_t len)
{
	if (account_init() != 0)
		return ERR_INTERNAL;
	return crypto_pwhash_str_verify(hash, pw, len) == 0 ? 0 : ERR_UNAUTHORIZED;
}

bool account_password_needs_rehash(const char *hash)
{
	/* -1 (not a valid argon2id string) also means: replace it. */
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

static bool org_kind_valid(const char *k)
{
	return str_eq(k, "health") || str_eq(k, "jobcentre");
}

static bool text_valid(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	return n > 0 && n <= max && str_valid_utf8(s, n);
}

/* Runs a prepared INSERT ... RETURNING id. */
int account_org_create(struct store_conn *c, const char *name, const char *kind, int64_t *id)
{
	if (!text_valid(name, ACCOUNT_NAME_MAX) || !org_kind_valid(kind))
		return ERR_INVALID;
	struct store_stmt *st;
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	rc = store_prepare(c, "INSERT INTO organisations (name, kind) VALUES ($1, $2) RETURNING id",
			   &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, name);
	if (rc == 0)
		rc = store_bind_str(st, 2, kind);
	if (rc == 0)
		rc = store_step_id(st, id);
	return store_end(c, rc);
}

static bool role_needs_org(enum account_role r)
{
	return r != ROLE_ADMIN && r != ROLE_RESEARCHER;
}

static int create_check(const struct account_new *in, bool *has_org)
{
	*has_org = in->org_name && in->org_name[0];
	if (account_username_check(in->username) != 0 || (unsigned)in->role >= ROLE_COUNT)
		return ERR_INVALID;
	if (in->name && !text_valid(in->name, ACCOUNT_NAME_MAX))
		return ERR_INVALID;
	if (in->language && !str_eq(in->language, "en") && !str_eq(in->language, "da"))
		return ERR_INVALID;
	if (!*has_org && role_needs_org(in->role))
		return ERR_INVALID;
	return account_password_check(in->password);
}

static int org_find(struct store_conn *c, const char *name, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT id FROM organisations WHERE name = $1", &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, name);
	return rc ? rc : store_read_int64(st, id);
}

static int insert_user(struct store_conn *c, const struct account_new *in, const char *hash,
		       int64_t org, int64_t now, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO users (username, name, password_hash, role,"
			       " organisation_id, language, created_at, disabled)"
			       " VALUES ($1, $2, $3, $4, $5, $6, $7, 0) RETURNING id",
			       &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, in->username);
	if (rc == 0)
		rc = store_bind_str(st, 2, in->name ? in->name : in->username);
	if (rc == 0)
		rc = store_bind_str(st, 3, hash);
	if (rc == 0)
		rc = store_bind_str(st, 4, account_role_name(in->role));
	if (rc == 0)
		rc = org ? store_bind_int64(st, 5, org) : store_bind_null(st, 5);
	if (rc == 0)
		rc = store_bind_str(st, 6, in->language);
	if (rc == 0)
		rc = store_bind_int64(st, 7, now);
	if (rc == 0)
		rc = store_step_id(st, id);
	return rc;
}

int account_create(struct store_conn *c, const struct account_new *in, int64_t now,
		   int64_t *id)
{
	bool has_org;
	int rc = create_check(in, &has_org);
	if (rc != 0)
		return rc;
	char hash[ACCOUNT_HASH_LEN];
	rc = account_password_hash(in->password, strlen(in->password), in->cost, hash);
	if (rc != 0)
		return rc;
	rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	int64_t org = 0;
	if (has_org)
		rc = org_find(c, in->org_name, &org);
	if (rc == 0)
		rc = insert_user(c, in, hash, org, now, id);
	sodium_memzero(hash, sizeof hash);
	return store_end(c, rc);
}

int account_actor_read(struct store_stmt *st, int first, struct arena *a, struct actor *out)
{
	memset(out, 0, sizeof *out);
	out->id = store_col_int64(st, first);
	out->username = store_col_strdup(st, first + 1, a);
	out->name = store_col_strdup(st, first + 2, a);
	if (account_role_parse(store_col_text(st, first + 3, NULL), &out->role) != 0) {
		log_error("account: user %lld has an unknown role", (long long)out->id);
		return ERR_DB;
	}
	out->org_name = store_col_strdup(st, first + 4, a);
	out->org_kind = store_col_strdup(st, first + 5, a);
	out->language = store_col_strdup(st, first + 6, a);
	out->disabled = store_col_int64(st, first + 7) != 0;
	return 0;
}

/* One read of an actor, in its own read transaction. */
/* An actor from the columns ACCOUNT_ACTOR_COLS; with ud, the password hash
 * after them into ud (ACCOUNT_HASH_LEN bytes). */
static int actor_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	int rc = account_actor_read(st, 0, a, elem);
	if (rc == 0 && ud &&
	    str_copy(ud, ACCOUNT_HASH_LEN, store_col_text(st, ACCOUNT_ACTOR_NCOLS, NULL)) != 0)
		((char *)ud)[0] = '\0'; /* a corrupt hash never verifies */
	return rc;
}

static int actor_query(struct store_conn *c, const char *sql, int64_t id, const char *username,
		       struct arena *a, struct actor *out)
{
	struct store_stmt *st;
	int rc = store_begin_read(c);
	if (rc != 0)
		return rc;
	rc = store_prepare(c, sql, &st);
	if (rc == 0)
		rc = username ? store_bind_str(st, 1, username) : store_bind_int64(st, 1, id);
	if (rc == 0)
		rc = store_read_row(st, a, actor_row, NULL, out);
	return store_end(c, rc);
}

int account_get_by_id(struct store_conn *c, int64_t id, struct arena *a, struct actor *out)
{
	return actor_query(c,
			   "SELECT " ACCOUNT_ACTOR_COLS " FROM users u " ACCOUNT_ACTOR_JOIN
			   "WHERE u.id = $1",
			   id, NULL, a, out);
}

int account_get_by_username(struct store_conn *c, const char *username, struct arena *a,
			    struct actor *out)
{
	if (account_username_check(username) != 0)
		return ERR_NOT_FOUND;
	return actor_query(c,
			   "SELECT " ACCOUNT_ACTOR_COLS " FROM users u " ACCOUNT_ACTOR_JOIN
			   "WHERE u.username = $1",
			   0, username, a, out);
}

/* The actor and their stored hash, or ERR_NOT_FOUND. */
static int load_login(struct store_conn *c, const char *username, struct arena *a,
		      struct actor *out, char hash[ACCOUNT_HASH_LEN])
{
	struct store_stmt *st;
	int rc = store_begin_read(c);
	if (rc != 0)
		return rc;
	rc = store_prepare(c,
			   "SELECT " ACCOUNT_ACTOR_COLS ", u.password_hash FROM users u "
			   ACCOUNT_ACTOR_JOIN "WHERE u.username = $1",
			   &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, username);
	if (rc == 0)
		rc = store_read_row(st, a, actor_row, hash, out);
	return store_end(c, rc);
}

/* Replaces a weak hash; a failure only delays it to the next login. */
static void rehash(struct store_conn *c, int64_t id, const char *old, const char *pw)
{
	char hash[ACCOUNT_HASH_LEN];
	if (account_password_hash(pw, strlen(pw), ACCOUNT_HASH_INTERACTIVE, hash) != 0)
		return;
	struct store_stmt *st;
	int rc = store_begin_write(c);
	if (rc != 0)
		return;
	rc = store_prepare(c,
			   "UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3",
			   &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, hash);
	if (rc == 0)
		rc = store_bind_int64(st, 2, id);
	if (rc == 0)
		rc = store_bind_str(st, 3, old);
	if (rc == 0)
		rc = store_step(st);
	store_end(c, rc < 0 ? rc : 0);
}

int account_authenticate(struct store_conn *c, const char *username, const char *password,
			 struct arena *a, struct actor *out)
{
	int rc = account_init();
	if (rc != 0)
		return rc;
	size_t pwlen = password ? strlen(password) : 0;
	if (!password || pwlen > ACCOUNT_PASSWORD_MAX) {
		account_password_verify(dummy_hash, "", 0);
		return ERR_UNAUTHORIZED;
	}
	char hash[ACCOUNT_HASH_LEN] = "";
	rc = account_username_check(username) == 0 ? load_login(c, username, a, out, hash)
						     : ERR_NOT_FOUND;
	if (rc == ERR_NOT_FOUND) {
		account_password_verify(dummy_hash, password, pwlen);
		return ERR_UNAUTHORIZED;
	}
	if (rc != 0)
		return rc;
	if (account_password_verify(hash, password, pwlen) != 0 || out->disabled) {
		memset(out, 0, sizeof *out);
		return ERR_UNAUTHORIZED;
	}
	if (account_password_needs_rehash(hash))
		rehash(c, out->id, hash, password);
	return 0;
}
