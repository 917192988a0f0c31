/* cli_db.h: the --db flag shared by every command that touches data.
 *
 * The database is `--db PATH` or `--db=PATH`, else $IBBIS_DB, else
 * ./ibbis.db. A postgres:// URL selects PostgreSQL. */
#ifndef IBBIS_CLI_DB_H
#define IBBIS_CLI_DB_H

struct store;

#define CLI_DB_DEFAULT "./ibbis.db"

/* Takes --db and --key-file out of argv (argv keeps its order; *argc
 * shrinks) and sets *url (borrowed from argv or the environment).
 * ERR_INVALID, with a message on stderr, when a flag has no value. Every
 * command that touches data calls it, so every such command takes both
 * flags (DESIGN.md section 3). */
int cli_db_flag(int *argc, char **argv, const char **url);

/* The key file named by the last cli_db_flag (--key-file, else
 * $IBBIS_KEY_FILE), or NULL for the default beside the database (see
 * seal_key_path). borrowed */
const char *cli_db_key_file(void);

enum cli_db_mode {
	CLI_DB_AS_IS,       /* open only */
	CLI_DB_EXISTING,    /* open only, and a missing SQLite file is refused
			     * (ERR_NOT_FOUND) instead of created */
	CLI_DB_MIGRATE_NEW, /* apply migrations when the database is new */
	CLI_DB_MIGRATE,     /* apply any pending migrations */
};

/* Opens the store (and migrates as asked). Messages go to stderr.
 * *out: caller frees with store_close. */
int cli_db_open(const char *url, enum cli_db_mode mode, struct store **out);

/* The exit code for a failed cli_db_open: CLI_USAGE (2) when the database
 * does not exist or the flags were wrong, CLI_FAIL (1) otherwise. */
int cli_db_exit(int rc);

/* 0 when url is a PostgreSQL URL or an existing file; otherwise one line
 * on stderr naming the path, and ERR_NOT_FOUND. For commands that read a
 * database without opening the store (backup). */
int cli_db_exists(const char *url);

#endif
