/* dump.h: export and import of a whole database as JSON lines, the same
 * for both backends (see docs/operations.md, "Export and import").
 *
 * Format (one JSON object per line, UTF-8):
 *   {"format":"ibbis-export","version":1,"schema_version":N,"backend":"sqlite"}
 *   {"table":"organisations","row":{"id":1,"name":"...","kind":"health"}}
 *   ...
 *   {"end":true,"tables":T,"rows":R}
 * Tables come from the database's catalogue (sqlite_master or
 * information_schema), parents before children (foreign keys), rows in
 * primary-key order. Integers are JSON integers, reals JSON numbers, text
 * JSON strings, blobs base64 strings (standard alphabet, padded), NULL null.
 * Not exported: schema_version (the header carries it), sessions and
 * login_failures (short-lived security state: moving session token hashes
 * would keep logins alive on the new system; rate-limit windows end within
 * 15 minutes).
 *
 * Table and column names read from the catalogue are the one place where
 * SQL text is built from names: each must match [a-z_][a-z_0-9]* or the
 * dump refuses the database; they are then written as quoted identifiers.
 * Values are always bound as parameters. */
#ifndef IBBIS_DUMP_H
#define IBBIS_DUMP_H

#include <stdio.h>

struct store_conn;
struct arena;
struct buf;

#define DUMP_FORMAT_VERSION 1

enum dump_kind { DUMP_INT, DUMP_REAL, DUMP_TEXT, DUMP_BLOB };

struct dump_column {
	const char *name; /* arena */
	enum dump_kind kind;
	int pk;       /* position in the primary key (1-based), 0 if not in it */
	int identity; /* PostgreSQL identity column: sequence reset on import */
};

struct dump_table {
	const char *name; /* arena */
	struct dump_column *cols; /* arena */
	int ncols;
	int skip; /* schema_version, sessions, login_failures */
};

/* Every table of the connection's database, parents first. On failure
 * err says why. *tables: arena. */
int dump_catalog(struct store_conn *c, struct arena *a, struct dump_table **tables, int *n,
		 char *err, size_t errsz);

/* Appends "name" (a quoted identifier) to b after checking it against
 * [a-z_][a-z_0-9]{0,62}: the only way a name enters SQL text here.
 * ERR_INVALID for any other name. */
int dump_ident(struct buf *b, const char *name);

/* Writes the whole database to out inside one read transaction (a
 * consistent snapshot: REPEATABLE READ on PostgreSQL). *rows: rows written
 * (may be NULL). */
int dump_export(struct store_conn *c, FILE *out, long *rows, char *err, size_t errsz);

/* Loads an export into an empty, migrated database of the same schema
 * version, in one write transaction; keeps ids and, on PostgreSQL, moves
 * each identity sequence to max(id). ERR_CONFLICT when the database is not
 * empty, ERR_INVALID for a malformed file or another schema version. */
int dump_import(struct store_conn *c, FILE *in, long *rows, char *err, size_t errsz);

#endif
