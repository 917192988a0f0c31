/* store.h: one small SQL API over two backends, SQLite (store_sqlite.c) and
 * PostgreSQL (store_pg.c, libpq).
 *
 * Model:
 *  - a struct store is opened once per process from a URL: a file path means
 *    SQLite; "postgres://..." (or "postgresql://...") selects PostgreSQL;
 *  - each thread gets its own connection with store_conn_get (created on
 *    first use, kept for the thread's life, all closed by store_close);
 *  - store_prepare returns a statement from the connection's cache, keyed by
 *    the SQL text: prepared once, reset and unbound before every reuse.
 *    Callers never finalize statements. Do not prepare the same SQL again
 *    while still stepping it (the cache would reset the outer use; an
 *    assert says so): a use that stops after a ROW calls store_reset;
 *  - SQL uses "$1"-style parameters only, bound by their number in any order;
 *  - reads happen inside store_begin_read/store_commit: point reads inside
 *    one transaction are several times faster than in autocommit.
 *
 * Every int function returns 0 or a negative enum err (base/err.h):
 * unique/primary-key violations are ERR_CONFLICT, a database still locked
 * after the busy timeout is ERR_UNAVAILABLE, anything else ERR_DB (logged).
 *
 * Not thread-safe per connection: a connection belongs to one thread. */
#ifndef IBBIS_STORE_H
#define IBBIS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;
struct store_conn;
struct store_stmt;

/* store_step results (errors are negative). */
enum store_step_result { STORE_DONE = 0, STORE_ROW = 1 };

#define STORE_BUSY_TIMEOUT_MS 5000

/* Opens the store. On failure *out is NULL and err holds a message.
 * The calling thread's connection is opened at once, so a bad path fails
 * here. *out: caller frees with store_close. */
int store_open(const char *url, struct store **out, char *err, size_t errsz);
/* Closes every connection. Call only when no other thread uses the store
 * (after the HTTP server has stopped its workers). NULL is ignored. */
void store_close(struct store *s);
/* "sqlite" or "postgres". static */
const char *store_backend_name(const struct store *s);
/* The migrations directory name under sql/ ("sqlite", "pg"). static */
const char *store_dialect(const struct store *s);

/* The calling thread's connection. *out: borrowed, owned by the store. */
int store_conn_get(struct store *s, struct store_conn **out);
struct store *store_conn_store(struct store_conn *c); /* borrowed */

/* *out: borrowed, owned by the connection's cache. */
int store_prepare(struct store_conn *c, const char *sql, struct store_stmt **out);
/* Parameters are numbered as in the SQL: idx 1 is "$1". */
int store_bind_int64(struct store_stmt *st, int idx, int64_t v);
/* s is copied; n bytes (no NUL needed). */
int store_bind_text(struct store_stmt *st, int idx, const char *s, size_t n);
int store_bind_str(struct store_stmt *st, int idx, const char *s); /* NUL-terminated; NULL binds NULL */
int store_bind_null(struct store_stmt *st, int idx);
int store_bind_blob(struct store_stmt *st, int idx, const void *p, size_t n);
/* STORE_ROW, STORE_DONE or a negative err. After DONE or an error the
 * statement is reset (bindings kept), so it may be stepped again. */
int store_step(struct store_stmt *st);
/* Steps an INSERT ... RETURNING id: 0 with *id (id may be NULL), ERR_DB when
 * no row came back, or the error. The statement is reset either way. */
int store_step_id(struct store_stmt *st, int64_t *id);
/* Ends a use early (after a ROW you do not want to read on from). */
int store_reset(struct store_stmt *st);
/* Rows changed by the statement's last completed INSERT/UPDATE/DELETE. */
int64_t store_changes(struct store_stmt *st);

/* Columns count from 0 and are valid until the next step or reset. */
int store_col_count(struct store_stmt *st);
bool store_col_is_null(struct store_stmt *st, int col);
int64_t store_col_int64(struct store_stmt *st, int col);
/* NUL-terminated; "" for NULL. *len may be NULL. borrowed */
const char *store_col_text(struct store_stmt *st, int col, size_t *len);
/* NULL (len 0) for NULL or empty. borrowed */
const void *store_col_blob(struct store_stmt *st, int col, size_t *len);
/* The text copied into the arena; NULL for a NULL column. arena */
char *store_col_strdup(struct store_stmt *st, int col, struct arena *a);

/* Reading rows. A row function fills one element from the current row:
 * it returns 0 to keep the element, STORE_SKIP to leave it out (lists
 * only), or a negative err to stop. ud is passed through. */
#define STORE_SKIP 1
typedef int (*store_row_fn)(struct store_stmt *st, struct arena *a, void *elem, void *ud);
/* Steps a prepared, bound statement that reads at most one row into *elem:
 * 0, ERR_NOT_FOUND when there is no row (or read skips it), or the error.
 * The statement is reset either way. */
int store_read_row(struct store_stmt *st, struct arena *a, store_row_fn read, void *ud,
		   void *elem);
/* The same for a one-column integer (an id, a count): ERR_NOT_FOUND when
 * there is no row. */
int store_read_int64(struct store_stmt *st, int64_t *out);
/* A row function for a one-column text: *(char **)elem, the column 0
 * copied into the arena (NULL for NULL). */
int store_row_text(struct store_stmt *st, struct arena *a, void *elem, void *ud);
/* Steps a prepared, bound statement to its end, each row into a zeroed
 * element of elem_size bytes of an arena array. *(T **)out: the array
 * (arena; NULL when empty), *n: the elements kept; on an error, those read
 * so far. The statement is reset either way. */
int store_read_rows(struct store_stmt *st, struct arena *a, size_t elem_size, store_row_fn read,
		    void *ud, void *out, size_t *n);

/* Transactions nest by flattening: an inner begin/commit only counts depth;
 * an inner rollback makes the outer commit roll back (and return ERR_DB).
 * A write begin inside a read transaction is ERR_INTERNAL.
 * SQLite: read = BEGIN (deferred), write = BEGIN IMMEDIATE. */
int store_begin_read(struct store_conn *c);
int store_begin_write(struct store_conn *c);
int store_commit(struct store_conn *c);
/* Always safe to call; no-op outside a transaction. */
int store_rollback(struct store_conn *c);
bool store_in_transaction(const struct store_conn *c);
/* True inside a write transaction (store_begin_write). */
bool store_in_write_transaction(const struct store_conn *c);

/* Ends the transaction the caller began: commits when rc is 0 (and returns
 * the commit's result), else rolls back and returns rc. */
int store_end(struct store_conn *c, int rc);

/* Runs one cached statement that returns no row (INSERT, UPDATE, DELETE)
 * with $1.. bound in order by fmt: 's' a const char * (NULL binds NULL),
 * 'i' an int64_t. Pass int64_t, never a plain int (the arguments are read
 * with va_arg): cast constants, (int64_t)0. 0 or a negative err. */
int store_run(struct store_conn *c, const char *sql, const char *fmt, ...);

/* Runs parameterless SQL (may hold several statements). Not cached. */
int store_exec(struct store_conn *c, const char *sql);
/* Turns this connection's triggers off or on again: for a trusted bulk
 * insert of new rows (demo-data) that the change stamps need not follow.
 * SQLite only; elsewhere nothing changes. */
int store_set_triggers(struct store_conn *c, bool on);
/* The backend's message for the connection's last error. borrowed */
const char *store_errmsg(struct store_conn *c);

/* A round trip on the calling thread's connection (for /healthz). */
int store_ping(struct store *s);

/* Migrations (store_migrate.c). */
struct store_migration {
	int number;       /* from the file name: 0001_init.sql is 1 */
	const char *name; /* "0001_init.sql"; borrowed */
	const char *sql;  /* borrowed */
};

/* Applies the embedded migrations for the store's dialect
 * (sql/<dialect>/NNNN_*.sql) above the stored version, in order, each in
 * its own transaction with its version row. *version: the version reached
 * (may be NULL). On failure err holds the file name and the database's
 * message, and the failing migration has left nothing behind. */
int store_migrate(struct store *s, int *version, char *err, size_t errsz);
/* The same over an explicit list, sorted by number (for tests and tools). */
int store_migrate_list(struct store *s, const struct store_migration *list, size_t n,
		       int *version, char *err, size_t errsz);
/* The stored schema version; 0 for a new database. */
int store_schema_version(struct store_conn *c, int *version);
/* The highest embedded migration number for the store's dialect. */
int store_latest_version(const struct store *s);

#endif
