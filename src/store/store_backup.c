/* store_backup.c: backup and restore below the store API: SQLite's online
 * backup API, and pg_dump / pg_restore for PostgreSQL. */
#include "store/store_backup.h"

#include "base/err.h"
#include "base/str.h"

#include <errno.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define BACKUP_BUSY_TRIES 200 /* x 50 ms: 10 s for a lock on the source */
#define BACKUP_PATH_MAX 4096

bool store_url_is_pg(const char *url)
{
	return str_starts_with(url, "postgres://") || str_starts_with(url, "postgresql://");
}

static void nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Copies every page of src into dst in one step (one read transaction on
 * src: a consistent snapshot; WAL lets writers carry on meanwhile). */
static int copy_db(sqlite3 *src, sqlite3 *dst, char *err, size_t errsz)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		str_fmt(err, errsz, "backup: %s", sqlite3_errmsg(dst));
		return ERR_DB;
	}
	int rc = SQLITE_OK;
	for (int i = 0; i < BACKUP_BUSY_TRIES; i++) {
		rc = sqlite3_backup_step(b, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		nap_ms(50);
	}
	int fin = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || fin != SQLITE_OK) {
		str_fmt(err, errsz, "backup: %s", rc == SQLITE_DONE ? sqlite3_errstr(fin)
								      : sqlite3_errstr(rc));
		return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? ERR_UNAVAILABLE : ERR_DB;
	}
	return 0;
}

static int open_db(const char *path, int flags, sqlite3 **out, char *err, size_t errsz)
{
	int rc = sqlite3_open_v2(path, out, flags, NULL);
	if (rc != SQLITE_OK) {
		str_fmt(err, errsz, "%s: %s", path, *out ? sqlite3_errmsg(*out) : sqlite3_errstr(rc));
		sqlite3_close(*out);
		*out = NULL;
		return ERR_IO;
	}
	sqlite3_busy_timeout(*out, 5000);
	return 0;
}

/* src -> tmp -> rename to dst. */
static int copy_to(sqlite3 *src, const char *dst, char *err, size_t errsz)
{
	char tmp[BACKUP_PATH_MAX];
	if (str_fmt(tmp, sizeof tmp, "%s.tmp", dst) != 0) {
		str_fmt(err, errsz, "path too long");
		return ERR_INVALID;
	}
	unlink(tmp);
	sqlite3 *d = NULL;
	int rc = open_db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &d, err, errsz);
	if (rc == 0)
		rc = copy_db(src, d, err, errsz);
	/* A single self-contained file (the server turns WAL on again). */
	if (rc == 0 && sqlite3_exec(d, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		str_fmt(err, errsz, "%s: %s", tmp, sqlite3_errmsg(d));
		rc = ERR_DB;
	}
	if (d && sqlite3_close(d) != SQLITE_OK && rc == 0) {
		str_fmt(err, errsz, "%s: cannot close", tmp);
		rc = ERR_IO;
	}
	/* The copy holds password hashes and sealed text: owner only. */
	if (rc == 0 && chmod(tmp, 0600) != 0) {
		str_fmt(err, errsz, "%s: %s", tmp, strerror(errno));
		rc = ERR_IO;
	}
	if (rc == 0 && rename(tmp, dst) != 0) {
		str_fmt(err, errsz, "%s: %s", dst, strerror(errno));
		rc = ERR_IO;
	}
	if (rc != 0)
		unlink(tmp);
	return rc;
}

int store_backup_sqlite(const char *db_path, const char *out, char *err, size_t errsz)
{
	sqlite3 *src = NULL;
	/* Read-write without create: a missing file is an error, and a WAL
	 * database needs its -shm file writable even to read. */
	int rc = open_db(db_path, SQLITE_OPEN_READWRITE, &src, err, errsz);
	if (rc == 0)
		rc = copy_to(src, out, err, errsz);
	sqlite3_close(src);
	return rc;
}

static int check_ibbis_db(sqlite3 *db, const char *path, char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		str_fmt(err, errsz, "%s: not an ibbis SQLite database (%s)", path, sqlite3_errmsg(db));
		return ERR_INVALID;
	}
	return 0;
}

int store_restore_sqlite(const char *backup, const char *target, char *err, size_t errsz)
{
	struct stat sb;
	char wal[BACKUP_PATH_MAX];
	if ((stat(target, &sb) == 0 && sb.st_size > 0) ||
	    (str_fmt(wal, sizeof wal, "%s-wal", target) == 0 && stat(wal, &sb) == 0)) {
		str_fmt(err, errsz,
			"%s exists: restore writes only a new database (stop the server, move "
			"the old file and its -wal/-shm away, then restore)",
			target);
		return ERR_CONFLICT;
	}
	sqlite3 *src = NULL;
	int rc = open_db(backup, SQLITE_OPEN_READONLY, &src, err, errsz);
	if (rc == 0)
		rc = check_ibbis_db(src, backup, err, errsz);
	if (rc == 0)
		rc = copy_to(src, target, err, errsz);
	sqlite3_close(src);
	return rc;
}

/* The URL's settings as PG* environment variables for a child (libpq's
 * own table of keywords and variables); *dbname: the database. */
static int url_to_env(const char *url, char *dbname, size_t dbsz, char *err, size_t errsz)
{
	char *msg = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &msg);
	if (!opts) {
		str_fmt(err, errsz, "a URL libpq does not accept: %s", msg ? msg : "out of memory");
		PQfreemem(msg);
		return ERR_INVALID;
	}
	dbname[0] = 0;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || !o->val[0])
			continue;
		if (strcmp(o->keyword, "dbname") == 0)
			str_copy(dbname, dbsz, o->val);
		if (o->envvar)
			setenv(o->envvar, o->val, 1);
	}
	PQconninfoFree(opts);
	if (!dbname[0] || strchr(dbname, '=') || strchr(dbname, '/')) {
		str_fmt(err, errsz, "the URL names no plain database");
		return ERR_INVALID;
	}
	return 0;
}

/* Runs a PostgreSQL client program; $IBBIS_PG_BIN is the folder to take
 * it from (else PATH). */
static int run_tool(const char *tool, char *argv[], char *err, size_t errsz)
{
	char path[BACKUP_PATH_MAX];
	const char *dir = getenv("IBBIS_PG_BIN");
	if (dir && *dir)
		str_fmt(path, sizeof path, "%s/%s", dir, tool);
	else
		str_copy(path, sizeof path, tool);
	argv[0] = path;
	pid_t pid;
	int rc = posix_spawnp(&pid, path, NULL, NULL, argv, environ);
	if (rc != 0) {
		str_fmt(err, errsz, "cannot run %s: %s", path, strerror(rc));
		return ERR_IO;
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			str_fmt(err, errsz, "waitpid: %s", strerror(errno));
			return ERR_IO;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		str_fmt(err, errsz, "%s failed (exit status %d; its message is above)", tool,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return ERR_DB;
	}
	return 0;
}

int store_backup_pg(const char *url, const char *out, char *err, size_t errsz)
{
	char dbname[256], tmp[BACKUP_PATH_MAX];
	int rc = url_to_env(url, dbname, sizeof dbname, err, errsz);
	if (rc != 0)
		return rc;
	if (str_fmt(tmp, sizeof tmp, "%s.tmp", out) != 0) {
		str_fmt(err, errsz, "path too long");
		return ERR_INVALID;
	}
	char *argv[] = {NULL, "--format=custom", "--no-password", "--file", tmp, dbname, NULL};
	rc = run_tool("pg_dump", argv, err, errsz);
	if (rc == 0 && chmod(tmp, 0600) != 0) {
		str_fmt(err, errsz, "%s: %s", tmp, strerror(errno));
		rc = ERR_IO;
	}
	if (rc == 0 && rename(tmp, out) != 0) {
		str_fmt(err, errsz, "%s: %s", out, strerror(errno));
		rc = ERR_IO;
	}
	if (rc != 0)
		unlink(tmp);
	return rc;
}

/* True when the URL's database has no table in its current schema. */
static int pg_empty(const char *url, bool *empty, char *err, size_t errsz)
{
	PGconn *pc = PQconnectdb(url);
	if (PQstatus(pc) != CONNECTION_OK) {
		str_fmt(err, errsz, "cannot connect: %s", PQerrorMessage(pc));
		PQfinish(pc);
		return ERR_UNAVAILABLE;
	}
	PGresult *r = PQexec(pc, "SELECT count(*) FROM information_schema.tables "
				 "WHERE table_schema = current_schema()");
	int rc = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		str_fmt(err, errsz, "cannot list tables: %s", PQerrorMessage(pc));
		rc = ERR_DB;
	} else {
		*empty = strcmp(PQgetvalue(r, 0, 0), "0") == 0;
	}
	PQclear(r);
	PQfinish(pc);
	return rc;
}

int store_restore_pg(const char *url, const char *in, char *err, size_t errsz)
{
	if (access(in, R_OK) != 0) {
		str_fmt(err, errsz, "%s: %s", in, strerror(errno));
		return ERR_IO;
	}
	bool empty = false;
	int rc = pg_empty(url, &empty, err, errsz);
	if (rc != 0)
		return rc;
	if (!empty) {
		str_fmt(err, errsz, "the database is not empty: restore needs a new database "
				    "(createdb, without ibbis migrate)");
		return ERR_CONFLICT;
	}
	char dbname[256];
	if ((rc = url_to_env(url, dbname, sizeof dbname, err, errsz)) != 0)
		return rc;
	char *argv[] = {NULL,	  "--no-owner", "--no-privileges", "--exit-on-error",
			"--single-transaction", "--no-password", "--dbname", dbname,
			(char *)in, NULL};
	return run_tool("pg_restore", argv, err, errsz);
}
