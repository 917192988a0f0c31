/* cmd_migrate.c: `ibbis migrate [--db PATH]`: bring the schema up to date. */
#include "cli/cli.h"
#include "domain/trust/seal.h"
#include "domain/trust/seal_upgrade.h"
#include "cli/cli_db.h"

#include "base/err.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

int cmd_migrate(int argc, char **argv)
{
	const char *url;
	if (cli_db_flag(&argc, argv, &url) != 0)
		return CLI_USAGE;
	if (argc > 1) {
		if (strcmp(argv[1], "--help") != 0)
			fprintf(stderr, "ibbis migrate: unexpected argument '%s'\n", argv[1]);
		fputs("usage: ibbis migrate [--db PATH] [--key-file PATH]\n", stderr);
		return CLI_USAGE;
	}
	struct store *s;
	if (cli_db_open(url, CLI_DB_MIGRATE, &s) != 0)
		return CLI_FAIL;
	/* The key is created beside a database that has no sealed text yet. */
	long sealed = 0;
	if (seal_setup(s, url, cli_db_key_file(), true) || seal_upgrade(s, &sealed)) {
		store_close(s);
		return CLI_FAIL;
	}
	struct store_conn *c;
	int v = 0;
	int rc = store_conn_get(s, &c);
	if (rc == 0)
		rc = store_schema_version(c, &v);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "ibbis migrate: %s\n", err_code(rc));
		return CLI_FAIL;
	}
	printf("schema version %d\n", v);
	if (sealed > 0)
		printf("sealed %ld values written in clear by an earlier version\n", sealed);
	return CLI_OK;
}
