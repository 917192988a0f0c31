/* test_account.c: accounts, passwords, sessions, CSRF and the login rate
 * limit, against a temporary SQLite database. */
#include "testutil.h"

#include "base/arena.h"
#include "base/err.h"
#include "domain/accounts/account.h"
#include "domain/accounts/ratelimit.h"
#include "domain/accounts/session.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define T0 1700000000 /* an arbitrary "now" */

struct fx {
	struct store *s;
	struct store_conn *c;
	struct arena a;
	char path[128];
};

static void remove_db(const char *path)
{
	char p[160];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static int setup(void **state)
{
	static int n;
	static struct fx f;
	memset(&f, 0, sizeof f);
	snprintf(f.path, sizeof f.path, "/tmp/ibbis-test-account-%d-%d.db", (int)getpid(), n++);
	remove_db(f.path);
	char err[256];
	if (store_open(f.path, &f.s, err, sizeof err) != 0 ||
	    store_migrate(f.s, NULL, err, sizeof err) != 0 || store_conn_get(f.s, &f.c) != 0)
		return -1;
	if (account_org_create(f.c, "Region Health", "health", NULL) != 0 ||
	    account_org_create(f.c, "Jobcentre Aarhus", "jobcentre", NULL) != 0)
		return -1;
	arena_init(&f.a);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	arena_release(&f->a);
	store_close(f->s);
	remove_db(f->path);
	return 0;
}

static int64_t add_user(struct fx *f, const char *username, enum account_role role,
			const char *org, const char *pw)
{
	struct account_new in = {.username = username, .role = role, .org_name = org,
				 .password = pw, .cost = ACCOUNT_HASH_MIN};
	int64_t id = 0;
	assert_int_equal(account_create(f->c, &in, T0, &id), 0);
	assert_true(id > 0);
	return id;
}

/* The stored password hash of a user, copied to out. */
static void stored_hash(struct fx *f, int64_t id, char out[ACCOUNT_HASH_LEN])
{
	struct store_stmt *st;
	assert_int_equal(store_prepare(f->c, "SELECT password_hash FROM users WHERE id = $1", &st),
			 0);
	assert_int_equal(store_bind_int64(st, 1, id), 0);
	assert_int_equal(store_step(st), STORE_ROW);
	snprintf(out, ACCOUNT_HASH_LEN, "%s", store_col_text(st, 0, NULL));
	store_reset(st);
}

static void test_roles(void **state)
{
	enum account_role r;
	const char *ids[] = {"service_user", "care_manager", "employment_consultant",
			     "supervisor",   "researcher",   "admin"};
	for (int i = 0; i < 6; i++) {
		assert_int_equal(account_role_parse(ids[i], &r), 0);
		assert_string_equal(account_role_name(r), ids[i]);
	}
	assert_int_equal(account_role_parse("root", &r), ERR_INVALID);
	assert_int_equal(account_role_parse("Admin", &r), ERR_INVALID);
	assert_int_equal(account_role_parse(NULL, &r), ERR_INVALID);
}

static void test_org_create(void **state)
{
	struct fx *f = *state;
	int64_t id = 0;
	assert_int_equal(account_org_create(f->c, "Region Health", "health", &id), ERR_CONFLICT);
	assert_int_equal(account_org_create(f->c, "Somewhere", "school", &id), ERR_INVALID);
	assert_int_equal(account_org_create(f->c, "", "health", &id), ERR_INVALID);
	assert_int_equal(account_org_create(f->c, "Jobcentre Odense", "jobcentre", &id), 0);
	assert_int_equal(id, 3); /* the third organisation */
}

static void test_create_and_get(void **state)
{
	struct fx *f = *state;
	struct account_new in = {.username = "cm.hansen", .name = "Mette Hansen",
				 .role = ROLE_CARE_MANAGER, .org_name = "Region Health",
				 .language = "da", .password = "correct horse",
				 .cost = ACCOUNT_HASH_MIN};
	int64_t id = 0;
	assert_int_equal(account_create(f->c, &in, T0, &id), 0);
	struct actor a;
	assert_int_equal(account_get_by_username(f->c, "cm.hansen", &f->a, &a), 0);
	assert_int_equal(a.id, id);
	assert_string_equal(a.username, "cm.hansen");
	assert_string_equal(a.name, "Mette Hansen");
	assert_int_equal(a.role, ROLE_CARE_MANAGER);
	assert_string_equal(a.org_name, "Region Health");
	assert_string_equal(a.org_kind, "health");
	assert_string_equal(a.language, "da");
	assert_false(a.disabled);
	struct actor b;
	assert_int_equal(account_get_by_id(f->c, id, &f->a, &b), 0);
	assert_string_equal(b.username, "cm.hansen");
	assert_int_equal(account_get_by_id(f->c, id + 100, &f->a, &b), ERR_NOT_FOUND);
	assert_int_equal(account_get_by_username(f->c, "nobody", &f->a, &b), ERR_NOT_FOUND);

	/* Without a name the username stands in; no language chosen. */
	int64_t ec = add_user(f, "ec.jensen", ROLE_EMPLOYMENT_CONSULTANT, "Jobcentre Aarhus",
			      "password8");
	assert_int_equal(account_get_by_id(f->c, ec, &f->a, &b), 0);
	assert_string_equal(b.name, "ec.jensen");
	assert_string_equal(b.org_kind, "jobcentre");
	assert_null(b.language);
}

static void test_create_rules(void **state)
{
	struct fx *f = *state;
	struct account_new in = {.username = "x", .role = ROLE_CARE_MANAGER,
				 .org_name = "Region Health", .password = "longenough",
				 .cost = ACCOUNT_HASH_MIN};
	int64_t id;
	in.username = "dup";
	assert_int_equal(account_create(f->c, &in, T0, &id), 0);
	assert_int_equal(account_create(f->c, &in, T0, &id), ERR_CONFLICT);
	in.username = "no-org";
	in.org_name = NULL;
	assert_int_equal(account_create(f->c, &in, T0, &id), ERR_INVALID);
	in.org_name = "No Such Org";
	assert_int_equal(account_create(f->c, &in, T0, &id), ERR_NOT_FOUND);
	/* admin and researcher may have no organisation */
	in.org_name = NULL;
	in.role = ROLE_ADMIN;
	assert_int_equal(account_create(f->c, &in, T0, &id), 0);
	struct actor a;
	assert_int_equal(account_get_by_id(f->c, id, &f->a, &a), 0);
	assert_null(a.org_name);
	assert_null(a.org_kind);
	in.username = "res";
	in.role = ROLE_RESEARCHER;
	assert_int_equal(account_create(f->c, &in, T0, &id), 0);
	in.username = "bad role";
	assert_int_equal(account_create(f->c, &in, T0, &id), ERR_INVALID); /* space */
	in.username = "r2";
	in.role = ROLE_COUNT;
	assert_int_equal(account_create(f->c, &in, T0, &id), ERR_INVALID);
	in.role = ROLE_ADMIN;
	in.language = "de";
	assert_int_equal(account_create(f->c, &in, T0, &id), ERR_INVALID);
	in.language = NULL;
	in.password = "seven77"; /* 7 characters */
	assert_int_equal(account_create(f->c, &in, T0, &id), ERR_INVALID);
	/* 7 characters in 14 bytes is still too short; 8 in 16 is enough */
	assert_int_equal(account_password_check("\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa6"),
			 ERR_INVALID);
	assert_int_equal(
		account_password_check("\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa6\xc3\xb8"),
		0);
	assert_int_equal(account_password_check("12345678"), 0);
	assert_int_equal(account_password_check(""), ERR_INVALID);
}

static void test_password_hash(void **state)
{
	char weak[ACCOUNT_HASH_LEN], strong[ACCOUNT_HASH_LEN];
	assert_int_equal(account_password_hash("s3cret-pw", 9, ACCOUNT_HASH_MIN, weak), 0);
	assert_true(strncmp(weak, "$argon2id$", 10) == 0);
	assert_int_equal(account_password_verify(weak, "s3cret-pw", 9), 0);
	assert_int_equal(account_password_verify(weak, "s3cret-pX", 9), ERR_UNAUTHORIZED);
	assert_int_equal(account_password_verify(weak, "s3cret-p", 8), ERR_UNAUTHORIZED);
	assert_true(account_password_needs_rehash(weak));
	assert_int_equal(account_password_hash("s3cret-pw", 9, ACCOUNT_HASH_INTERACTIVE, strong),
			 0);
	assert_false(account_password_needs_rehash(strong));
	assert_int_equal(account_password_verify(strong, "s3cret-pw", 9), 0);
	/* salted: the same password twice gives two different strings */
	char again[ACCOUNT_HASH_LEN];
	assert_int_equal(account_password_hash("s3cret-pw", 9, ACCOUNT_HASH_MIN, again), 0);
	assert_string_not_equal(weak, again);
}

static void test_authenticate_and_rehash(void **state)
{
	struct fx *f = *state;
	int64_t id = add_user(f, "su.larsen", ROLE_SERVICE_USER, "Jobcentre Aarhus", "my password");
	char before[ACCOUNT_HASH_LEN], after[ACCOUNT_HASH_LEN];
	stored_hash(f, id, before);
	assert_true(account_password_needs_rehash(before)); /* created with the minimum */
	struct actor a;
	assert_int_equal(account_authenticate(f->c, "su.larsen", "wrong password", &f->a, &a),
			 ERR_UNAUTHORIZED);
	stored_hash(f, id, after);
	assert_string_equal(before, after); /* a failure rehashes nothing */
	assert_int_equal(account_authenticate(f->c, "su.larsen", "my password", &f->a, &a), 0);
	assert_int_equal(a.id, id);
	assert_int_equal(a.role, ROLE_SERVICE_USER);
	stored_hash(f, id, after);
	assert_string_not_equal(before, after);
	assert_false(account_password_needs_rehash(after));
	assert_int_equal(account_password_verify(after, "my password", 11), 0);
	/* the new hash still logs in */
	assert_int_equal(account_authenticate(f->c, "su.larsen", "my password", &f->a, &a), 0);

	assert_int_equal(account_authenticate(f->c, "nobody", "my password", &f->a, &a),
			 ERR_UNAUTHORIZED);
	assert_int_equal(account_authenticate(f->c, "bad name!", "my password", &f->a, &a),
			 ERR_UNAUTHORIZED);
	assert_int_equal(account_set_disabled(f->c, id, true, NULL), 0);
	assert_int_equal(account_authenticate(f->c, "su.larsen", "my password", &f->a, &a),
			 ERR_UNAUTHORIZED);
	assert_int_equal(account_set_disabled(f->c, id + 1000, true, NULL), ERR_NOT_FOUND);
}

static bool all_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

static int64_t count_where_hash(struct fx *f, const char *hash)
{
	struct store_stmt *st;
	assert_int_equal(
		store_prepare(f->c, "SELECT count(*) FROM sessions WHERE token_hash = $1", &st), 0);
	assert_int_equal(store_bind_str(st, 1, hash), 0);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t n = store_col_int64(st, 0);
	store_reset(st);
	return n;
}

static void test_session_create_stores_hash(void **state)
{
	struct fx *f = *state;
	int64_t id = add_user(f, "cm1", ROLE_CARE_MANAGER, "Region Health", "password1");
	struct session_new s1, s2;
	assert_int_equal(session_create(f->c, id, "127.0.0.1", NULL, T0, &s1), 0);
	assert_true(all_hex(s1.token, 64));
	assert_true(all_hex(s1.csrf, 64));
	assert_string_not_equal(s1.token, s1.csrf);
	assert_int_equal(session_create(f->c, id, NULL, NULL, T0, &s2), 0);
	assert_string_not_equal(s1.token, s2.token);
	/* The table holds BLAKE2b-256(token) in hex, never the token. */
	unsigned char h[32];
	char hex[65];
	crypto_generichash(h, 32, (const unsigned char *)s1.token, 64, NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, 32);
	assert_int_equal(count_where_hash(f, hex), 1);
	assert_int_equal(count_where_hash(f, s1.token), 0);
}

static int64_t last_seen(struct fx *f)
{
	struct store_stmt *st;
	assert_int_equal(store_prepare(f->c, "SELECT max(last_seen) FROM sessions", &st), 0);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t v = store_col_int64(st, 0);
	store_reset(st);
	return v;
}

static void test_session_lookup_idle(void **state)
{
	struct fx *f = *state;
	int64_t id = add_user(f, "ec1", ROLE_EMPLOYMENT_CONSULTANT, "Jobcentre Aarhus",
			      "password1");
	struct session_new sn;
	struct session s;
	assert_int_equal(session_create(f->c, id, NULL, NULL, T0, &sn), 0);
	assert_int_equal(session_lookup(f->c, sn.token, T0 + 10, SESSION_IDLE_DEFAULT, SESSION_LIFETIME_DEFAULT, &f->a, &s),
			 0);
	assert_int_equal(s.actor.id, id);
	assert_string_equal(s.actor.username, "ec1");
	assert_string_equal(s.actor.org_kind, "jobcentre");
	assert_string_equal(s.csrf, sn.csrf);
	assert_int_equal(last_seen(f), T0); /* under a minute: no write */
	assert_int_equal(session_lookup(f->c, sn.token, T0 + 60, SESSION_IDLE_DEFAULT, SESSION_LIFETIME_DEFAULT, &f->a, &s),
			 0);
	assert_int_equal(last_seen(f), T0 + 60);
	/* 30 minutes idle exactly is still alive; one second more is not. */
	assert_int_equal(session_lookup(f->c, sn.token, T0 + 60 + 1800, 1800, SESSION_LIFETIME_DEFAULT, &f->a, &s), 0);
	assert_int_equal(last_seen(f), T0 + 1860);
	assert_int_equal(session_lookup(f->c, sn.token, T0 + 1860 + 1801, 1800, SESSION_LIFETIME_DEFAULT, &f->a, &s),
			 ERR_UNAUTHORIZED);
	/* ... and the expired session is gone for good */
	assert_int_equal(session_lookup(f->c, sn.token, T0 + 1861, 1800, SESSION_LIFETIME_DEFAULT, &f->a, &s),
			 ERR_UNAUTHORIZED);
	/* malformed tokens */
	assert_int_equal(session_lookup(f->c, "abc", T0, 1800, SESSION_LIFETIME_DEFAULT, &f->a, &s), ERR_UNAUTHORIZED);
	assert_int_equal(session_lookup(f->c, NULL, T0, 1800, SESSION_LIFETIME_DEFAULT, &f->a, &s), ERR_UNAUTHORIZED);
	char upper[65];
	assert_int_equal(session_create(f->c, id, NULL, NULL, T0, &sn), 0);
	memcpy(upper, sn.token, sizeof upper);
	for (int i = 0; i < 64; i++)
		if (upper[i] >= 'a')
			upper[i] = (char)(upper[i] - 'a' + 'A');
	assert_int_equal(session_lookup(f->c, upper, T0, 1800, SESSION_LIFETIME_DEFAULT, &f->a, &s), ERR_UNAUTHORIZED);
}

static void test_session_destroy(void **state)
{
	struct fx *f = *state;
	int64_t u1 = add_user(f, "sup1", ROLE_SUPERVISOR, "Region Health", "password1");
	int64_t u2 = add_user(f, "sup2", ROLE_SUPERVISOR, "Region Health", "password2");
	struct session_new a, b, c;
	struct session s;
	assert_int_equal(session_create(f->c, u1, NULL, NULL, T0, &a), 0);
	assert_int_equal(session_create(f->c, u1, NULL, NULL, T0, &b), 0);
	assert_int_equal(session_create(f->c, u2, NULL, NULL, T0, &c), 0);
	assert_int_equal(session_destroy(f->c, a.token), 0);
	assert_int_equal(session_lookup(f->c, a.token, T0, 1800, SESSION_LIFETIME_DEFAULT, &f->a, &s), ERR_UNAUTHORIZED);
	assert_int_equal(session_lookup(f->c, b.token, T0, 1800, SESSION_LIFETIME_DEFAULT, &f->a, &s), 0);
	assert_int_equal(session_destroy(f->c, a.token), 0); /* twice is fine */
	assert_int_equal(session_destroy_user(f->c, u1), 0);
	assert_int_equal(session_lookup(f->c, b.token, T0, 1800, SESSION_LIFETIME_DEFAULT, &f->a, &s), ERR_UNAUTHORIZED);
	assert_int_equal(session_lookup(f->c, c.token, T0, 1800, SESSION_LIFETIME_DEFAULT, &f->a, &s), 0);
	/* disabling an account ends its sessions */
	assert_int_equal(account_set_disabled(f->c, u2, true, NULL), 0);
	assert_int_equal(session_lookup(f->c, c.token, T0, 1800, SESSION_LIFETIME_DEFAULT, &f->a, &s), ERR_UNAUTHORIZED);
}

/* A session ends 12 hours after login however active it is; exactly at
 * the lifetime it still lives. */
static void test_session_lifetime(void **state)
{
	struct fx *f = *state;
	int64_t id = add_user(f, "cm9", ROLE_CARE_MANAGER, "Region Health", "password1");
	struct session_new sn;
	struct session s;
	assert_int_equal(session_create(f->c, id, NULL, NULL, T0, &sn), 0);
	for (int64_t t = T0 + 1200; t <= T0 + 12 * 3600; t += 1200)
		assert_int_equal(session_lookup(f->c, sn.token, t, 1800, 12 * 3600, &f->a, &s), 0);
	assert_int_equal(session_lookup(f->c, sn.token, T0 + 12 * 3600 + 1, 1800, 12 * 3600, &f->a,
					&s),
			 ERR_UNAUTHORIZED);
	/* a shorter lifetime from the flag */
	assert_int_equal(session_create(f->c, id, NULL, NULL, T0, &sn), 0);
	assert_int_equal(session_lookup(f->c, sn.token, T0 + 601, 1800, 600, &f->a, &s),
			 ERR_UNAUTHORIZED);
}

/* The 21st session of one account ends its first; other accounts keep
 * theirs. The list shows the live ones, the newest first, and ending one
 * by its number ends only that one. */
static void test_session_cap_list_end(void **state)
{
	struct fx *f = *state;
	int64_t u = add_user(f, "su1", ROLE_CARE_MANAGER, "Region Health", "password1");
	int64_t other = add_user(f, "su2", ROLE_CARE_MANAGER, "Region Health", "password1");
	struct session_new sn[21], o;
	struct session s;
	assert_int_equal(session_create(f->c, other, NULL, NULL, T0, &o), 0);
	for (int i = 0; i < 21; i++)
		assert_int_equal(session_create(f->c, u, "10.0.0.1", i == 20 ? "Firefox" : NULL, T0,
						&sn[i]),
				 0);
	assert_int_equal(session_lookup(f->c, sn[0].token, T0, 1800, 3600, &f->a, &s),
			 ERR_UNAUTHORIZED);
	for (int i = 1; i < 21; i++)
		assert_int_equal(session_lookup(f->c, sn[i].token, T0, 1800, 3600, &f->a, &s), 0);
	assert_int_equal(session_lookup(f->c, o.token, T0, 1800, 3600, &f->a, &s), 0);
	struct session_info *v;
	size_t n;
	assert_int_equal(session_list(f->c, u, T0, 1800, 3600, sn[5].token, &f->a, &v, &n), 0);
	assert_int_equal(n, 20);
	assert_int_equal(v[0].n, 21);
	assert_string_equal(v[0].agent, "Firefox");
	assert_string_equal(v[0].ip, "10.0.0.1");
	assert_int_equal(v[19].n, 2);
	assert_true(v[15].current); /* number 6 is sn[5] */
	assert_false(v[0].current);
	assert_int_equal(session_end(f->c, u, 6), 0);
	assert_int_equal(session_end(f->c, u, 6), ERR_NOT_FOUND);
	assert_int_equal(session_end(f->c, other, 7), ERR_NOT_FOUND); /* not theirs */
	assert_int_equal(session_lookup(f->c, sn[5].token, T0, 1800, 3600, &f->a, &s),
			 ERR_UNAUTHORIZED);
	assert_int_equal(session_lookup(f->c, sn[6].token, T0, 1800, 3600, &f->a, &s), 0);
	/* past the lifetime, none is listed */
	assert_int_equal(session_list(f->c, u, T0 + 3601, 1800, 3600, NULL, &f->a, &v, &n), 0);
	assert_int_equal(n, 0);
}

static void test_csrf_compare(void **state)
{
	const char *t = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char same[65], diff[65];
	memcpy(same, t, 65);
	memcpy(diff, t, 65);
	diff[63] = '0';
	assert_true(session_csrf_equal(t, same));
	assert_false(session_csrf_equal(t, diff));
	assert_false(session_csrf_equal(t, "0123"));
	assert_false(session_csrf_equal(t, ""));
	assert_false(session_csrf_equal(t, NULL));
	assert_false(session_csrf_equal(NULL, t));
	assert_false(session_csrf_equal("", ""));
}

static void test_ratelimit_user(void **state)
{
	struct fx *f = *state;
	int64_t wait = -1;
	/* four failures, a minute apart from T0: still allowed */
	for (int i = 0; i < 4; i++)
		assert_int_equal(ratelimit_fail(f->c, "alice", "10.0.0.1", T0 + 60 * i), 0);
	assert_int_equal(ratelimit_check(f->c, "alice", "10.0.0.1", T0 + 240, &wait), 0);
	assert_int_equal(wait, 0);
	/* the fifth closes the window, which opened at T0 and lasts 900 s */
	assert_int_equal(ratelimit_fail(f->c, "alice", "10.0.0.1", T0 + 240), 0);
	assert_int_equal(ratelimit_check(f->c, "alice", "10.0.0.2", T0 + 300, &wait),
			 ERR_RATE_LIMITED);
	assert_int_equal(wait, 600);
	assert_int_equal(ratelimit_check(f->c, "alice", NULL, T0 + 899, &wait), ERR_RATE_LIMITED);
	assert_int_equal(wait, 1);
	/* another username from the same address is not limited (5 < 20) */
	assert_int_equal(ratelimit_check(f->c, "bob", "10.0.0.1", T0 + 300, &wait), 0);
	/* the window ends at T0 + 900 */
	assert_int_equal(ratelimit_check(f->c, "alice", NULL, T0 + 900, &wait), 0);
	/* a failure after the window starts a new count of one */
	assert_int_equal(ratelimit_fail(f->c, "alice", NULL, T0 + 900), 0);
	assert_int_equal(ratelimit_check(f->c, "alice", NULL, T0 + 901, &wait), 0);
}

static void test_ratelimit_success_clears(void **state)
{
	struct fx *f = *state;
	int64_t wait;
	for (int i = 0; i < 4; i++)
		assert_int_equal(ratelimit_fail(f->c, "carol", NULL, T0), 0);
	assert_int_equal(ratelimit_success(f->c, "carol"), 0);
	/* four more would have made eight: still allowed after the reset */
	for (int i = 0; i < 4; i++)
		assert_int_equal(ratelimit_fail(f->c, "carol", NULL, T0 + 1), 0);
	assert_int_equal(ratelimit_check(f->c, "carol", NULL, T0 + 2, &wait), 0);
	assert_int_equal(ratelimit_fail(f->c, "carol", NULL, T0 + 2), 0);
	assert_int_equal(ratelimit_check(f->c, "carol", NULL, T0 + 3, &wait), ERR_RATE_LIMITED);
	assert_int_equal(wait, 898); /* window opened at T0 + 1 */
}

static void test_ratelimit_ip(void **state)
{
	struct fx *f = *state;
	int64_t wait;
	char name[32];
	/* 19 failures from one address, each for a different username */
	for (int i = 0; i < 19; i++) {
		snprintf(name, sizeof name, "user%d", i);
		assert_int_equal(ratelimit_fail(f->c, name, "192.0.2.7", T0 + i), 0);
	}
	assert_int_equal(ratelimit_check(f->c, "dave", "192.0.2.7", T0 + 30, &wait), 0);
	assert_int_equal(ratelimit_fail(f->c, "user19", "192.0.2.7", T0 + 30), 0);
	assert_int_equal(ratelimit_check(f->c, "dave", "192.0.2.7", T0 + 30, &wait),
			 ERR_RATE_LIMITED);
	assert_int_equal(wait, 870);
	assert_int_equal(ratelimit_check(f->c, "dave", "192.0.2.8", T0 + 30, &wait), 0);
	/* a success clears the username, not the address */
	assert_int_equal(ratelimit_success(f->c, "user19"), 0);
	assert_int_equal(ratelimit_check(f->c, "user19", "192.0.2.7", T0 + 31, &wait),
			 ERR_RATE_LIMITED);
	assert_int_equal(ratelimit_purge(f->c, T0 + 900), 0);
	assert_int_equal(ratelimit_check(f->c, "dave", "192.0.2.7", T0 + 31, &wait), 0);
}

int main(void)
{
	if (account_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test_setup_teardown(test_org_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_and_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_rules, setup, teardown),
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test_setup_teardown(test_authenticate_and_rehash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_create_stores_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_lookup_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_lifetime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_cap_list_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_destroy, setup, teardown),
		cmocka_unit_test(test_csrf_compare),
		cmocka_unit_test_setup_teardown(test_ratelimit_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ratelimit_success_clears, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ratelimit_ip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
