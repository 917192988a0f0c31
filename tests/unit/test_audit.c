/* test_audit.c: the group-commit writer keeps every entry, in one intact
 * chain, with several threads recording at once; audit_flush waits for
 * them; a changed entry is found by audit_verify at its id; the chain is
 * keyed (another key does not verify it); a chain from before keying is
 * accepted at the start only; a log that cannot be written refuses the
 * answers held for it after AUDIT_FAIL_HOLD_MS, and new ones at once, until
 * it is written again (no entry dropped). */
#include "testutil.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/err.h"
#include "store/store.h"

#define THREADS 4
#define PER_THREAD 500

static struct store *st;
static char dbpath[256];

static void *recorder(void *arg)
{
	struct store_conn *c;
	if (store_conn_get(st, &c))
		return NULL;
	long t = (long)(intptr_t)arg;
	for (int i = 0; i < PER_THREAD; i++) {
		struct audit_entry e = {.at = 1700000000 + i, .actor_id = t + 1,
					.actor_role = "care_manager", .actor_name = "Tester",
					.actor_org = "Org", .case_id = 1, .item = "note:1",
					.category = "clinical", .action = "read"};
		audit_record(c, &e);
	}
	return NULL;
}

static int count_rows(struct store_conn *c)
{
	struct store_stmt *s;
	assert_int_equal(store_prepare(c, "SELECT count(*) FROM audit_log", &s), 0);
	assert_int_equal(store_step(s), STORE_ROW);
	int n = (int)store_col_int64(s, 0);
	store_reset(s);
	return n;
}

static void test_group_commit_keeps_every_entry(void **state)
{
	(void)state;
	char err[256];
	snprintf(dbpath, sizeof dbpath, "/tmp/ibbis-test-audit-%d.db", (int)getpid());
	unlink(dbpath);
	assert_int_equal(store_open(dbpath, &st, err, sizeof err), 0);
	assert_int_equal(store_migrate(st, NULL, err, sizeof err), 0);
	unsigned char key[AUDIT_MASTER_KEY_BYTES];
	memset(key, 7, sizeof key);
	audit_set_key(key);
	assert_int_equal(audit_start(st, 0), 0);
	pthread_t th[THREADS];
	for (long t = 0; t < THREADS; t++)
		pthread_create(&th[t], NULL, recorder, (void *)(intptr_t)t);
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	assert_int_equal(audit_flush(), 0);
	struct store_conn *c;
	assert_int_equal(store_conn_get(st, &c), 0);
	assert_int_equal(count_rows(c), THREADS * PER_THREAD); /* none dropped */
	struct audit_walk wk = {0};
	assert_int_equal(audit_verify(c, &wk), 0);
	assert_int_equal(wk.checked, THREADS * PER_THREAD);
	assert_int_equal(wk.legacy, 0);

	/* Another key does not verify the chain: it is keyed. */
	unsigned char other[AUDIT_MASTER_KEY_BYTES];
	memset(other, 8, sizeof other);
	audit_set_key(other);
	assert_int_equal(audit_verify(c, &wk), ERR_INVALID);
	assert_int_equal(wk.bad_id, 1);
	audit_set_key(key);
	audit_stop();

	/* Change entry 17 behind the triggers' back: verify names it. */
	assert_int_equal(store_exec(c, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET "
				       "actor_name = 'Someone else' WHERE id = 17"),
			 0);
	assert_int_equal(audit_verify(c, &wk), ERR_INVALID);
	assert_int_equal(wk.bad_id, 17);
	assert_int_equal(wk.checked, 16);
	store_close(st);
	unlink(dbpath);
}

/* What a held answer was told, and when. */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool woken;
	int rc;
} held = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0};

static void held_wake(void *arg, int rc)
{
	(void)arg;
	pthread_mutex_lock(&held.mu);
	held.woken = true;
	held.rc = rc;
	pthread_cond_signal(&held.cv);
	pthread_mutex_unlock(&held.mu);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Records one read's entry, holds on it and waits (at most 10 s) for the
 * wake; returns its rc and the seconds it took. */
static int hold_one(struct store_conn *c, double *secs)
{
	struct audit_entry e = {.at = 1700000000, .actor_id = 1, .actor_role = "care_manager",
				.actor_name = "Tester", .actor_org = "Org", .case_id = 1,
				.item = "note:1", .category = "clinical", .action = "read"};
	assert_int_equal(audit_record(c, &e), 0);
	uint64_t ticket = audit_take_mine();
	assert_true(ticket > 0);
	double t0 = now_s();
	pthread_mutex_lock(&held.mu);
	held.woken = false;
	pthread_mutex_unlock(&held.mu);
	audit_when_committed(ticket, held_wake, NULL);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&held.mu);
	while (!held.woken)
		if (pthread_cond_timedwait(&held.cv, &held.mu, &until) != 0)
			break;
	assert_true(held.woken);
	int rc = held.rc;
	pthread_mutex_unlock(&held.mu);
	*secs = now_s() - t0;
	return rc;
}

static void test_failing_log_refuses_held_answers(void **state)
{
	(void)state;
	char err[256];
	snprintf(dbpath, sizeof dbpath, "/tmp/ibbis-test-audit-fail-%d.db", (int)getpid());
	unlink(dbpath);
	assert_int_equal(store_open(dbpath, &st, err, sizeof err), 0);
	assert_int_equal(store_migrate(st, NULL, err, sizeof err), 0);
	unsigned char key[AUDIT_MASTER_KEY_BYTES];
	memset(key, 7, sizeof key);
	audit_set_key(key);
	assert_int_equal(audit_start(st, 0), 0);
	struct store_conn *c;
	assert_int_equal(store_conn_get(st, &c), 0);

	double secs;
	assert_int_equal(hold_one(c, &secs), 0); /* a working log: the answer leaves */

	/* Every append fails now, as on a full disk. */
	assert_int_equal(store_exec(c, "CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log "
				       "BEGIN SELECT RAISE(ABORT, 'no room'); END"),
			 0);
	assert_int_equal(hold_one(c, &secs), ERR_UNAVAILABLE);
	assert_true(secs >= AUDIT_FAIL_HOLD_MS / 1000.0 - 0.1);
	assert_true(secs < AUDIT_FAIL_HOLD_MS / 1000.0 + 2.0);
	/* While it fails, a new hold is refused at once. */
	assert_int_equal(hold_one(c, &secs), ERR_UNAVAILABLE);
	assert_true(secs < 0.5);

	/* Room again: the queued entries go in, answers leave again. */
	assert_int_equal(store_exec(c, "DROP TRIGGER fail_audit"), 0);
	assert_int_equal(audit_flush(), 0);
	assert_int_equal(hold_one(c, &secs), 0);
	audit_stop();
	assert_int_equal(count_rows(c), 4); /* none dropped */
	struct audit_walk wk = {0};
	assert_int_equal(audit_verify(c, &wk), 0);
	store_close(st);
	unlink(dbpath);
}

/* Plain-hash entries (as written before the chain was keyed), by hand:
 * BLAKE2b(prev || canonical entry) as audit.c builds it. */
static void plain_insert(struct store_conn *c, int64_t at, const char *prev, char out[65])
{
	char canon[256];
	snprintf(canon, sizeof canon, "%s%lld;0;6:system;0:;0:;0;0:;0:;4:test;0:;0;", prev,
		 (long long)at);
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)canon, strlen(canon), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
	char sql[512];
	snprintf(sql, sizeof sql,
		 "INSERT INTO audit_log (at, actor_role, actor_name, actor_org, item, category, "
		 "action, purpose, break_glass, prev_hash, hash) VALUES (%lld, 'system', '', '', "
		 "'', '', 'test', '', 0, '%s', '%s')",
		 (long long)at, prev, out);
	assert_int_equal(store_exec(c, sql), 0);
}

static void test_legacy_chain_then_keyed(void **state)
{
	(void)state;
	char err[256];
	snprintf(dbpath, sizeof dbpath, "/tmp/ibbis-test-audit-l-%d.db", (int)getpid());
	unlink(dbpath);
	assert_int_equal(store_open(dbpath, &st, err, sizeof err), 0);
	assert_int_equal(store_migrate(st, NULL, err, sizeof err), 0);
	struct store_conn *c;
	assert_int_equal(store_conn_get(st, &c), 0);
	char h1[65], h2[65], h3[65];
	plain_insert(c, 100, "0000000000000000000000000000000000000000000000000000000000000000", h1);
	plain_insert(c, 101, h1, h2);
	unsigned char key[AUDIT_MASTER_KEY_BYTES];
	memset(key, 9, sizeof key);
	audit_set_key(key);
	struct audit_walk wk = {0};
	assert_int_equal(audit_verify(c, &wk), 0); /* a legacy chain verifies */
	assert_int_equal(wk.legacy, 2);
	struct audit_entry e = {.at = 102, .actor_role = "system", .action = "test"};
	assert_int_equal(store_begin_write(c), 0);
	assert_int_equal(audit_append_now(c, &e), 0); /* keyed from here on */
	assert_int_equal(store_commit(c), 0);
	assert_int_equal(audit_verify(c, &wk), 0);
	assert_int_equal(wk.checked, 3);
	assert_int_equal(wk.legacy, 2);
	/* A plain entry after a keyed one is a forgery. */
	char head[65];
	struct store_stmt *q;
	assert_int_equal(store_prepare(c, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", &q), 0);
	assert_int_equal(store_step(q), STORE_ROW);
	snprintf(head, sizeof head, "%s", store_col_text(q, 0, NULL));
	store_reset(q);
	plain_insert(c, 103, head, h3);
	assert_int_equal(audit_verify(c, &wk), ERR_INVALID);
	assert_int_equal(wk.bad_id, 4);
	store_close(st);
	unlink(dbpath);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_commit_keeps_every_entry),
		cmocka_unit_test(test_legacy_chain_then_keyed),
		cmocka_unit_test(test_failing_log_refuses_held_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
