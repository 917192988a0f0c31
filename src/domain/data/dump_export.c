/* dump_export.c: the whole database as JSON lines (format in dump.h). */
#include "domain/data/dump.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define DUMP_SQL_MAX (256 * 1024)

/* SELECT of every column in primary-key order. Names were checked by
 * dump_catalog ([a-z_0-9]); SQLite reals go out with 17 digits so nothing
 * is rounded on the way. sql: caller releases. */
static int select_sql(const struct dump_table *t, bool pg, struct buf *sql)
{
	int rc = 0;
	buf_puts(sql, "SELECT ");
	for (int i = 0; i < t->ncols; i++) {
		const char *n = t->cols[i].name;
		if (i)
			buf_puts(sql, ", ");
		if (!pg && t->cols[i].kind == DUMP_REAL) {
			buf_puts(sql, "CASE WHEN ");
			rc |= dump_ident(sql, n);
			buf_puts(sql, " IS NULL THEN NULL ELSE printf('%.17g', ");
			rc |= dump_ident(sql, n);
			buf_puts(sql, ") END");
		} else {
			rc |= dump_ident(sql, n);
		}
	}
	buf_puts(sql, " FROM ");
	rc |= dump_ident(sql, t->name);
	buf_puts(sql, " ORDER BY ");
	int keys = 0;
	for (int k = 1; k <= t->ncols; k++)
		for (int i = 0; i < t->ncols; i++)
			if (t->cols[i].pk == k) {
				if (keys++)
					buf_puts(sql, ", ");
				rc |= dump_ident(sql, t->cols[i].name);
			}
	for (int i = 0; keys == 0 && i < t->ncols; i++) {
		char pos[16];
		str_fmt(pos, sizeof pos, "%s%d", i ? ", " : "", i + 1);
		buf_puts(sql, pos);
	}
	return rc ? ERR_INVALID : buf_putc(sql, 0);
}

/* One column's value as JSON; NULL with err set for text that is not
 * UTF-8. Returns a new reference. */
static json_t *value_of(struct store_stmt *st, int i, const struct dump_column *col,
			const char *table, char *err, size_t errsz)
{
	if (store_col_is_null(st, i))
		return json_null();
	size_t len = 0;
	switch (col->kind) {
	case DUMP_INT:
		return json_integer(store_col_int64(st, i));
	case DUMP_REAL:
		return json_real(strtod(store_col_text(st, i, NULL), NULL));
	case DUMP_BLOB: {
		const void *p = store_col_blob(st, i, &len);
		size_t b64len = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = malloc(b64len); /* freed below */
		if (!b64)
			abort();
		sodium_bin2base64(b64, b64len, p ? p : "", len, sodium_base64_VARIANT_ORIGINAL);
		json_t *v = json_string(b64);
		free(b64);
		return v;
	}
	case DUMP_TEXT:
	default: {
		const char *s = store_col_text(st, i, &len);
		json_t *v = json_stringn(s, len);
		if (!v)
			str_fmt(err, errsz, "%s.%s: text that is not UTF-8", table, col->name);
		return v;
	}
	}
}

static int put_line(FILE *out, json_t *obj)
{
	int rc = json_dumpf(obj, out, JSON_COMPACT);
	json_decref(obj);
	if (rc != 0 || fputc('\n', out) == EOF)
		return ERR_IO;
	return 0;
}

static int export_table(struct store_conn *c, bool pg, const struct dump_table *t, FILE *out,
			long *rows, char *err, size_t errsz)
{
	struct buf sql;
	buf_init(&sql, DUMP_SQL_MAX);
	int rc = select_sql(t, pg, &sql);
	struct store_stmt *st = NULL;
	if (rc == 0)
		rc = store_prepare(c, sql.data, &st);
	buf_release(&sql);
	if (rc != 0) {
		str_fmt(err, errsz, "cannot read table %s: %s", t->name, store_errmsg(c));
		return rc;
	}
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *row = json_object();
		for (int i = 0; i < t->ncols; i++) {
			json_t *v = value_of(st, i, &t->cols[i], t->name, err, errsz);
			if (!v) {
				json_decref(row);
				store_reset(st);
				return ERR_INVALID;
			}
			json_object_set_new(row, t->cols[i].name, v);
		}
		json_t *line = json_pack("{s:s, s:o}", "table", t->name, "row", row);
		if ((rc = put_line(out, line)) != 0) {
			store_reset(st);
			str_fmt(err, errsz, "cannot write the export");
			return rc;
		}
		(*rows)++;
	}
	if (rc < 0)
		str_fmt(err, errsz, "cannot read table %s: %s", t->name, store_errmsg(c));
	return rc < 0 ? rc : 0;
}

static int export_all(struct store_conn *c, FILE *out, long *rows, char *err, size_t errsz)
{
	bool pg = strcmp(store_dialect(store_conn_store(c)), "pg") == 0;
	/* A snapshot across all tables: READ COMMITTED would see each table
	 * at a different moment. */
	if (pg && store_exec(c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ") != 0) {
		str_fmt(err, errsz, "cannot start a snapshot: %s", store_errmsg(c));
		return ERR_DB;
	}
	int version = 0;
	int rc = store_schema_version(c, &version);
	if (rc != 0) {
		str_fmt(err, errsz, "cannot read the schema version: %s", store_errmsg(c));
		return rc;
	}
	struct arena a;
	arena_init(&a);
	struct dump_table *t = NULL;
	int n = 0;
	rc = dump_catalog(c, &a, &t, &n, err, errsz);
	if (rc == 0)
		rc = put_line(out, json_pack("{s:s, s:i, s:i, s:s}", "format", "ibbis-export",
					      "version", DUMP_FORMAT_VERSION, "schema_version",
					      version, "backend",
					      store_backend_name(store_conn_store(c))));
	int ntables = 0;
	for (int i = 0; rc == 0 && i < n; i++) {
		if (t[i].skip)
			continue;
		rc = export_table(c, pg, &t[i], out, rows, err, errsz);
		ntables++;
	}
	if (rc == 0)
		rc = put_line(out, json_pack("{s:b, s:i, s:I}", "end", 1, "tables", ntables,
					      "rows", (json_int_t)*rows));
	if (rc == ERR_IO && !err[0])
		str_fmt(err, errsz, "cannot write the export");
	arena_release(&a);
	return rc;
}

int dump_export(struct store_conn *c, FILE *out, long *rows, char *err, size_t errsz)
{
	long count = 0;
	err[0] = 0;
	int rc = store_begin_read(c);
	if (rc != 0) {
		str_fmt(err, errsz, "cannot begin a transaction: %s", store_errmsg(c));
		return rc;
	}
	rc = export_all(c, out, &count, err, errsz);
	store_rollback(c); /* read only: nothing to keep */
	if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
		str_fmt(err, errsz, "cannot write the export");
		rc = ERR_IO;
	}
	if (rows)
		*rows = count;
	return rc;
}
