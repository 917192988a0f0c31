/* store_pg.c: the PostgreSQL (libpq) backend.
 *
 * - One PGconn per store connection, i.e. per worker thread (store.c), so
 *   the number of server connections is bounded by the number of threads.
 * - Statements are prepared once per connection with PQprepare under a
 *   generated name ("s1", "s2", ...), described once for their parameter
 *   and column counts, and run with PQexecPrepared. "$1" is native.
 * - Parameters go as text (int64 as decimal), blobs as binary (format 1).
 *   Results come in text format; a BYTEA column (hex output) is decoded
 *   with PQunescapeBytea, so col_blob and col_text give the raw bytes.
 * - The whole result is fetched on the first step and read row by row.
 * - A lost connection is ERR_UNAVAILABLE and is reset (PQreset) on the next
 *   use outside a transaction; statements are prepared again after it.
 *   A BEGIN that finds the connection lost is retried once at once.
 * - Errors: 23505 unique_violation -> ERR_CONFLICT; connection loss, lock
 *   timeout, deadlock, serialization failure, too many connections ->
 *   ERR_UNAVAILABLE; anything else ERR_DB, logged with the server message. */
#include "store/store_impl.h"

#include "base/err.h"
#include "base/log.h"
#include "base/str.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#define PG_OID_BOOL 16
#define PG_OID_BYTEA 17

/* Mirrors the SQLite busy timeout: a lock wait longer than this fails. */
_Static_assert(STORE_BUSY_TIMEOUT_MS == 5000, "update PG_CONN_SETUP");
#define PG_CONN_SETUP "SET lock_timeout = 5000"

struct pg_conn {
	struct store_conn base; /* first */
	PGconn *pg;             /* owned */
	unsigned generation;    /* bumped at each reset: prepared names are gone */
	unsigned next_name;
	bool broken; /* the connection was lost; reset on next use */
	char msg[512];
};

struct pg_stmt {
	struct store_stmt base; /* first */
	char name[24];
	unsigned generation; /* of the connection it was prepared on */
	int nparams, ncols;
	char **vals;  /* owned, each owned; NULL binds NULL */
	int *lens;    /* owned */
	int *fmts;    /* owned: 0 text, 1 binary */
	PGresult *res; /* owned: the current result, NULL before execution */
	int row;       /* current row; -1 before the first */
	int64_t changes;
	char **dec;    /* owned: per column, the decoded BYTEA of this row */
	size_t *declen; /* owned */
};

static struct pg_conn *pgc(struct store_conn *c)
{
	return (struct pg_conn *)c;
}

static struct pg_stmt *pgs(struct store_stmt *st)
{
	return (struct pg_stmt *)st;
}

/* Keeps a message on one line (libpq's have newlines and tabs). */
static void set_msg(struct pg_conn *pc, const char *m)
{
	str_copy(pc->msg, sizeof pc->msg, m ? m : "");
	for (char *p = pc->msg; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	size_t n = strlen(pc->msg);
	while (n > 0 && pc->msg[n - 1] == ' ')
		pc->msg[--n] = '\0';
}

/* NOTICEs and WARNINGs ("already exists, skipping") go to the debug log
 * instead of libpq's default of stderr. */
static void pg_notice(void *arg, const char *message)
{
	size_t n = strlen(message);
	while (n > 0 && message[n - 1] == '\n')
		n--;
	log_msg(LOG_DEBUG, "postgres: %.*s", (int)n, message);
}

static bool sqlstate_is(const char *state, const char *want)
{
	return state && strcmp(state, want) == 0;
}

/* Maps a failed result (or NULL) to enum err and logs the message. */
static int map_error(struct pg_conn *pc, const PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *m = res ? PQresultErrorMessage(res) : NULL;
	set_msg(pc, m && *m ? m : PQerrorMessage(pc->pg));
	if (PQstatus(pc->pg) == CONNECTION_BAD || (state && strncmp(state, "08", 2) == 0) ||
	    sqlstate_is(state, "57P01") || sqlstate_is(state, "57P02") ||
	    sqlstate_is(state, "57P03")) {
		pc->broken = true;
		log_error("postgres: %s: connection lost: %s", what, pc->msg);
		return ERR_UNAVAILABLE;
	}
	if (sqlstate_is(state, "23505")) {
		/* An expected outcome (a duplicate); the caller reports it. */
		log_msg(LOG_DEBUG, "postgres: %s: %s", what, pc->msg);
		return ERR_CONFLICT;
	}
	log_error("postgres: %s: %s", what, pc->msg);
	if (sqlstate_is(state, "55P03") || sqlstate_is(state, "40P01") ||
	    sqlstate_is(state, "40001") || (state && strncmp(state, "53", 2) == 0))
		return ERR_UNAVAILABLE;
	return ERR_DB;
}

/* Per-connection settings, after connecting and after every reset. */
static int conn_setup(PGconn *pg)
{
	PQsetNoticeProcessor(pg, pg_notice, NULL);
	if (PQsetClientEncoding(pg, "UTF8") != 0)
		return -1;
	PGresult *r = PQexec(pg, PG_CONN_SETUP);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok ? 0 : -1;
}

static int pg_open(struct store *s, const char *url, char *err, size_t errsz)
{
	if (!PQisthreadsafe()) {
		str_fmt(err, errsz, "libpq was built without thread support");
		return ERR_INTERNAL;
	}
	return 0;
}

static void pg_close(struct store *s)
{
}

static int pg_conn_open(struct store *s, struct store_conn **out, char *err, size_t errsz)
{
	/* Defaults first: with expand_dbname the URL's own values override
	 * them. The URL itself is never echoed (it may hold a password). */
	const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
	const char *const vals[] = {"10", "ibbis", s->url, NULL};
	PGconn *pg = PQconnectdbParams(keys, vals, 1);
	if (!pg)
		abort();
	if (PQstatus(pg) != CONNECTION_OK) {
		str_fmt(err, errsz, "postgres: %s", PQerrorMessage(pg));
		size_t n = strlen(err);
		while (n > 0 && err[n - 1] == '\n')
			err[--n] = '\0';
		PQfinish(pg);
		return ERR_UNAVAILABLE;
	}
	if (conn_setup(pg) != 0) {
		str_fmt(err, errsz, "postgres: connection setup: %s", PQerrorMessage(pg));
		PQfinish(pg);
		return ERR_DB;
	}
	struct pg_conn *pc = calloc(1, sizeof *pc);
	if (!pc)
		abort();
	pc->pg = pg;
	*out = &pc->base;
	return 0;
}

static void pg_conn_close(struct store_conn *c)
{
	struct pg_conn *pc = pgc(c);
	PQfinish(pc->pg);
	free(pc);
}

/* Makes the connection usable: resets a lost one, but only outside a
 * transaction (inside one, the transaction died with the connection and
 * the caller must roll back first). */
static int conn_ensure(struct pg_conn *pc)
{
	if (!pc->broken && PQstatus(pc->pg) == CONNECTION_OK)
		return 0;
	if (pc->base.tx_depth > 0) {
		set_msg(pc, "the connection was lost inside a transaction");
		return ERR_UNAVAILABLE;
	}
	PQreset(pc->pg);
	if (PQstatus(pc->pg) != CONNECTION_OK || conn_setup(pc->pg) != 0) {
		set_msg(pc, PQerrorMessage(pc->pg));
		pc->broken = true;
		log_error("postgres: reconnect failed: %s", pc->msg);
		return ERR_UNAVAILABLE;
	}
	pc->broken = false;
	pc->generation++;
	log_info("postgres: reconnected");
	return 0;
}

static int exec_once(struct pg_conn *pc, const char *sql)
{
	int rc = conn_ensure(pc);
	if (rc != 0)
		return rc;
	PGresult *r = PQexec(pc->pg, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
		/* COMMIT of a transaction aborted by an earlier error "succeeds"
		 * with the tag ROLLBACK: that is a failure to the caller. */
		if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
			set_msg(pc, "the transaction was aborted by an earlier error; rolled back");
			log_error("postgres: commit: %s", pc->msg);
			rc = ERR_DB;
		}
		PQclear(r);
		return rc;
	}
	rc = map_error(pc, r, "exec");
	PQclear(r);
	return rc;
}

static int pg_exec(struct store_conn *c, const char *sql)
{
	struct pg_conn *pc = pgc(c);
	bool rollback = strcmp(sql, "ROLLBACK") == 0;
	if (rollback && pc->broken)
		return 0; /* the transaction ended with the connection */
	int rc = exec_once(pc, sql);
	if (rc == ERR_UNAVAILABLE && pc->broken) {
		if (rollback)
			return 0;
		/* Nothing is lost by repeating a BEGIN on a fresh connection:
		 * this makes a server restart invisible to the next request. */
		if (c->tx_depth == 0 && strcmp(sql, "BEGIN") == 0)
			rc = exec_once(pc, sql);
	}
	return rc;
}

static const char *pg_errmsg(struct store_conn *c)
{
	return pgc(c)->msg;
}

/* PQprepare under the statement's name on the current connection. */
static int stmt_prepare_server(struct pg_conn *pc, struct pg_stmt *ps, const char *sql)
{
	PGresult *r = PQprepare(pc->pg, ps->name, sql, 0, NULL);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : map_error(pc, r, "prepare");
	PQclear(r);
	if (rc == 0)
		ps->generation = pc->generation;
	return rc;
}

static int pg_prepare(struct store_conn *c, const char *sql, struct store_stmt **out)
{
	struct pg_conn *pc = pgc(c);
	int rc = conn_ensure(pc);
	if (rc != 0)
		return rc;
	struct pg_stmt *ps = calloc(1, sizeof *ps);
	if (!ps)
		abort();
	str_fmt(ps->name, sizeof ps->name, "s%u", ++pc->next_name);
	rc = stmt_prepare_server(pc, ps, sql);
	PGresult *d = NULL;
	if (rc == 0) {
		d = PQdescribePrepared(pc->pg, ps->name);
		if (PQresultStatus(d) != PGRES_COMMAND_OK)
			rc = map_error(pc, d, "describe");
	}
	if (rc != 0) {
		PQclear(d);
		free(ps);
		return rc;
	}
	ps->nparams = PQnparams(d);
	ps->ncols = PQnfields(d);
	PQclear(d);
	size_t np = ps->nparams > 0 ? (size_t)ps->nparams : 1;
	size_t nc = ps->ncols > 0 ? (size_t)ps->ncols : 1;
	ps->vals = calloc(np, sizeof *ps->vals);
	ps->lens = calloc(np, sizeof *ps->lens);
	ps->fmts = calloc(np, sizeof *ps->fmts);
	ps->dec = calloc(nc, sizeof *ps->dec);
	ps->declen = calloc(nc, sizeof *ps->declen);
	if (!ps->vals || !ps->lens || !ps->fmts || !ps->dec || !ps->declen)
		abort();
	ps->row = -1;
	*out = &ps->base;
	return 0;
}

static void free_decoded(struct pg_stmt *ps)
{
	for (int i = 0; i < ps->ncols; i++) {
		free(ps->dec[i]);
		ps->dec[i] = NULL;
		ps->declen[i] = 0;
	}
}

static void pg_reset(struct store_stmt *st)
{
	struct pg_stmt *ps = pgs(st);
	free_decoded(ps);
	PQclear(ps->res);
	ps->res = NULL;
	ps->row = -1;
}

static void pg_clear_bindings(struct store_stmt *st)
{
	struct pg_stmt *ps = pgs(st);
	for (int i = 0; i < ps->nparams; i++) {
		free(ps->vals[i]);
		ps->vals[i] = NULL;
		ps->lens[i] = 0;
		ps->fmts[i] = 0;
	}
}

static void pg_finalize(struct store_stmt *st)
{
	/* Only called when the connection closes, which drops the server's
	 * prepared statement: no DEALLOCATE needed. */
	struct pg_stmt *ps = pgs(st);
	pg_reset(st);
	pg_clear_bindings(st);
	free(ps->vals);
	free(ps->lens);
	free(ps->fmts);
	free(ps->dec);
	free(ps->declen);
	free(ps);
}

/* Sets parameter idx to a copy of p (n bytes, NUL added), or NULL. */
static int bind_set(struct store_stmt *st, int idx, const void *p, size_t n, int fmt)
{
	struct pg_stmt *ps = pgs(st);
	if (idx < 1 || idx > ps->nparams) {
		log_error("postgres: bind: no parameter $%d in: %s", idx, st->sql);
		return ERR_INTERNAL;
	}
	if (n > 0x7fffffff)
		return ERR_TOO_LARGE;
	char *v = NULL;
	if (p) {
		v = malloc(n + 1);
		if (!v)
			abort();
		memcpy(v, p, n);
		v[n] = '\0';
	}
	free(ps->vals[idx - 1]);
	ps->vals[idx - 1] = v;
	ps->lens[idx - 1] = (int)n;
	ps->fmts[idx - 1] = fmt;
	return 0;
}

static int pg_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
	char buf[24];
	str_fmt(buf, sizeof buf, "%lld", (long long)v);
	return bind_set(st, idx, buf, strlen(buf), 0);
}

/* Text parameters go in text format: PostgreSQL text holds no NUL byte,
 * so the value ends at the first one. */
static int pg_bind_text(struct store_stmt *st, int idx, const char *s, size_t n)
{
	return bind_set(st, idx, s ? s : "", s ? n : 0, 0);
}

static int pg_bind_null(struct store_stmt *st, int idx)
{
	return bind_set(st, idx, NULL, 0, 0);
}

static int pg_bind_blob(struct store_stmt *st, int idx, const void *p, size_t n)
{
	return bind_set(st, idx, p ? p : "", p ? n : 0, 1);
}

static bool cmd_changes_rows(const char *tag)
{
	return str_starts_with(tag, "INSERT") || str_starts_with(tag, "UPDATE") ||
	       str_starts_with(tag, "DELETE") || str_starts_with(tag, "MERGE");
}

/* Runs the prepared statement and keeps its whole result. */
static int stmt_execute(struct pg_stmt *ps)
{
	struct pg_conn *pc = pgc(ps->base.conn);
	int rc = conn_ensure(pc);
	if (rc == 0 && ps->generation != pc->generation)
		rc = stmt_prepare_server(pc, ps, ps->base.sql);
	if (rc != 0)
		return rc;
	PGresult *r = PQexecPrepared(pc->pg, ps->name, ps->nparams,
				     (const char *const *)ps->vals, ps->lens, ps->fmts, 0);
	ExecStatusType est = PQresultStatus(r);
	if (est != PGRES_TUPLES_OK && est != PGRES_COMMAND_OK) {
		rc = map_error(pc, r, "step");
		PQclear(r);
		return rc;
	}
	long n = 0;
	ps->changes = 0;
	if (cmd_changes_rows(PQcmdStatus(r)) &&
	    str_to_long(PQcmdTuples(r), 0, 0x7fffffffffffffffL, &n) == 0)
		ps->changes = n;
	ps->res = r;
	ps->row = -1;
	return 0;
}

static int pg_step(struct store_stmt *st)
{
	struct pg_stmt *ps = pgs(st);
	if (!ps->res) {
		int rc = stmt_execute(ps);
		if (rc != 0)
			return rc;
	}
	free_decoded(ps);
	if (ps->row + 1 < PQntuples(ps->res)) {
		ps->row++;
		return STORE_ROW;
	}
	return STORE_DONE;
}

static int64_t pg_changes(struct store_stmt *st)
{
	return pgs(st)->changes;
}

static int pg_col_count(struct store_stmt *st)
{
	return pgs(st)->ncols;
}

/* True when (row, col) exists in the current result. */
static bool has_cell(struct pg_stmt *ps, int col)
{
	return ps->res && ps->row >= 0 && ps->row < PQntuples(ps->res) && col >= 0 &&
	       col < PQnfields(ps->res) && col < ps->ncols;
}

static bool pg_col_is_null(struct store_stmt *st, int col)
{
	struct pg_stmt *ps = pgs(st);
	return !has_cell(ps, col) || PQgetisnull(ps->res, ps->row, col);
}

static int64_t pg_col_int64(struct store_stmt *st, int col)
{
	struct pg_stmt *ps = pgs(st);
	if (pg_col_is_null(st, col))
		return 0;
	const char *v = PQgetvalue(ps->res, ps->row, col);
	if (PQftype(ps->res, col) == PG_OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

/* The raw bytes of a BYTEA cell (decoded once per row), NUL-terminated. */
static const char *decode_bytea(struct pg_stmt *ps, int col, size_t *len)
{
	if (!ps->dec[col]) {
		size_t n = 0;
		unsigned char *raw =
			PQunescapeBytea((const unsigned char *)PQgetvalue(ps->res, ps->row, col), &n);
		if (!raw)
			abort();
		char *copy = malloc(n + 1);
		if (!copy)
			abort();
		memcpy(copy, raw, n);
		copy[n] = '\0';
		PQfreemem(raw);
		ps->dec[col] = copy;
		ps->declen[col] = n;
	}
	*len = ps->declen[col];
	return ps->dec[col];
}

static const char *pg_col_text(struct store_stmt *st, int col, size_t *len)
{
	struct pg_stmt *ps = pgs(st);
	if (pg_col_is_null(st, col)) {
		*len = 0;
		return "";
	}
	if (PQftype(ps->res, col) == PG_OID_BYTEA)
		return decode_bytea(ps, col, len);
	*len = (size_t)PQgetlength(ps->res, ps->row, col);
	return PQgetvalue(ps->res, ps->row, col);
}

static const void *pg_col_blob(struct store_stmt *st, int col, size_t *len)
{
	size_t n = 0;
	const char *p = pg_col_text(st, col, &n);
	*len = n;
	return n ? p : NULL;
}

const struct store_backend store_pg_backend = {
	.name = "postgres",
	.dialect = "pg",
	/* Plain BEGIN for both: read transactions may append audit rows, and
	 * PostgreSQL needs no IMMEDIATE (row locks are taken as written). */
	.sql_begin_read = "BEGIN",
	.sql_begin_write = "BEGIN",
	.open = pg_open,
	.close = pg_close,
	.conn_open = pg_conn_open,
	.conn_close = pg_conn_close,
	.exec = pg_exec,
	.errmsg = pg_errmsg,
	.stmt_prepare = pg_prepare,
	.stmt_finalize = pg_finalize,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.bind_blob = pg_bind_blob,
	.step = pg_step,
	.reset = pg_reset,
	.clear_bindings = pg_clear_bindings,
	.changes = pg_changes,
	.col_count = pg_col_count,
	.col_is_null = pg_col_is_null,
	.col_int64 = pg_col_int64,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
};
