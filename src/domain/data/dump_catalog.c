/* dump_catalog.c: the tables and columns of a database, from its own
 * catalogue, in foreign-key order (parents first). */
#include "domain/data/dump.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "store/store.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#define DUMP_MAX_TABLES 1000
#define DUMP_MAX_COLS 500

static const char SQL_TABLES_SQLITE[] = "SELECT name FROM sqlite_master WHERE type = 'table' "
					"AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
static const char SQL_COLS_SQLITE[] =
    "SELECT name, type, pk, 0 FROM pragma_table_info($1) ORDER BY cid";
static const char SQL_FKS_SQLITE[] = "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)";

static const char SQL_TABLES_PG[] =
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
    "AND table_type = 'BASE TABLE' ORDER BY table_name";
static const char SQL_COLS_PG[] =
    "SELECT c.column_name, c.data_type, "
    "COALESCE((SELECT k.ordinal_position FROM information_schema.table_constraints t "
    "JOIN information_schema.key_column_usage k ON k.constraint_schema = t.constraint_schema "
    "AND k.constraint_name = t.constraint_name AND k.table_name = t.table_name "
    "WHERE t.table_schema = c.table_schema AND t.table_name = c.table_name "
    "AND t.constraint_type = 'PRIMARY KEY' AND k.column_name = c.column_name), 0), "
    "CASE WHEN c.is_identity = 'YES' THEN 1 ELSE 0 END "
    "FROM information_schema.columns c WHERE c.table_schema = current_schema() "
    "AND c.table_name = $1 AND c.is_generated = 'NEVER' ORDER BY c.ordinal_position";
static const char SQL_FKS_PG[] =
    "SELECT DISTINCT f.relname FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid "
    "JOIN pg_class f ON f.oid = k.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
    "WHERE k.contype = 'f' AND n.nspname = current_schema() AND t.relname = $1";

/* The one check that lets a catalogue name into SQL text. */
static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 63 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || isdigit((unsigned char)s[i])))
			return false;
	return true;
}

int dump_ident(struct buf *b, const char *name)
{
	if (!name_ok(name))
		return ERR_INVALID;
	buf_putc(b, '"');
	buf_puts(b, name);
	return buf_putc(b, '"');
}

/* SQLite's affinity rules on the declared type; PostgreSQL's data_type. */
static enum dump_kind kind_of(const char *type)
{
	char t[64];
	size_t i = 0;
	for (; type[i] && i + 1 < sizeof t; i++)
		t[i] = (char)toupper((unsigned char)type[i]);
	t[i] = 0;
	if (strstr(t, "INT") || strcmp(t, "BOOLEAN") == 0)
		return DUMP_INT;
	if (strstr(t, "BLOB") || strstr(t, "BYTEA") || t[0] == 0)
		return DUMP_BLOB;
	if (strstr(t, "REAL") || strstr(t, "FLOA") || strstr(t, "DOUB") || strstr(t, "NUMERIC") ||
	    strstr(t, "DECIMAL"))
		return DUMP_REAL;
	return DUMP_TEXT;
}

/* Not data: the cache's change counters (docs/cache.md) describe this
 * database's history, and a new database keeps its own. */
static bool skipped_column(const char *table, const char *col)
{
	return strcmp(table, "cases") == 0 && strcmp(col, "rev") == 0;
}

static bool skipped(const char *name)
{
	return strcmp(name, "schema_version") == 0 || strcmp(name, "cache_gen") == 0 ||
	       strcmp(name, "key_check") == 0 || strcmp(name, "sessions") == 0 ||
	       strcmp(name, "login_failures") == 0;
}

static int read_columns(struct store_conn *c, bool pg, struct arena *a, struct dump_table *t,
			char *err, size_t errsz)
{
	struct store_stmt *st;
	int rc = store_prepare(c, pg ? SQL_COLS_PG : SQL_COLS_SQLITE, &st);
	if (rc == 0)
		rc = store_bind_str(st, 1, t->name);
	if (rc != 0)
		return rc;
	t->cols = arena_array(a, DUMP_MAX_COLS, sizeof *t->cols);
	while ((rc = store_step(st)) == STORE_ROW) {
		if (t->ncols == DUMP_MAX_COLS) {
			store_reset(st);
			str_fmt(err, errsz, "table %s has over %d columns", t->name, DUMP_MAX_COLS);
			return ERR_INVALID;
		}
		if (skipped_column(t->name, store_col_text(st, 0, NULL)))
			continue;
		struct dump_column *col = &t->cols[t->ncols++];
		col->name = store_col_strdup(st, 0, a);
		col->kind = kind_of(store_col_text(st, 1, NULL));
		col->pk = (int)store_col_int64(st, 2);
		col->identity = (int)store_col_int64(st, 3);
		if (!col->name || !name_ok(col->name)) {
			store_reset(st);
			str_fmt(err, errsz, "table %s: a column name outside [a-z_0-9]", t->name);
			return ERR_INVALID;
		}
	}
	if (rc == 0 && t->ncols == 0) {
		str_fmt(err, errsz, "table %s: no columns found", t->name);
		return ERR_INVALID;
	}
	return rc < 0 ? rc : 0;
}

/* deps[i * n + j]: table i references table j. */
static int read_deps(struct store_conn *c, bool pg, struct dump_table *t, int n, char *deps)
{
	for (int i = 0; i < n; i++) {
		struct store_stmt *st;
		int rc = store_prepare(c, pg ? SQL_FKS_PG : SQL_FKS_SQLITE, &st);
		if (rc == 0)
			rc = store_bind_str(st, 1, t[i].name);
		if (rc != 0)
			return rc;
		while ((rc = store_step(st)) == STORE_ROW) {
			const char *p = store_col_text(st, 0, NULL);
			for (int j = 0; j < n; j++)
				if (j != i && strcmp(t[j].name, p) == 0)
					deps[(size_t)i * (size_t)n + (size_t)j] = 1;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Parents first; ties by name. A cycle (none in our schema) falls back to
 * name order for the tables in it: SQLite defers foreign keys on import,
 * PostgreSQL would refuse. */
static void order_tables(struct arena *a, struct dump_table *t, int n, const char *deps,
			 struct dump_table *out)
{
	char *placed = arena_alloc(a, (size_t)n + 1);
	for (int k = 0; k < n; k++) {
		int pick = -1;
		for (int i = 0; i < n && pick < 0; i++) {
			if (placed[i])
				continue;
			bool ready = true;
			for (int j = 0; j < n && ready; j++)
				if (deps[(size_t)i * (size_t)n + (size_t)j] && !placed[j])
					ready = false;
			if (ready)
				pick = i;
		}
		if (pick < 0) {
			for (int i = 0; i < n && pick < 0; i++)
				if (!placed[i])
					pick = i;
			log_msg(LOG_WARN, "dump: a foreign-key cycle at table %s", t[pick].name);
		}
		placed[pick] = 1;
		out[k] = t[pick];
	}
}

int dump_catalog(struct store_conn *c, struct arena *a, struct dump_table **tables, int *n,
		 char *err, size_t errsz)
{
	bool pg = strcmp(store_dialect(store_conn_store(c)), "pg") == 0;
	struct dump_table *t = arena_array(a, DUMP_MAX_TABLES, sizeof *t);
	int count = 0;
	struct store_stmt *st;
	int rc = store_prepare(c, pg ? SQL_TABLES_PG : SQL_TABLES_SQLITE, &st);
	if (rc != 0) {
		str_fmt(err, errsz, "cannot read the table list: %s", store_errmsg(c));
		return rc;
	}
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *name = store_col_text(st, 0, NULL);
		if (count == DUMP_MAX_TABLES || !name_ok(name)) {
			store_reset(st);
			str_fmt(err, errsz,
				"table '%.64s': a name outside [a-z_0-9] or too many tables", name);
			return ERR_INVALID;
		}
		t[count].name = arena_strdup(a, name);
		t[count].skip = skipped(name);
		count++;
	}
	if (rc < 0) {
		str_fmt(err, errsz, "cannot read the table list: %s", store_errmsg(c));
		return rc;
	}
	for (int i = 0; i < count; i++)
		if ((rc = read_columns(c, pg, a, &t[i], err, errsz)) != 0) {
			if (rc != ERR_INVALID)
				str_fmt(err, errsz, "cannot read the columns of %s: %s", t[i].name,
					store_errmsg(c));
			return rc;
		}
	char *deps = arena_alloc(a, (size_t)count * (size_t)count + 1);
	if ((rc = read_deps(c, pg, t, count, deps)) != 0) {
		str_fmt(err, errsz, "cannot read foreign keys: %s", store_errmsg(c));
		return rc;
	}
	struct dump_table *out = arena_array(a, (size_t)count + 1, sizeof *out);
	order_tables(a, t, count, deps, out);
	*tables = out;
	*n = count;
	return 0;
}
