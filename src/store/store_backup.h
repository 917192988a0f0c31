/* store_backup.h: whole-database copies for `ibbis backup` and
 * `ibbis restore` (docs/operations.md). Functions return 0 or a negative
 * enum err, with a message in err. */
#ifndef IBBIS_STORE_BACKUP_H
#define IBBIS_STORE_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

/* A postgres:// or postgresql:// URL. */
bool store_url_is_pg(const char *url);

/* SQLite: a consistent copy of the database at db_path into out, with the
 * online backup API (the server may keep running). Written to out.tmp,
 * then renamed. */
int store_backup_sqlite(const char *db_path, const char *out, char *err, size_t errsz);

/* SQLite: copies a backup into target, which must not exist yet (or be an
 * empty file). The backup must hold a schema_version table. */
int store_restore_sqlite(const char *backup, const char *target, char *err, size_t errsz);

/* PostgreSQL: pg_dump -Fc of the URL's database into out (out.tmp, then
 * renamed). The connection settings reach pg_dump in PG* environment
 * variables, never on its command line (the URL may hold a password). */
int store_backup_pg(const char *url, const char *out, char *err, size_t errsz);

/* PostgreSQL: pg_restore of a pg_dump -Fc file into the URL's database,
 * which must hold no tables; one transaction, stops at the first error. */
int store_restore_pg(const char *url, const char *in, char *err, size_t errsz);

#endif
