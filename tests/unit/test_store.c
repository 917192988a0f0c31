/* test_store.c: the store API over SQLite, and migrations. */
#include "testutil.h"

#include "base/log.h"

#include "base/err.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char db_path[128];

static void remove_db(void)
{
	char p[160];
	unlink(db_path);
	snprintf(p, sizeof p, "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db_path);
	unlink(p);
}

static int setup(void **state)
{
	static int n;
	snprintf(db_path, sizeof db_path, "/tmp/ibbis-test-store-%d-%d.db", (int)getpid(), n++);
	remove_db();
	struct store *s = NULL;
	char err[256];
	if (store_open(db_path, &s, err, sizeof err) != 0)
		return -1;
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	remove_db();
	return 0;
}

static struct store_conn *conn_of(void **state)
{
	struct store_conn *c = NULL;
	assert_int_equal(store_conn_get(*state, &c), 0);
	return c;
}

/* One integer from a query with no parameters. */
static int64_t query_int(struct store_conn *c, const char *sql)
{
	struct store_stmt *st;
	assert_int_equal(store_prepare(c, sql, &st), 0);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t v = store_col_int64(st, 0);
	store_reset(st);
	return v;
}

static int64_t table_exists(struct store_conn *c, const char *name)
{
	struct store_stmt *st;
	assert_int_equal(
		store_prepare(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
			      &st),
		0);
	assert_int_equal(store_bind_str(st, 1, name), 0);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t v = store_col_int64(st, 0);
	store_reset(st);
	return v;
}

static void test_open_settings(void **state)
{
	struct store_conn *c = conn_of(state);
	assert_string_equal(store_backend_name(*state), "sqlite");
	assert_int_equal(store_ping(*state), 0);
	struct store_stmt *st;
	assert_int_equal(store_prepare(c, "PRAGMA journal_mode", &st), 0);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_col_text(st, 0, NULL), "wal");
	store_reset(st);
	assert_int_equal(query_int(c, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query_int(c, "PRAGMA synchronous"), 2); /* FULL: docs/storage.md */
	/* The lock wait is our own busy handler (no PRAGMA busy_timeout): that
	 * it gives up after the timeout is test_busy_is_unavailable. */
}

static void test_open_postgres_not_yet(void **state)
{
	struct store *s = (void *)1;
	char err[128] = "";
	assert_int_not_equal(store_open("postgres://localhost/ibbis", &s, err, sizeof err), 0);
	assert_null(s);
	assert_true(strlen(err) > 0);
}

static void test_migrate_idempotent(void **state)
{
	struct store_conn *c = conn_of(state);
	int v = -1;
	char err[256];
	assert_int_equal(store_schema_version(c, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(store_migrate(*state, &v, err, sizeof err), 0);
	assert_true(v >= 1);
	assert_int_equal(v, store_latest_version(*state));
	assert_int_equal(table_exists(c, "organisations"), 1);
	assert_int_equal(table_exists(c, "users"), 1);
	assert_int_equal(table_exists(c, "sessions"), 1);
	assert_int_equal(table_exists(c, "login_failures"), 1);
	int64_t rows = query_int(c, "SELECT count(*) FROM schema_version");
	int v2 = -1;
	assert_int_equal(store_migrate(*state, &v2, err, sizeof err), 0);
	assert_int_equal(v2, v);
	assert_int_equal(query_int(c, "SELECT count(*) FROM schema_version"), rows);
}

static void test_migrate_failure_rolls_back(void **state)
{
	log_expect_begin(); /* its error lines are the point */
	struct store_conn *c = conn_of(state);
	const struct store_migration bad[] = {
		{1, "0001_a.sql", "CREATE TABLE a (x INTEGER);"},
		{2, "0002_b.sql", "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1); "
				  "CREATE TABLE oops (;"},
	};
	char err[256] = "";
	int v = -1;
	assert_int_not_equal(store_migrate_list(*state, bad, 2, &v, err, sizeof err), 0);
	assert_int_equal(v, 1);
	assert_non_null(strstr(err, "0002_b.sql"));
	assert_non_null(strstr(err, "syntax error"));
	assert_int_equal(table_exists(c, "a"), 1);
	assert_int_equal(table_exists(c, "b"), 0);
	assert_int_equal(query_int(c, "SELECT count(*) FROM a"), 0);
	assert_int_equal(store_schema_version(c, &v), 0);
	assert_int_equal(v, 1);
	assert_false(store_in_transaction(c));

	const struct store_migration fixed[] = {
		{1, "0001_a.sql", "CREATE TABLE a (x INTEGER);"},
		{2, "0002_b.sql", "CREATE TABLE b (y INTEGER);"},
	};
	assert_int_equal(store_migrate_list(*state, fixed, 2, &v, err, sizeof err), 0);
	assert_int_equal(v, 2);
	assert_int_equal(table_exists(c, "b"), 1);
	log_expect_end();
}

/* A number handed out earlier lands after higher ones: a database already
 * at the higher version still gets it (once), and the version stays. */
static void test_migrate_fills_gap(void **state)
{
	struct store_conn *c = conn_of(state);
	const struct store_migration before[] = {
		{1, "0001_a.sql", "CREATE TABLE a (x INTEGER);"},
		{3, "0003_c.sql", "CREATE TABLE c (z INTEGER);"},
	};
	char err[256] = "";
	int v = -1;
	assert_int_equal(store_migrate_list(*state, before, 2, &v, err, sizeof err), 0);
	assert_int_equal(v, 3);
	const struct store_migration after[] = {
		{1, "0001_a.sql", "CREATE TABLE a (x INTEGER);"},
		{2, "0002_b.sql", "ALTER TABLE a ADD COLUMN y TEXT;"},
		{3, "0003_c.sql", "CREATE TABLE c (z INTEGER);"},
	};
	assert_int_equal(store_migrate_list(*state, after, 3, &v, err, sizeof err), 0);
	assert_int_equal(v, 3);
	assert_int_equal(query_int(c, "SELECT count(*) FROM schema_version WHERE version = 2"), 1);
	assert_int_equal(store_exec(c, "INSERT INTO a (x, y) VALUES (1, 'y')"), 0);
	assert_int_equal(store_migrate_list(*state, after, 3, &v, err, sizeof err), 0);
	assert_int_equal(query_int(c, "SELECT count(*) FROM schema_version"), 3);
}

static void make_table(struct store_conn *c)
{
	assert_int_equal(store_exec(c, "CREATE TABLE t (a INTEGER, b TEXT, c BLOB,"
				       " u TEXT UNIQUE)"),
			 0);
}

static void test_bind_out_of_order(void **state)
{
	log_expect_begin(); /* its error lines are the point */
	struct store_conn *c = conn_of(state);
	make_table(c);
	struct store_stmt *st;
	/* $2 appears first: SQLite would number it 1. */
	assert_int_equal(store_prepare(c, "INSERT INTO t (b, a, c) VALUES ($2, $1, $3)", &st), 0);
	assert_int_equal(store_bind_int64(st, 1, 7), 0);
	assert_int_equal(store_bind_text(st, 2, "sevenXYZ", 5), 0);
	assert_int_equal(store_bind_blob(st, 3, "\x01\x00\x02", 3), 0);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_changes(st), 1);

	assert_int_equal(store_prepare(c, "SELECT a, b, c, u FROM t WHERE b = $1 AND a = $2", &st),
			 0);
	assert_int_equal(store_bind_int64(st, 2, 7), 0);
	assert_int_equal(store_bind_str(st, 1, "seven"), 0);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_col_count(st), 4);
	assert_int_equal(store_col_int64(st, 0), 7);
	size_t n = 0;
	assert_string_equal(store_col_text(st, 1, &n), "seven");
	assert_int_equal(n, 5);
	const unsigned char *blob = store_col_blob(st, 2, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(blob, "\x01\x00\x02", 3);
	assert_true(store_col_is_null(st, 3));
	assert_false(store_col_is_null(st, 0));
	assert_string_equal(store_col_text(st, 3, NULL), "");
	assert_int_equal(store_step(st), STORE_DONE);
	/* A parameter the SQL does not have is a bug, not silence. */
	assert_int_equal(store_bind_int64(st, 3, 1), ERR_INTERNAL);
	log_expect_end();
}

static void test_stmt_cache_reuse(void **state)
{
	struct store_conn *c = conn_of(state);
	make_table(c);
	assert_int_equal(store_exec(c, "INSERT INTO t (a) VALUES (1), (2), (3)"), 0);
	const char *sql = "SELECT a FROM t WHERE a >= $1 ORDER BY a";
	struct store_stmt *st1, *st2;
	assert_int_equal(store_prepare(c, sql, &st1), 0);
	assert_int_equal(store_bind_int64(st1, 1, 2), 0);
	assert_int_equal(store_step(st1), STORE_ROW);
	assert_int_equal(store_col_int64(st1, 0), 2);
	/* A use that stops after a ROW resets (preparing the same SQL while a
	 * statement is mid-row is a bug that store.c asserts against). */
	store_reset(st1);
	/* Same text, same statement: unbound (NULL matches nothing). */
	assert_int_equal(store_prepare(c, sql, &st2), 0);
	assert_ptr_equal(st1, st2);
	assert_int_equal(store_step(st2), STORE_DONE);
	assert_int_equal(store_bind_int64(st2, 1, 1), 0);
	assert_int_equal(store_step(st2), STORE_ROW);
	assert_int_equal(store_col_int64(st2, 0), 1);
	store_reset(st2);
	/* A copy of the text in another buffer still hits the cache. */
	char copy[128];
	memcpy(copy, sql, strlen(sql) + 1);
	assert_int_equal(store_prepare(c, copy, &st2), 0);
	assert_ptr_equal(st1, st2);
	/* Different SQL, different statement. */
	assert_int_equal(store_prepare(c, "SELECT a FROM t", &st2), 0);
	assert_ptr_not_equal(st1, st2);
}

static void test_transactions(void **state)
{
	log_expect_begin(); /* its error lines are the point */
	struct store_conn *c = conn_of(state);
	make_table(c);
	assert_int_equal(store_begin_write(c), 0);
	assert_true(store_in_transaction(c));
	assert_int_equal(store_exec(c, "INSERT INTO t (a) VALUES (1)"), 0);
	assert_int_equal(store_rollback(c), 0);
	assert_false(store_in_transaction(c));
	assert_int_equal(query_int(c, "SELECT count(*) FROM t"), 0);

	assert_int_equal(store_begin_write(c), 0);
	assert_int_equal(store_exec(c, "INSERT INTO t (a) VALUES (2)"), 0);
	assert_int_equal(store_commit(c), 0);
	assert_int_equal(query_int(c, "SELECT count(*) FROM t"), 1);

	/* Nested: an inner rollback dooms the outer transaction. */
	assert_int_equal(store_begin_write(c), 0);
	assert_int_equal(store_exec(c, "INSERT INTO t (a) VALUES (3)"), 0);
	assert_int_equal(store_begin_write(c), 0);
	assert_int_equal(store_rollback(c), 0);
	assert_true(store_in_transaction(c));
	assert_int_equal(store_commit(c), ERR_DB);
	assert_false(store_in_transaction(c));
	assert_int_equal(query_int(c, "SELECT count(*) FROM t"), 1);

	/* A write cannot start inside a read. */
	assert_int_equal(store_begin_read(c), 0);
	assert_int_equal(store_begin_write(c), ERR_INTERNAL);
	/* A statement left mid-result does not block the commit. */
	struct store_stmt *st;
	assert_int_equal(store_prepare(c, "SELECT a FROM t", &st), 0);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_commit(c), 0);
	assert_int_equal(store_commit(c), ERR_INTERNAL); /* none open */
	log_expect_end();
}

static void test_unique_is_conflict(void **state)
{
	log_expect_begin(); /* its error lines are the point */
	struct store_conn *c = conn_of(state);
	make_table(c);
	struct store_stmt *st;
	assert_int_equal(store_prepare(c, "INSERT INTO t (u) VALUES ($1)", &st), 0);
	assert_int_equal(store_bind_str(st, 1, "x"), 0);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_step(st), ERR_CONFLICT); /* bindings kept after DONE */
	assert_int_equal(store_exec(c, "SELEC nonsense"), ERR_DB);
	assert_int_equal(store_prepare(c, "SELECT * FROM no_such_table", &st), ERR_DB);
	log_expect_end();
}

static void test_busy_is_unavailable(void **state)
{
	log_expect_begin(); /* its error lines are the point */
	struct store_conn *c = conn_of(state);
	make_table(c);
	struct store *other = NULL;
	char err[256];
	/* A second store on the same file stands in for another process. */
	assert_int_equal(store_open(db_path, &other, err, sizeof err), 0);
	struct store_conn *c2 = NULL;
	assert_int_equal(store_conn_get(other, &c2), 0);
	assert_ptr_not_equal(c, c2);
	assert_int_equal(store_begin_write(c), 0);
	assert_int_equal(store_begin_write(c2), ERR_UNAVAILABLE); /* after the busy timeout */
	assert_int_equal(store_rollback(c), 0);
	assert_int_equal(store_begin_write(c2), 0);
	assert_int_equal(store_commit(c2), 0);
	store_close(other);
	log_expect_end();
}

struct thread_arg {
	struct store *s;
	struct store_conn *c1, *c2;
	int64_t seen;
};

static void *thread_main(void *p)
{
	struct thread_arg *t = p;
	if (store_conn_get(t->s, &t->c1) != 0 || store_conn_get(t->s, &t->c2) != 0)
		return NULL;
	struct store_stmt *st;
	if (store_prepare(t->c1, "SELECT count(*) FROM t", &st) == 0 &&
	    store_step(st) == STORE_ROW) {
		t->seen = store_col_int64(st, 0);
		store_reset(st);
	}
	return NULL;
}

static void test_conn_per_thread(void **state)
{
	struct store_conn *mine = conn_of(state);
	make_table(mine);
	assert_int_equal(store_exec(mine, "INSERT INTO t (a) VALUES (1), (2)"), 0);
	struct store_conn *again = conn_of(state);
	assert_ptr_equal(mine, again);
	struct thread_arg t = {*state, NULL, NULL, -1};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, thread_main, &t), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_non_null(t.c1);
	assert_ptr_equal(t.c1, t.c2);
	assert_ptr_not_equal(t.c1, mine);
	assert_int_equal(t.seen, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_settings, setup, teardown),
		cmocka_unit_test(test_open_postgres_not_yet),
		cmocka_unit_test_setup_teardown(test_migrate_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_failure_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_fills_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stmt_cache_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unique_is_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_is_unavailable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conn_per_thread, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
