/* ratelimit.c: login failures per username and per address, in the
 * database. The window and limits live in ratelimit.h only. */
#include "domain/accounts/ratelimit.h"

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

#include <string.h>

#define KEY_SIZE (RATELIMIT_KEY_MAX + 8)

/* "prefix:value", value cut to RATELIMIT_KEY_MAX bytes on a UTF-8 boundary. */
static void make_key(char out[KEY_SIZE], const char *prefix, const char *value)
{
	size_t n = strlen(value);
	if (n > RATELIMIT_KEY_MAX) {
		n = RATELIMIT_KEY_MAX;
		while (n > 0 && ((unsigned char)value[n] & 0xC0) == 0x80)
			n--;
	}
	str_fmt(out, KEY_SIZE, "%s:%.*s", prefix, (int)n, value);
}

/* elem: int64_t[2], the count and the window's start. */
static int failures_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	int64_t *v = elem;
	v[0] = store_col_int64(st, 0);
	v[1] = store_col_int64(st, 1);
	return 0;
}

/* Seconds until key's window ends if it is at its limit, else 0. */
static int blocked_for(struct store_conn *c, const char *key, int64_t max, int64_t now,
		       int64_t *wait)
{
	struct store_stmt *st;
	*wait = 0;
	int rc = store_prepare(c, "SELECT count, window_start FROM login_failures WHERE key = $1",
			       &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, key);
	int64_t v[2];
	if (rc == 0)
		rc = store_read_row(st, NULL, failures_row, NULL, v);
	if (rc)
		return rc == ERR_NOT_FOUND ? 0 : rc;
	int64_t count = v[0];
	int64_t end = v[1] + RATELIMIT_WINDOW;
	if (count >= max && end > now)
		*wait = end - now;
	return 0;
}

int ratelimit_check(struct store_conn *c, const char *username, const char *ip, int64_t now,
		    int64_t *retry_after)
{
	char key[KEY_SIZE];
	int64_t wu = 0, wi = 0;
	*retry_after = 0;
	int rc = store_begin_read(c);
	if (rc != 0)
		return rc;
	if (username) {
		make_key(key, "user", username);
		rc = blocked_for(c, key, RATELIMIT_USER_MAX, now, &wu);
	}
	if (rc == 0 && ip) {
		make_key(key, "ip", ip);
		rc = blocked_for(c, key, RATELIMIT_IP_MAX, now, &wi);
	}
	rc = store_end(c, rc);
	if (rc != 0)
		return rc;
	*retry_after = wu > wi ? wu : wi;
	return *retry_after > 0 ? ERR_RATE_LIMITED : 0;
}

/* One more failure for key: a new window when none is open. */
static int count_failure(struct store_conn *c, const char *key, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(
		c,
		"INSERT INTO login_failures (key, count, window_start) VALUES ($1, 1, $2)"
		" ON CONFLICT (key) DO UPDATE SET"
		" count = CASE WHEN login_failures.window_start + $3 <= $2 THEN 1"
		" ELSE login_failures.count + 1 END,"
		" window_start = CASE WHEN login_failures.window_start + $3 <= $2 THEN $2"
		" ELSE login_failures.window_start END",
		&st);
	if (rc == 0)
		rc = store_bind_str(st, 1, key);
	if (rc == 0)
		rc = store_bind_int64(st, 2, now);
	if (rc == 0)
		rc = store_bind_int64(st, 3, RATELIMIT_WINDOW);
	if (rc == 0)
		rc = store_step(st);
	return rc;
}

int ratelimit_fail(struct store_conn *c, const char *username, const char *ip, int64_t now)
{
	char key[KEY_SIZE];
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	if (username) {
		make_key(key, "user", username);
		rc = count_failure(c, key, now);
	}
	if (rc == 0 && ip) {
		make_key(key, "ip", ip);
		rc = count_failure(c, key, now);
	}
	return store_end(c, rc);
}

int ratelimit_success(struct store_conn *c, const char *username)
{
	if (!username)
		return 0;
	char key[KEY_SIZE];
	make_key(key, "user", username);
	struct store_stmt *st;
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	rc = store_prepare(c, "DELETE FROM login_failures WHERE key = $1", &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, key);
	if (rc == 0)
		rc = store_step(st);
	return store_end(c, rc);
}

int ratelimit_purge(struct store_conn *c, int64_t now)
{
	struct store_stmt *st;
	int rc = store_begin_write(c);
	if (rc != 0)
		return rc;
	/* The cut-off is computed here: "$1 - $2" has no type in PostgreSQL. */
	rc = store_prepare(c, "DELETE FROM login_failures WHERE window_start <= $1", &st);
	if (rc == 0)
		rc = store_bind_int64(st, 1, now - RATELIMIT_WINDOW);
	if (rc == 0)
		rc = store_step(st);
	return store_end(c, rc);
}
