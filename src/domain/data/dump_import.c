/* dump_import.c: loads an export (format in dump.h) into an empty,
 * migrated database, in one transaction, keeping ids. */
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

#define DUMP_LINE_MAX (64L * 1024 * 1024)
#define DUMP_SQL_MAX (256 * 1024)

struct importer {
	struct store_conn *c;
	bool pg;
	struct arena a;
	struct dump_table *t; /* arena */
	int n;
	char **insert_sql; /* arena: per table, built on first use */
	long rows;
	char *err;
	size_t errsz;
};

static int fail(struct importer *im, int rc, const char *fmt, const char *a, const char *b)
{
	str_fmt(im->err, im->errsz, fmt, a, b);
	return rc;
}

static int find_table(struct importer *im, const char *name)
{
	for (int i = 0; i < im->n; i++)
		if (strcmp(im->t[i].name, name) == 0)
			return i;
	return -1;
}

/* Refuses a database that holds any row outside schema_version and the
 * key check (a new database's migrate writes one; import drops it, as the
 * rows that come are sealed and chained with the export's key, and the
 * first command given that key writes its check). */
static int check_empty(struct importer *im)
{
	for (int i = 0; i < im->n; i++) {
		if (strcmp(im->t[i].name, "schema_version") == 0 ||
		    strcmp(im->t[i].name, "key_check") == 0)
			continue;
		struct buf sql;
		buf_init(&sql, DUMP_SQL_MAX);
		buf_puts(&sql, "SELECT 1 FROM ");
		int rc = dump_ident(&sql, im->t[i].name);
		buf_puts(&sql, " LIMIT 1");
		if (rc == 0)
			rc = buf_putc(&sql, 0);
		struct store_stmt *st;
		if (rc == 0)
			rc = store_prepare(im->c, sql.data, &st);
		buf_release(&sql);
		if (rc == 0)
			rc = store_step(st);
		if (rc == STORE_ROW) {
			store_reset(st);
			return fail(im, ERR_CONFLICT,
				    "the database is not empty (table %s has rows); import needs an "
				    "empty, migrated database%s",
				    im->t[i].name, "");
		}
		if (rc < 0)
			return fail(im, rc, "cannot read table %s: %s", im->t[i].name,
				    store_errmsg(im->c));
	}
	return 0;
}

static const char *insert_sql(struct importer *im, int ti)
{
	if (im->insert_sql[ti])
		return im->insert_sql[ti];
	const struct dump_table *t = &im->t[ti];
	struct buf b;
	buf_init(&b, DUMP_SQL_MAX);
	int rc = 0;
	buf_puts(&b, "INSERT INTO ");
	rc |= dump_ident(&b, t->name);
	buf_puts(&b, " (");
	for (int i = 0; i < t->ncols; i++) {
		if (i)
			buf_puts(&b, ", ");
		rc |= dump_ident(&b, t->cols[i].name);
	}
	buf_puts(&b, ") VALUES (");
	for (int i = 0; i < t->ncols; i++)
		buf_printf(&b, "%s$%d", i ? ", " : "", i + 1);
	buf_puts(&b, ")");
	if (rc == 0 && buf_putc(&b, 0) == 0)
		im->insert_sql[ti] = arena_strdup(&im->a, b.data);
	buf_release(&b);
	return im->insert_sql[ti];
}

static int bind_value(struct importer *im, struct store_stmt *st, int idx,
		      const struct dump_table *t, const struct dump_column *col, json_t *v)
{
	char num[64];
	switch (json_typeof(v)) {
	case JSON_NULL:
		return store_bind_null(st, idx);
	case JSON_TRUE:
	case JSON_FALSE:
		return store_bind_int64(st, idx, json_is_true(v) ? 1 : 0);
	case JSON_INTEGER:
		if (col->kind != DUMP_REAL)
			return store_bind_int64(st, idx, (int64_t)json_integer_value(v));
		str_fmt(num, sizeof num, "%lld", (long long)json_integer_value(v));
		return store_bind_str(st, idx, num);
	case JSON_REAL:
		/* Text, converted by the column's type (REAL / DOUBLE PRECISION). */
		str_fmt(num, sizeof num, "%.17g", json_real_value(v));
		return store_bind_str(st, idx, num);
	case JSON_STRING: {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		if (col->kind != DUMP_BLOB)
			return store_bind_text(st, idx, s, n);
		unsigned char *bin = malloc(n + 1); /* freed below */
		if (!bin)
			abort();
		size_t len = 0;
		int rc = ERR_INVALID;
		if (sodium_base642bin(bin, n + 1, s, n, NULL, &len, NULL,
				      sodium_base64_VARIANT_ORIGINAL) == 0)
			rc = store_bind_blob(st, idx, bin, len);
		free(bin);
		if (rc == ERR_INVALID)
			fail(im, rc, "%s.%s: a blob that is not base64", t->name, col->name);
		return rc;
	}
	default:
		return fail(im, ERR_INVALID, "%s.%s: an object or array as a value", t->name,
			    col->name);
	}
}

static int import_row(struct importer *im, json_t *line)
{
	const char *name = json_string_value(json_object_get(line, "table"));
	json_t *row = json_object_get(line, "row");
	if (!name || !json_is_object(row))
		return fail(im, ERR_INVALID, "a line that is neither a row nor the end%s%s", "", "");
	int ti = find_table(im, name);
	if (ti < 0 || im->t[ti].skip)
		return fail(im, ERR_INVALID, "table '%.64s' is not in this database%s", name, "");
	const struct dump_table *t = &im->t[ti];
	if ((int)json_object_size(row) != t->ncols)
		return fail(im, ERR_INVALID,
			    "a row of %s has other columns than the database's table%s", t->name,
			    "");
	const char *sql = insert_sql(im, ti);
	struct store_stmt *st;
	int rc = sql ? store_prepare(im->c, sql, &st) : ERR_TOO_LARGE;
	if (rc != 0)
		return fail(im, rc, "cannot insert into %s: %s", t->name, store_errmsg(im->c));
	for (int i = 0; i < t->ncols; i++) {
		json_t *v = json_object_get(row, t->cols[i].name);
		if (!v)
			return fail(im, ERR_INVALID, "a row of %s has no column %s", t->name,
				    t->cols[i].name);
		if ((rc = bind_value(im, st, i + 1, t, &t->cols[i], v)) != 0)
			return rc;
	}
	rc = store_step(st);
	if (rc < 0)
		return fail(im, rc, "cannot insert into %s: %s", t->name, store_errmsg(im->c));
	im->rows++;
	return 0;
}

/* PostgreSQL: identity sequences after explicit ids. */
static int reset_sequences(struct importer *im)
{
	for (int i = 0; im->pg && i < im->n; i++) {
		const struct dump_table *t = &im->t[i];
		for (int k = 0; k < t->ncols; k++) {
			if (!t->cols[k].identity)
				continue;
			struct buf sql;
			buf_init(&sql, DUMP_SQL_MAX);
			buf_puts(&sql, "SELECT setval(pg_get_serial_sequence($1, $2), m) FROM (SELECT max(");
			int rc = dump_ident(&sql, t->cols[k].name);
			buf_puts(&sql, ") AS m FROM ");
			rc |= dump_ident(&sql, t->name);
			buf_puts(&sql, ") x WHERE m IS NOT NULL");
			if (rc == 0)
				rc = buf_putc(&sql, 0);
			struct store_stmt *st;
			if (rc == 0)
				rc = store_prepare(im->c, sql.data, &st);
			buf_release(&sql);
			if (rc == 0)
				rc = store_bind_str(st, 1, t->name);
			if (rc == 0)
				rc = store_bind_str(st, 2, t->cols[k].name);
			while (rc == 0 && (rc = store_step(st)) == STORE_ROW)
				rc = 0;
			if (rc < 0)
				return fail(im, rc, "cannot move the sequence of %s: %s", t->name,
					    store_errmsg(im->c));
		}
	}
	return 0;
}

static int check_header(struct importer *im, json_t *h)
{
	const char *format = json_string_value(json_object_get(h, "format"));
	if (!format || strcmp(format, "ibbis-export") != 0)
		return fail(im, ERR_INVALID, "not an ibbis export (no header line)%s%s", "", "");
	if (json_integer_value(json_object_get(h, "version")) != DUMP_FORMAT_VERSION)
		return fail(im, ERR_INVALID, "an export format this program does not read%s%s", "",
			    "");
	int have = 0;
	int rc = store_schema_version(im->c, &have);
	if (rc != 0)
		return fail(im, rc, "cannot read the schema version: %s%s", store_errmsg(im->c), "");
	json_int_t want = json_integer_value(json_object_get(h, "schema_version"));
	if (want != have) {
		char a[32], b[32];
		str_fmt(a, sizeof a, "%lld", (long long)want);
		str_fmt(b, sizeof b, "%d", have);
		return fail(im, ERR_INVALID,
			    "the export has schema version %s, the database %s: export and "
			    "import with the same program version",
			    a, b);
	}
	return 0;
}

/* Reads lines until the end line. */
static int import_lines(struct importer *im, FILE *in)
{
	char *line = NULL; /* owned: getline's buffer */
	size_t cap = 0;
	ssize_t len;
	int rc = 0;
	long lineno = 0;
	bool header = false, end = false;
	while (rc == 0 && !end && (len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		if (len > DUMP_LINE_MAX) {
			rc = fail(im, ERR_TOO_LARGE, "a line over 64 MiB%s%s", "", "");
			break;
		}
		json_error_t je;
		json_t *j = json_loadb(line, (size_t)len, 0, &je);
		if (!json_is_object(j)) {
			char where[32];
			str_fmt(where, sizeof where, "%ld", lineno);
			rc = fail(im, ERR_INVALID, "line %s: not a JSON object (%s)", where, je.text);
		} else if (!header) {
			rc = check_header(im, j);
			header = true;
		} else if (json_is_true(json_object_get(j, "end"))) {
			end = true;
			if (json_integer_value(json_object_get(j, "rows")) != im->rows)
				rc = fail(im, ERR_INVALID, "the end line counts other rows than the "
							   "file holds%s%s",
					  "", "");
		} else {
			rc = import_row(im, j);
		}
		json_decref(j);
	}
	free(line);
	if (rc == 0 && !end)
		rc = fail(im, ERR_INVALID,
			  header ? "the export is cut short (no end line)%s%s"
				 : "an empty file%s%s",
			  "", "");
	return rc;
}

int dump_import(struct store_conn *c, FILE *in, long *rows, char *err, size_t errsz)
{
	struct importer im = {.c = c, .err = err, .errsz = errsz};
	im.pg = strcmp(store_dialect(store_conn_store(c)), "pg") == 0;
	err[0] = 0;
	arena_init(&im.a);
	int rc = store_begin_write(c);
	if (rc != 0) {
		str_fmt(err, errsz, "cannot begin a transaction: %s", store_errmsg(c));
		arena_release(&im.a);
		return rc;
	}
	/* SQLite checks foreign keys at commit, so a row may come before the
	 * row it refers to (self references). */
	if (!im.pg)
		rc = store_exec(c, "PRAGMA defer_foreign_keys = ON");
	if (rc == 0)
		rc = dump_catalog(c, &im.a, &im.t, &im.n, err, errsz);
	if (rc == 0) {
		im.insert_sql = arena_array(&im.a, (size_t)im.n + 1, sizeof *im.insert_sql);
		rc = check_empty(&im);
	}
	if (rc == 0)
		rc = store_exec(c, "DELETE FROM key_check");
	if (rc == 0)
		rc = import_lines(&im, in);
	if (rc == 0)
		rc = reset_sequences(&im);
	if (rc == 0) {
		rc = store_commit(c);
		if (rc != 0)
			str_fmt(err, errsz, "the commit failed (foreign keys?): %s", store_errmsg(c));
	} else {
		store_rollback(c);
	}
	if (rows)
		*rows = im.rows;
	arena_release(&im.a);
	return rc;
}
