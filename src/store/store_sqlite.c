/* store_sqlite.c: the SQLite backend.
 *
 * Every connection: WAL journal, synchronous=FULL (a commit is on disk
 * before the caller answers: docs/storage.md), foreign keys on and a
 * busy handler with a timeout. Connections are opened NOMUTEX: each belongs to one thread.
 * SQLite reads "$1" as a named parameter numbered by first appearance, so
 * binds go through sqlite3_bind_parameter_index(stmt, "$N"). */
#include "store/store_impl.h"

#include "base/err.h"
#include "base/log.h"
#include "base/str.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The statements every transaction runs, prepared once per connection:
 * sqlite3_exec would parse them on every request. */
static const char *const tx_sql[] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};
#define TX_N (sizeof tx_sql / sizeof tx_sql[0])

struct sqlite_conn {
	struct store_conn base; /* first */
	sqlite3 *db;            /* owned */
	sqlite3_stmt *tx[TX_N]; /* owned, prepared on first use; tx_sql order */
	int64_t changes_at_begin; /* sqlite3_total_changes64 at BEGIN IMMEDIATE */
};

struct sqlite_stmt {
	struct store_stmt base; /* first */
	sqlite3_stmt *st;       /* owned */
};

static sqlite3 *conn_db(struct store_conn *c)
{
	return ((struct sqlite_conn *)c)->db;
}

static sqlite3_stmt *stmt_of(struct store_stmt *st)
{
	return ((struct sqlite_stmt *)st)->st;
}

/* The disk is full: set at the first write that found no room (one line in
 * the log), cleared by the first write committed after it (another line).
 * Process-wide: every connection writes to the same files. */
static atomic_bool disk_full;

static bool is_disk_full(sqlite3 *db, int rc)
{
	int prim = rc & 0xff;
	return prim == SQLITE_FULL || (prim == SQLITE_IOERR && sqlite3_system_errno(db) == ENOSPC);
}

/* Maps a result code to enum err and logs the database's message. A full
 * disk is ERR_UNAVAILABLE (503): the writes fail, nothing is half written
 * (the transaction rolls back) and they succeed again once there is room. */
static int map_rc(sqlite3 *db, int rc, const char *what)
{
	int prim = rc & 0xff;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		/* An expected outcome (a duplicate); the caller reports it. */
		log_msg(LOG_DEBUG, "sqlite: %s: %s", what, sqlite3_errmsg(db));
		return ERR_CONFLICT;
	}
	if (is_disk_full(db, rc)) {
		if (!atomic_exchange(&disk_full, true))
			log_error("sqlite: the disk is full, writes are refused until space is "
				  "freed (%s: %s)",
				  what, sqlite3_errmsg(db));
		else
			log_msg(LOG_DEBUG, "sqlite: %s: %s", what, sqlite3_errmsg(db));
		return ERR_UNAVAILABLE;
	}
	log_error("sqlite: %s: %s", what, sqlite3_errmsg(db));
	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return ERR_UNAVAILABLE;
	if (prim == SQLITE_NOMEM)
		return ERR_NOMEM;
	if (prim == SQLITE_CANTOPEN)
		return ERR_UNAVAILABLE;
	return ERR_DB;
}

/* Memory statistics make SQLite take one process-wide mutex around every
 * allocation: with a connection per worker thread that mutex was the
 * busiest lock in the server. We never read the statistics. This must run
 * before SQLite initialises, so once, before the first connection. */
static void sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* synchronous=FULL: in WAL mode every commit fsyncs the WAL, so a write that
 * was answered survives a power cut. IBBIS_SQLITE_SYNCHRONOUS=NORMAL gives
 * that up (a power cut may lose the last commits, a process crash loses
 * nothing); it exists to measure the difference (bench/), not to run with. */
static const char *sync_pragma(void)
{
	const char *e = getenv("IBBIS_SQLITE_SYNCHRONOUS");
	if (e && strcmp(e, "NORMAL") == 0)
		return "PRAGMA synchronous=NORMAL;";
	return "PRAGMA synchronous=FULL;";
}

/* A new database file is created readable by its owner only (mode 0600);
 * SQLite gives its -wal and -shm files the same mode. Only before this
 * process has a connection, and only a file that does not exist: closing
 * any descriptor of a file drops every POSIX lock the process holds on it. */
static void create_private(const char *path)
{
	if (str_starts_with(path, "file:") || strcmp(path, ":memory:") == 0 || !*path)
		return;
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd); /* otherwise it exists, or SQLite will say why not */
}

static int sq_open(struct store *s, const char *url, char *err, size_t errsz)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	if (!sqlite3_threadsafe()) {
		str_fmt(err, errsz, "SQLite was built without thread support");
		return ERR_INTERNAL;
	}
	pthread_once(&once, sq_configure);
	create_private(url);
	return 0;
}

static void sq_close(struct store *s)
{
}

/* No mmap: every commit of the audit writer changes the WAL, and a reader
 * that sees a changed WAL drops its whole page cache and, with mmap, unmaps
 * the file too (measured: 4 to 8 times slower, and the mapping counted in the
 * RSS). cache_size: 8 MiB per connection. For the same reason a reader's
 * cache rarely outlives one transaction under load, so a larger one only
 * holds memory (64 MiB a connection took serve past 64 MB RSS); the bulk
 * writers (demo-data) set their own. */
static const char *const conn_pragmas = "PRAGMA journal_mode=WAL;"
					"PRAGMA foreign_keys=ON;"
					"PRAGMA mmap_size=0;"
					"PRAGMA cache_size=-8192;"
					"PRAGMA temp_store=MEMORY;";

/* Waiting for the write lock. SQLite's own busy timeout sleeps 1, 2, 5, 10,
 * 15, 20, 25 ms... between tries, so a writer that queues behind an audit
 * batch holding the lock for 2 ms waits 8 ms or more. Short sleeps first:
 * 100 us for the first 20 ms, then 1 ms, up to STORE_BUSY_TIMEOUT_MS. */
#define BUSY_SHORT_US 100
#define BUSY_SHORT_TRIES 200
static int busy_wait(void *unused, int tries)
{
	(void)unused;
	long waited_us = tries < BUSY_SHORT_TRIES
				 ? (long)tries * BUSY_SHORT_US
				 : (long)BUSY_SHORT_TRIES * BUSY_SHORT_US +
					   (long)(tries - BUSY_SHORT_TRIES) * 1000L;
	if (waited_us >= (long)STORE_BUSY_TIMEOUT_MS * 1000L)
		return 0; /* give up: SQLITE_BUSY */
	struct timespec ts = {0, (tries < BUSY_SHORT_TRIES ? BUSY_SHORT_US : 1000) * 1000L};
	nanosleep(&ts, NULL);
	return 1;
}

/* The automatic checkpoint, as SQLite's own (PASSIVE, once a commit leaves
 * this many frames in the WAL), except that its failure is not the
 * commit's: with SQLite's default hook a COMMIT returns the checkpoint's
 * error (SQLITE_FULL on a full disk) although the transaction is durable,
 * and the caller would refuse a write that is in, or write an audit batch
 * twice. A checkpoint that fails is tried again after the next commit. */
#define WAL_CHECKPOINT_FRAMES 1000
static int wal_hook(void *unused, sqlite3 *db, const char *name, int frames)
{
	(void)unused;
	if (frames < WAL_CHECKPOINT_FRAMES)
		return SQLITE_OK;
	int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_msg(is_disk_full(db, rc) ? LOG_DEBUG : LOG_ERROR, "sqlite: checkpoint: %s",
			sqlite3_errmsg(db));
	return SQLITE_OK;
}

static int sq_conn_open(struct store *s, struct store_conn **out, char *err, size_t errsz)
{
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(s->url, &db, flags, NULL);
	if (rc != SQLITE_OK) {
		str_fmt(err, errsz, "%s: %s", s->url, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return ERR_UNAVAILABLE;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_handler(db, busy_wait, NULL);
	char *msg = NULL;
	rc = sqlite3_exec(db, conn_pragmas, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sync_pragma(), NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		str_fmt(err, errsz, "%s: %s", s->url, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(db);
		return (rc & 0xff) == SQLITE_BUSY ? ERR_UNAVAILABLE : ERR_DB;
	}
	sqlite3_wal_hook(db, wal_hook, NULL);
	struct sqlite_conn *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->db = db;
	*out = &c->base;
	return 0;
}

static void sq_conn_close(struct store_conn *c)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;
	for (size_t i = 0; i < TX_N; i++)
		sqlite3_finalize(sc->tx[i]);
	sqlite3_close(sc->db);
	free(sc);
}

/* The prepared statement of a transaction command, or NULL for other SQL. */
static sqlite3_stmt *tx_stmt(struct sqlite_conn *sc, const char *sql)
{
	for (size_t i = 0; i < TX_N; i++) {
		if (strcmp(sql, tx_sql[i]) != 0)
			continue;
		if (!sc->tx[i] && sqlite3_prepare_v3(sc->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
						     &sc->tx[i], NULL) != SQLITE_OK)
			return NULL;
		return sc->tx[i];
	}
	return NULL;
}

/* After a full disk, the first commit that wrote something says there is
 * room again. */
static void note_commit(bool wrote)
{
	if (wrote && atomic_load(&disk_full) && atomic_exchange(&disk_full, false))
		log_info("sqlite: the disk has room again, writes are accepted");
}

static int sq_exec(struct store_conn *c, const char *sql)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;
	sqlite3_stmt *st = tx_stmt(sc, sql);
	int rc;
	if (st) {
		bool commit = st == sc->tx[2];
		bool wrote = commit && sqlite3_txn_state(sc->db, NULL) == SQLITE_TXN_WRITE &&
			     sqlite3_total_changes64(sc->db) != sc->changes_at_begin;
		if (st == sc->tx[1])
			sc->changes_at_begin = sqlite3_total_changes64(sc->db);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		if (rc == SQLITE_OK && commit)
			note_commit(wrote);
	} else {
		rc = sqlite3_exec(conn_db(c), sql, NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK)
		return map_rc(conn_db(c), rc, "exec");
	return 0;
}

/* SQLite re-prepares statements compiled under the other setting. */
static int sq_set_triggers(struct store_conn *c, bool on)
{
	int rc = sqlite3_db_config(conn_db(c), SQLITE_DBCONFIG_ENABLE_TRIGGER, on ? 1 : 0, NULL);
	return rc == SQLITE_OK ? 0 : map_rc(conn_db(c), rc, "triggers");
}

static const char *sq_errmsg(struct store_conn *c)
{
	return sqlite3_errmsg(conn_db(c));
}

static int sq_prepare(struct store_conn *c, const char *sql, struct store_stmt **out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(conn_db(c), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK)
		return map_rc(conn_db(c), rc, "prepare");
	if (!st) {
		log_error("sqlite: prepare: empty statement");
		return ERR_INTERNAL;
	}
	struct sqlite_stmt *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->st = st;
	*out = &s->base;
	return 0;
}

static void sq_finalize(struct store_stmt *st)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)st;
	sqlite3_finalize(s->st);
	free(s);
}

/* The position of "$idx" in the statement, or 0 when it has none. */
static int param_pos(struct store_stmt *st, int idx)
{
	char name[16];
	if (idx < 1 || str_fmt(name, sizeof name, "$%d", idx) != 0)
		return 0;
	return sqlite3_bind_parameter_index(stmt_of(st), name);
}

static int bind_done(struct store_stmt *st, int rc, int pos)
{
	if (pos == 0) {
		log_error("sqlite: bind: no such parameter in: %s", st->sql);
		return ERR_INTERNAL;
	}
	if (rc != SQLITE_OK)
		return map_rc(sqlite3_db_handle(stmt_of(st)), rc, "bind");
	return 0;
}

static int sq_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
	int pos = param_pos(st, idx);
	int rc = pos ? sqlite3_bind_int64(stmt_of(st), pos, v) : SQLITE_OK;
	return bind_done(st, rc, pos);
}

static int sq_bind_text(struct store_stmt *st, int idx, const char *s, size_t n)
{
	int pos = param_pos(st, idx);
	int rc = SQLITE_OK;
	if (pos)
		rc = sqlite3_bind_text64(stmt_of(st), pos, s ? s : "", n, SQLITE_TRANSIENT,
					 SQLITE_UTF8);
	return bind_done(st, rc, pos);
}

static int sq_bind_null(struct store_stmt *st, int idx)
{
	int pos = param_pos(st, idx);
	int rc = pos ? sqlite3_bind_null(stmt_of(st), pos) : SQLITE_OK;
	return bind_done(st, rc, pos);
}

static int sq_bind_blob(struct store_stmt *st, int idx, const void *p, size_t n)
{
	int pos = param_pos(st, idx);
	int rc = SQLITE_OK;
	if (pos)
		rc = sqlite3_bind_blob64(stmt_of(st), pos, p ? p : "", n, SQLITE_TRANSIENT);
	return bind_done(st, rc, pos);
}

static int sq_step(struct store_stmt *st)
{
	int rc = sqlite3_step(stmt_of(st));
	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	return map_rc(sqlite3_db_handle(stmt_of(st)), rc, "step");
}

static void sq_reset(struct store_stmt *st)
{
	sqlite3_reset(stmt_of(st));
}

static void sq_clear_bindings(struct store_stmt *st)
{
	sqlite3_clear_bindings(stmt_of(st));
}

static int64_t sq_changes(struct store_stmt *st)
{
	return sqlite3_changes64(sqlite3_db_handle(stmt_of(st)));
}

static int sq_col_count(struct store_stmt *st)
{
	return sqlite3_column_count(stmt_of(st));
}

static bool sq_col_is_null(struct store_stmt *st, int col)
{
	return sqlite3_column_type(stmt_of(st), col) == SQLITE_NULL;
}

static int64_t sq_col_int64(struct store_stmt *st, int col)
{
	return sqlite3_column_int64(stmt_of(st), col);
}

static const char *sq_col_text(struct store_stmt *st, int col, size_t *len)
{
	const unsigned char *s = sqlite3_column_text(stmt_of(st), col);
	if (!s) {
		*len = 0;
		return "";
	}
	*len = (size_t)sqlite3_column_bytes(stmt_of(st), col);
	return (const char *)s;
}

static const void *sq_col_blob(struct store_stmt *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(stmt_of(st), col);
	*len = p ? (size_t)sqlite3_column_bytes(stmt_of(st), col) : 0;
	return p;
}

const struct store_backend store_sqlite_backend = {
	.name = "sqlite",
	.dialect = "sqlite",
	.sql_begin_read = "BEGIN",
	.sql_begin_write = "BEGIN IMMEDIATE",
	.open = sq_open,
	.close = sq_close,
	.conn_open = sq_conn_open,
	.conn_close = sq_conn_close,
	.exec = sq_exec,
	.set_triggers = sq_set_triggers,
	.errmsg = sq_errmsg,
	.stmt_prepare = sq_prepare,
	.stmt_finalize = sq_finalize,
	.bind_int64 = sq_bind_int64,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.bind_blob = sq_bind_blob,
	.step = sq_step,
	.reset = sq_reset,
	.clear_bindings = sq_clear_bindings,
	.changes = sq_changes,
	.col_count = sq_col_count,
	.col_is_null = sq_col_is_null,
	.col_int64 = sq_col_int64,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
};
