/* cli_db.h: the --db flag shared by every command that touches data.
 *
 * The database is `--db PATH` or `--db=PATH`, else $IBBIS_DB, else
 * ./ibbis.db. A postgres:// URL will select PostgreSQL. */
#ifndef IBBIS_CLI_DB_H
#define IBBIS_CLI_DB_H

struct store;

#define CLI_DB_DEFAULT "./ibbis.db"

/* Takes --db out of argv (argv keeps its order; *argc shrinks) and sets
 * *url (borrowed from argv or the environment). ERR_INVALID, with a
 * message on stderr, when --db has no value. */
int cli_db_flag(int *argc, char **argv, const char **url);

enum cli_db_mode {
	CLI_DB_AS_IS,       /* open only */
	CLI_DB_MIGRATE_NEW, /* apply migrations when the database is new */
	CLI_DB_MIGRATE,     /* apply any pending migrations */
};

/* Opens the store (and migrates as asked). Messages go to stderr.
 * *out: caller frees with store_close. */
int cli_db_open(const char *url, enum cli_db_mode mode, struct store **out);

#endif
