/* test_audit.c: the group-commit writer keeps every entry, in one intact
 * chain, with several threads recording at once; audit_flush waits for
 * them; a changed entry is found by audit_verify at its id. */
#include "testutil.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	int64_t checked = 0, bad = 0;
	assert_int_equal(audit_verify(c, &checked, &bad), 0);
	assert_int_equal(checked, THREADS * PER_THREAD);
	audit_stop();

	/* Change entry 17 behind the triggers' back: verify names it. */
	assert_int_equal(store_exec(c, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET "
				       "actor_name = 'Someone else' WHERE id = 17"),
			 0);
	assert_int_equal(audit_verify(c, &checked, &bad), ERR_INVALID);
	assert_int_equal(bad, 17);
	assert_int_equal(checked, 16);
	store_close(st);
	unlink(dbpath);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_commit_keeps_every_entry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
