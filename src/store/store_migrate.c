/* store_migrate.c: numbered schema migrations.
 *
 * The files sql/<dialect>/NNNN_name.sql are embedded in the binary. The
 * table schema_version holds one row per applied migration; the schema's
 * version is the highest. Every file without its row is applied, in order,
 * a lower number than the highest too: numbers are handed out ahead of
 * time, so a migration may land after higher ones (0008 after 0013) and
 * must still reach databases made in between. Each migration runs in its own write transaction
 * together with its version row, so a failure leaves nothing behind, and
 * the version is re-read inside that transaction, so two processes
 * migrating at once apply each file once. */
#include "store/store.h"

#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIGRATIONS_MAX 512

static const char *const sql_create_version =
	"CREATE TABLE IF NOT EXISTS schema_version ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at INTEGER NOT NULL)";
static const char *const sql_get_version =
	"SELECT COALESCE(MAX(version), 0) FROM schema_version";
static const char *const sql_is_applied = "SELECT 1 FROM schema_version WHERE version = $1";
static const char *const sql_put_version =
	"INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)";

/* The number in "NNNN_name.sql", or -1. */
static int migration_number(const char *base)
{
	const char *us = strchr(base, '_');
	long n;
	if (!us || !str_ends_with(base, ".sql") || str_to_long_n(base, (size_t)(us - base), 1,
								  9999, &n) != 0)
		return -1;
	return (int)n;
}

static int cmp_migration(const void *a, const void *b)
{
	const struct store_migration *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

/* Fills list with the embedded migrations of a dialect, sorted. */
static int collect(const char *dialect, struct store_migration *list, size_t cap, size_t *n,
		   char *err, size_t errsz)
{
	char prefix[64];
	if (str_fmt(prefix, sizeof prefix, "sql/%s/", dialect) != 0)
		return ERR_INTERNAL;
	*n = 0;
	for (unsigned i = 0; i < embed_count; i++) {
		const char *path = embed_files[i].path;
		if (!str_starts_with(path, prefix))
			continue;
		const char *base = path + strlen(prefix);
		int num = migration_number(base);
		if (num < 0) {
			str_fmt(err, errsz, "%s: not a migration name (NNNN_name.sql)", path);
			return ERR_INVALID;
		}
		if (*n == cap) {
			str_fmt(err, errsz, "too many migrations");
			return ERR_INTERNAL;
		}
		list[(*n)++] = (struct store_migration){num, base, embed_files[i].data};
	}
	qsort(list, *n, sizeof *list, cmp_migration);
	for (size_t i = 1; i < *n; i++)
		if (list[i].number == list[i - 1].number) {
			str_fmt(err, errsz, "%s and %s share a number", list[i - 1].name,
				list[i].name);
			return ERR_INVALID;
		}
	return 0;
}

int store_latest_version(const struct store *s)
{
	struct store_migration list[MIGRATIONS_MAX];
	size_t n = 0;
	char err[128];
	if (collect(store_dialect(s), list, MIGRATIONS_MAX, &n, err, sizeof err) != 0 || n == 0)
		return 0;
	return list[n - 1].number;
}

static int read_version(struct store_conn *c, int *version)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql_get_version, &st);
	if (rc != 0)
		return rc;
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_DB;
	*version = (int)store_col_int64(st, 0);
	store_reset(st);
	return 0;
}

/* Whether schema_version exists, asked of the catalogue: PostgreSQL checks
 * CREATE rights even for CREATE TABLE IF NOT EXISTS, and a least-privilege
 * role has none (docs/operations.md). */
static int version_table_exists(struct store_conn *c, bool *out)
{
	bool pg = strcmp(store_dialect(store_conn_store(c)), "pg") == 0;
	struct store_stmt *st;
	int rc = store_prepare(c,
			       pg ? "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = "
				    "'schema_version' AND schemaname = current_schema()"
				  : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
				    "name = 'schema_version'",
			       &st);
	if (rc == 0)
		rc = store_step(st);
	if (rc == STORE_ROW) {
		*out = store_col_int64(st, 0) > 0;
		rc = store_reset(st);
	} else if (rc == STORE_DONE) {
		rc = ERR_DB;
	}
	return rc;
}

int store_schema_version(struct store_conn *c, int *version)
{
	*version = 0;
	bool exists = false;
	int rc = version_table_exists(c, &exists);
	if (rc == 0 && !exists)
		rc = store_exec(c, sql_create_version);
	if (rc != 0)
		return rc;
	rc = store_begin_read(c);
	if (rc != 0)
		return rc;
	rc = read_version(c, version);
	if (rc != 0) {
		store_rollback(c);
		return rc;
	}
	return store_commit(c);
}

/* Whether migration number has its row. */
static int is_applied(struct store_conn *c, int number, bool *out)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql_is_applied, &st);
	if (rc == 0)
		rc = store_bind_int64(st, 1, number);
	if (rc == 0)
		rc = store_step(st);
	*out = rc == STORE_ROW;
	if (rc == STORE_ROW)
		store_reset(st);
	return rc < 0 ? rc : 0;
}

/* Applies one migration unless it has been applied already. */
static int apply_one(struct store_conn *c, const struct store_migration *m, int *version,
		     char *err, size_t errsz)
{
	int rc = store_begin_write(c);
	/* PostgreSQL's BEGIN does not serialise writers as SQLite's BEGIN
	 * IMMEDIATE does: two nodes starting at once must not both migrate. */
	if (rc == 0 && strcmp(store_dialect(store_conn_store(c)), "pg") == 0)
		rc = store_exec(c, "LOCK TABLE schema_version IN SHARE ROW EXCLUSIVE MODE");
	bool done = false;
	if (rc == 0)
		rc = is_applied(c, m->number, &done);
	if (rc == 0 && done)
		return store_commit(c);
	if (rc == 0) {
		rc = store_exec(c, m->sql);
		if (rc != 0)
			str_fmt(err, errsz, "%s: %s", m->name, store_errmsg(c));
	}
	struct store_stmt *st = NULL;
	if (rc == 0)
		rc = store_prepare(c, sql_put_version, &st);
	if (rc == 0)
		rc = store_bind_int64(st, 1, m->number);
	if (rc == 0)
		rc = store_bind_str(st, 2, m->name);
	if (rc == 0)
		rc = store_bind_int64(st, 3, (int64_t)time(NULL));
	if (rc == 0)
		rc = store_step(st);
	if (rc == 0)
		rc = store_commit(c);
	if (rc != 0) {
		if (!err[0])
			str_fmt(err, errsz, "%s: %s", m->name, store_errmsg(c));
		store_rollback(c);
		return rc;
	}
	if (m->number > *version)
		*version = m->number;
	log_info("store: applied migration %s", m->name);
	return 0;
}

int store_migrate_list(struct store *s, const struct store_migration *list, size_t n,
		       int *version, char *err, size_t errsz)
{
	char local[256];
	if (!err || errsz == 0) {
		err = local;
		errsz = sizeof local;
	}
	err[0] = '\0';
	struct store_conn *c;
	int rc = store_conn_get(s, &c);
	if (rc != 0) {
		str_fmt(err, errsz, "cannot connect to the database");
		return rc;
	}
	if (store_in_transaction(c)) {
		str_fmt(err, errsz, "migrate called inside a transaction");
		return ERR_INTERNAL;
	}
	int v = 0;
	rc = store_schema_version(c, &v);
	if (rc != 0) {
		str_fmt(err, errsz, "schema_version: %s", store_errmsg(c));
		return rc;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		bool done = false;
		rc = list[i].number > v ? 0 : is_applied(c, list[i].number, &done);
		if (rc == 0 && !done)
			rc = apply_one(c, &list[i], &v, err, errsz);
	}
	if (version)
		*version = v;
	return rc;
}

int store_migrate(struct store *s, int *version, char *err, size_t errsz)
{
	struct store_migration list[MIGRATIONS_MAX];
	size_t n = 0;
	char local[256];
	if (!err || errsz == 0) {
		err = local;
		errsz = sizeof local;
	}
	err[0] = '\0';
	int rc = collect(store_dialect(s), list, MIGRATIONS_MAX, &n, err, errsz);
	if (rc != 0)
		return rc;
	return store_migrate_list(s, list, n, version, err, errsz);
}
