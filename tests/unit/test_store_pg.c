/* test_store_pg.c: the store API over PostgreSQL, and the pg migrations.
 *
 * IBBIS_TEST_PG=postgres://... selects a scratch database (scripts/pg.sh
 * start DIR prints one). The test owns the schema "ibbis_unit_test" in it:
 * it is dropped and made again for every test. Without IBBIS_TEST_PG only
 * the check that every SQLite migration has its PostgreSQL twin runs. */
#include "testutil.h"

#include "base/embed.h"
#include "base/err.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *base_url;      /* borrowed: the environment */
static char test_url[1024];       /* base_url with search_path=ibbis_unit_test */
static struct store *admin;       /* owned: resets the schema */

/* Every sql/A/NNNN_x.sql has a twin sql/B/NNNN_x.sql. */
static void check_twins(const char *a, const char *b)
{
	char pa[32], want[512];
	snprintf(pa, sizeof pa, "sql/%s/", a);
	int n = 0;
	for (unsigned i = 0; i < embed_count; i++) {
		const char *p = embed_files[i].path;
		if (strncmp(p, pa, strlen(pa)) != 0)
			continue;
		n++;
		snprintf(want, sizeof want, "sql/%s/%s", b, p + strlen(pa));
		if (!embed_find(want))
			fail_msg("%s has no twin %s (see docs/postgres.md)", p, want);
	}
	assert_true(n >= 2);
}

static void test_migration_twins(void **state)
{
	check_twins("sqlite", "pg");
	check_twins("pg", "sqlite");
}

static int reset_schema(void)
{
	struct store_conn *c;
	if (store_conn_get(admin, &c) != 0)
		return -1;
	return store_exec(c, "DROP SCHEMA IF EXISTS ibbis_unit_test CASCADE;"
			     " CREATE SCHEMA ibbis_unit_test");
}

static int group_setup(void **state)
{
	char err[256];
	if (store_open(base_url, &admin, err, sizeof err) != 0) {
		fprintf(stderr, "test_store_pg: cannot open IBBIS_TEST_PG: %s\n", err);
		return -1;
	}
	snprintf(test_url, sizeof test_url, "%s%coptions=-csearch_path%%3Dibbis_unit_test",
		 base_url, strchr(base_url, '?') ? '&' : '?');
	return 0;
}

static int group_teardown(void **state)
{
	struct store_conn *c;
	if (store_conn_get(admin, &c) == 0)
		store_exec(c, "DROP SCHEMA IF EXISTS ibbis_unit_test CASCADE");
	store_close(admin);
	return 0;
}

static int setup(void **state)
{
	if (reset_schema() != 0)
		return -1;
	struct store *s = NULL;
	char err[256];
	if (store_open(test_url, &s, err, sizeof err) != 0) {
		fprintf(stderr, "test_store_pg: %s\n", err);
		return -1;
	}
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	return 0;
}

static struct store_conn *conn_of(void **state)
{
	struct store_conn *c = NULL;
	assert_int_equal(store_conn_get(*state, &c), 0);
	return c;
}

static int64_t query_int(struct store_conn *c, const char *sql)
{
	struct store_stmt *st;
	assert_int_equal(store_prepare(c, sql, &st), 0);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t v = store_col_int64(st, 0);
	store_reset(st);
	return v;
}

static int64_t query_int_arg(struct store_conn *c, const char *sql, int64_t arg)
{
	struct store_stmt *st;
	assert_int_equal(store_prepare(c, sql, &st), 0);
	assert_int_equal(store_bind_int64(st, 1, arg), 0);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t v = store_col_int64(st, 0);
	store_reset(st);
	return v;
}

static int64_t table_exists(struct store_conn *c, const char *name)
{
	struct store_stmt *st;
	assert_int_equal(store_prepare(c,
				       "SELECT count(*) FROM information_schema.tables"
				       " WHERE table_schema = current_schema() AND table_name = $1",
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
	assert_string_equal(store_backend_name(*state), "postgres");
	assert_string_equal(store_dialect(*state), "pg");
	assert_int_equal(store_ping(*state), 0);
	struct store_stmt *st;
	assert_int_equal(store_prepare(c, "SELECT current_setting('lock_timeout'),"
					  " current_schema(), current_setting('server_encoding')",
				       &st),
			 0);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_col_text(st, 0, NULL), "5s");
	assert_string_equal(store_col_text(st, 1, NULL), "ibbis_unit_test");
	assert_string_equal(store_col_text(st, 2, NULL), "UTF8");
	store_reset(st);
}

static void test_open_refused(void **state)
{
	struct store *s = (void *)1;
	char err[256] = "";
	/* Port 1 on loopback: nothing listens there. */
	assert_int_equal(store_open("postgresql://nobody@127.0.0.1:1/none", &s, err, sizeof err),
			 ERR_UNAVAILABLE);
	assert_null(s);
	assert_non_null(strstr(err, "postgres:"));
}

static void test_migrate_idempotent(void **state)
{
	struct store_conn *c = conn_of(state);
	int v = -1;
	char err[256];
	assert_int_equal(store_schema_version(c, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(store_migrate(*state, &v, err, sizeof err), 0);
	assert_true(v >= 2);
	assert_int_equal(v, store_latest_version(*state));
	const char *tables[] = {"organisations", "users", "sessions", "login_failures", "cases",
				"audit_log", "survey_answers"};
	for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
		assert_int_equal(table_exists(c, tables[i]), 1);
	int64_t rows = query_int(c, "SELECT count(*) FROM schema_version");
	int v2 = -1;
	assert_int_equal(store_migrate(*state, &v2, err, sizeof err), 0);
	assert_int_equal(v2, v);
	assert_int_equal(query_int(c, "SELECT count(*) FROM schema_version"), rows);
	/* 0001 widened applied_at past 2038. */
	assert_int_equal(query_int(c, "SELECT count(*) FROM information_schema.columns"
				      " WHERE table_schema = current_schema() AND"
				      " table_name = 'schema_version' AND column_name = 'applied_at'"
				      " AND data_type = 'bigint'"),
			 1);
}

/* Identity keys come back through RETURNING, as in SQLite. */
static void test_identity_returning(void **state)
{
	struct store_conn *c = conn_of(state);
	char err[256];
	assert_int_equal(store_migrate(*state, NULL, err, sizeof err), 0);
	const char *sql = "INSERT INTO organisations (name, kind) VALUES ($1, $2) RETURNING id";
	struct store_stmt *st;
	int64_t ids[2];
	const char *names[2] = {"A", "B"};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(store_prepare(c, sql, &st), 0);
		assert_int_equal(store_bind_str(st, 2, "health"), 0);
		assert_int_equal(store_bind_str(st, 1, names[i]), 0);
		assert_int_equal(store_step(st), STORE_ROW);
		ids[i] = store_col_int64(st, 0);
		assert_int_equal(store_changes(st), 1);
		assert_int_equal(store_step(st), STORE_DONE);
	}
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 2);
	/* A CHECK violation is a plain database error. */
	assert_int_equal(store_prepare(c, sql, &st), 0);
	assert_int_equal(store_bind_str(st, 1, "C"), 0);
	assert_int_equal(store_bind_str(st, 2, "bakery"), 0);
	assert_int_equal(store_step(st), ERR_DB);
}

static void test_audit_append_only(void **state)
{
	struct store_conn *c = conn_of(state);
	char err[256];
	assert_int_equal(store_migrate(*state, NULL, err, sizeof err), 0);
	assert_int_equal(store_exec(c, "INSERT INTO audit_log (at, actor_role, action, prev_hash,"
				       " hash) VALUES (1, 'admin', 'view', '', 'h1')"),
			 0);
	assert_int_equal(store_exec(c, "UPDATE audit_log SET action = 'edit'"), ERR_DB);
	assert_non_null(strstr(store_errmsg(c), "append-only"));
	assert_int_equal(store_exec(c, "DELETE FROM audit_log"), ERR_DB);
	assert_int_equal(store_exec(c, "TRUNCATE audit_log"), ERR_DB);
	assert_int_equal(query_int(c, "SELECT count(*) FROM audit_log WHERE action = 'view'"), 1);
}

static void test_migrate_failure_rolls_back(void **state)
{
	struct store_conn *c = conn_of(state);
	const struct store_migration bad[] = {
		{1, "0001_a.sql", "CREATE TABLE a (x BIGINT);"},
		{2, "0002_b.sql", "CREATE TABLE b (y BIGINT); INSERT INTO a VALUES (1); "
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
	/* A statement that fails while running (not parsing) also undoes the
	 * statements before it in the same file. */
	const struct store_migration bad2[] = {
		{2, "0002_c.sql", "CREATE TABLE c (z BIGINT); INSERT INTO a VALUES (1);"
				  " INSERT INTO a VALUES ('not a number');"},
	};
	assert_int_not_equal(store_migrate_list(*state, bad2, 1, &v, err, sizeof err), 0);
	assert_int_equal(table_exists(c, "c"), 0);
	assert_int_equal(query_int(c, "SELECT count(*) FROM a"), 0);

	const struct store_migration fixed[] = {
		{1, "0001_a.sql", "CREATE TABLE a (x BIGINT);"},
		{2, "0002_b.sql", "CREATE TABLE b (y BIGINT);"},
	};
	assert_int_equal(store_migrate_list(*state, fixed, 2, &v, err, sizeof err), 0);
	assert_int_equal(v, 2);
	assert_int_equal(table_exists(c, "b"), 1);
}

static void make_table(struct store_conn *c)
{
	assert_int_equal(store_exec(c, "CREATE TABLE t (a BIGINT, b TEXT, c BYTEA,"
				       " u TEXT UNIQUE)"),
			 0);
}

static void test_bind_out_of_order(void **state)
{
	struct store_conn *c = conn_of(state);
	make_table(c);
	struct store_stmt *st;
	assert_int_equal(store_prepare(c, "INSERT INTO t (b, a, c) VALUES ($2, $1, $3)", &st), 0);
	assert_int_equal(store_bind_int64(st, 1, -9007199254740993LL), 0);
	assert_int_equal(store_bind_text(st, 2, "sevenXYZ", 5), 0);
	assert_int_equal(store_bind_blob(st, 3, "\x01\x00\x02\\x", 5), 0);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_changes(st), 1);

	assert_int_equal(store_prepare(c, "SELECT a, b, c, u FROM t WHERE b = $1 AND a = $2", &st),
			 0);
	assert_int_equal(store_bind_int64(st, 2, -9007199254740993LL), 0);
	assert_int_equal(store_bind_str(st, 1, "seven"), 0);
	assert_int_equal(store_col_count(st), 4);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_true(store_col_int64(st, 0) == -9007199254740993LL);
	size_t n = 0;
	assert_string_equal(store_col_text(st, 1, &n), "seven");
	assert_int_equal(n, 5);
	const unsigned char *blob = store_col_blob(st, 2, &n);
	assert_int_equal(n, 5);
	assert_memory_equal(blob, "\x01\x00\x02\\x", 5);
	assert_true(store_col_is_null(st, 3));
	assert_false(store_col_is_null(st, 0));
	assert_string_equal(store_col_text(st, 3, NULL), "");
	assert_null(store_col_blob(st, 3, &n));
	assert_int_equal(n, 0);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_bind_int64(st, 3, 1), ERR_INTERNAL);
	assert_int_equal(store_bind_int64(st, 0, 1), ERR_INTERNAL);
}

static void test_stmt_cache_reuse(void **state)
{
	struct store_conn *c = conn_of(state);
	make_table(c);
	assert_int_equal(store_exec(c, "INSERT INTO t (a) VALUES (1), (2), (3)"), 0);
	const char *count_sql = "SELECT count(*) FROM pg_prepared_statements";
	const char *sql = "SELECT a FROM t WHERE a >= $1 ORDER BY a";
	struct store_stmt *st1, *st2;
	assert_int_equal(store_prepare(c, sql, &st1), 0);
	int64_t prepared = query_int(c, count_sql);
	assert_int_equal(store_bind_int64(st1, 1, 2), 0);
	assert_int_equal(store_step(st1), STORE_ROW);
	assert_int_equal(store_col_int64(st1, 0), 2);
	/* A use that stops after a ROW resets (preparing the same SQL while a
	 * statement is mid-row is a bug that store.c asserts against). */
	store_reset(st1);
	assert_int_equal(store_prepare(c, sql, &st2), 0);
	assert_ptr_equal(st1, st2);
	assert_int_equal(store_step(st2), STORE_DONE); /* unbound: NULL matches nothing */
	assert_int_equal(store_bind_int64(st2, 1, 1), 0);
	assert_int_equal(store_step(st2), STORE_ROW);
	assert_int_equal(store_col_int64(st2, 0), 1);
	assert_int_equal(store_step(st2), STORE_ROW);
	assert_int_equal(store_col_int64(st2, 0), 2);
	store_reset(st2);
	char copy[128];
	memcpy(copy, sql, strlen(sql) + 1);
	assert_int_equal(store_prepare(c, copy, &st2), 0);
	assert_ptr_equal(st1, st2);
	/* Reuse prepared nothing new on the server. */
	assert_int_equal(query_int(c, count_sql), prepared);
	assert_int_equal(store_prepare(c, "SELECT a FROM t", &st2), 0);
	assert_ptr_not_equal(st1, st2);
	assert_int_equal(query_int(c, count_sql), prepared + 1);
}

static void test_transactions(void **state)
{
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

	assert_int_equal(store_begin_write(c), 0);
	assert_int_equal(store_exec(c, "INSERT INTO t (a) VALUES (3)"), 0);
	assert_int_equal(store_begin_write(c), 0);
	assert_int_equal(store_rollback(c), 0);
	assert_true(store_in_transaction(c));
	assert_int_equal(store_commit(c), ERR_DB);
	assert_false(store_in_transaction(c));
	assert_int_equal(query_int(c, "SELECT count(*) FROM t"), 1);

	/* PostgreSQL aborts the transaction at an error: the commit fails. */
	assert_int_equal(store_begin_write(c), 0);
	assert_int_equal(store_exec(c, "INSERT INTO t (a) VALUES (4)"), 0);
	assert_int_equal(store_exec(c, "INSERT INTO t (a) VALUES ('x')"), ERR_DB);
	assert_int_equal(store_commit(c), ERR_DB);
	assert_false(store_in_transaction(c));
	assert_int_equal(query_int(c, "SELECT count(*) FROM t"), 1);

	assert_int_equal(store_begin_read(c), 0);
	assert_int_equal(store_begin_write(c), ERR_INTERNAL);
	struct store_stmt *st;
	assert_int_equal(store_prepare(c, "SELECT a FROM t", &st), 0);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_commit(c), 0);
	assert_int_equal(store_commit(c), ERR_INTERNAL);
}

static void test_unique_is_conflict(void **state)
{
	struct store_conn *c = conn_of(state);
	make_table(c);
	struct store_stmt *st;
	assert_int_equal(store_prepare(c, "INSERT INTO t (u) VALUES ($1)", &st), 0);
	assert_int_equal(store_bind_str(st, 1, "x"), 0);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_step(st), ERR_CONFLICT);
	assert_int_equal(store_exec(c, "SELEC nonsense"), ERR_DB);
	assert_non_null(strstr(store_errmsg(c), "syntax error"));
	assert_int_equal(store_prepare(c, "SELECT * FROM no_such_table", &st), ERR_DB);
}

/* A row lock held past the lock timeout (as SQLite's busy timeout). */
static void test_lock_wait_is_unavailable(void **state)
{
	struct store_conn *c = conn_of(state);
	make_table(c);
	assert_int_equal(store_exec(c, "INSERT INTO t (a) VALUES (1)"), 0);
	struct store *other = NULL;
	char err[256];
	assert_int_equal(store_open(test_url, &other, err, sizeof err), 0);
	struct store_conn *c2 = NULL;
	assert_int_equal(store_conn_get(other, &c2), 0);
	assert_int_equal(store_begin_write(c), 0);
	assert_int_equal(store_exec(c, "UPDATE t SET a = 2"), 0);
	assert_int_equal(store_begin_write(c2), 0);
	time_t t0 = time(NULL);
	assert_int_equal(store_exec(c2, "UPDATE t SET a = 3"), ERR_UNAVAILABLE);
	assert_true(time(NULL) - t0 >= 4);
	assert_int_equal(store_rollback(c2), 0);
	assert_int_equal(store_commit(c), 0);
	assert_int_equal(query_int(c, "SELECT a FROM t"), 2);
	store_close(other);
}

/* Ends c's server process from another connection and waits for it. */
static void kill_backend(struct store_conn *c)
{
	int64_t pid = query_int(c, "SELECT pg_backend_pid()");
	struct store_conn *ac;
	assert_int_equal(store_conn_get(admin, &ac), 0);
	assert_int_equal(query_int_arg(ac, "SELECT pg_terminate_backend($1::int)::int", pid), 1);
	for (int i = 0; i < 500; i++) {
		if (query_int_arg(ac, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid) ==
		    0)
			return;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	fail_msg("backend %lld did not exit", (long long)pid);
}

static void test_reconnect(void **state)
{
	struct store_conn *c = conn_of(state);
	make_table(c);
	int64_t pid = query_int(c, "SELECT pg_backend_pid()");
	kill_backend(c);
	/* The first use finds the connection gone ... */
	assert_int_equal(store_ping(*state), ERR_UNAVAILABLE);
	/* ... the next reconnects, and cached statements are prepared again. */
	assert_int_equal(store_ping(*state), 0);
	int64_t pid2 = query_int(c, "SELECT pg_backend_pid()");
	assert_true(pid2 != pid);
	assert_int_equal(query_int(c, "SELECT count(*) FROM t"), 0);

	/* Inside a transaction: the transaction is lost, the rollback is
	 * quiet, and the connection comes back after it. */
	assert_int_equal(store_begin_write(c), 0);
	kill_backend(c);
	assert_int_equal(store_exec(c, "INSERT INTO t (a) VALUES (1)"), ERR_UNAVAILABLE);
	assert_int_equal(store_exec(c, "INSERT INTO t (a) VALUES (1)"), ERR_UNAVAILABLE);
	assert_int_equal(store_rollback(c), 0);
	assert_int_equal(query_int(c, "SELECT count(*) FROM t"), 0);

	/* A BEGIN on a lost connection is retried at once: no error at all. */
	kill_backend(c);
	assert_int_equal(store_begin_read(c), 0);
	assert_int_equal(query_int(c, "SELECT count(*) FROM t"), 0);
	assert_int_equal(store_commit(c), 0);
}

struct thread_arg {
	struct store *s;
	struct store_conn *c1, *c2;
	int64_t seen, pid;
};

static void *thread_main(void *p)
{
	struct thread_arg *t = p;
	if (store_conn_get(t->s, &t->c1) != 0 || store_conn_get(t->s, &t->c2) != 0)
		return NULL;
	struct store_stmt *st;
	if (store_prepare(t->c1, "SELECT count(*), pg_backend_pid() FROM t", &st) == 0 &&
	    store_step(st) == STORE_ROW) {
		t->seen = store_col_int64(st, 0);
		t->pid = store_col_int64(st, 1);
		store_reset(st);
	}
	return NULL;
}

static void test_conn_per_thread(void **state)
{
	struct store_conn *mine = conn_of(state);
	make_table(mine);
	assert_int_equal(store_exec(mine, "INSERT INTO t (a) VALUES (1), (2)"), 0);
	assert_ptr_equal(mine, conn_of(state));
	struct thread_arg t = {*state, NULL, NULL, -1, -1};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, thread_main, &t), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_non_null(t.c1);
	assert_ptr_equal(t.c1, t.c2);
	assert_ptr_not_equal(t.c1, mine);
	assert_int_equal(t.seen, 2);
	assert_true(t.pid > 0 && t.pid != query_int(mine, "SELECT pg_backend_pid()"));
}

int main(void)
{
	const struct CMUnitTest always[] = {
		cmocka_unit_test(test_migration_twins),
		cmocka_unit_test(test_open_refused),
	};
	base_url = getenv("IBBIS_TEST_PG");
	if (!base_url || !*base_url) {
		printf("test_store_pg: IBBIS_TEST_PG is not set: PostgreSQL tests skipped "
		       "(scripts/pg.sh start DIR prints a URL)\n");
		return cmocka_run_group_tests(always, NULL, NULL);
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migration_twins),
		cmocka_unit_test(test_open_refused),
		cmocka_unit_test_setup_teardown(test_open_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identity_returning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_failure_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stmt_cache_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unique_is_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_wait_is_unavailable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conn_per_thread, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
