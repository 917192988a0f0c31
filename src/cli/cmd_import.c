/* cmd_import.c: `ibbis import --db URL --in FILE`: loads an export into an
 * empty database of either backend (a new one is migrated first). */
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cmd_data.h"

#include "base/err.h"
#include "base/str.h"
#include "domain/data/dump.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int import_usage(void)
{
	fputs("usage: ibbis import [--db URL] --in FILE   (FILE - is stdin)\n"
	      "  loads an export into an empty database, in one transaction\n",
	      stderr);
	return CLI_USAGE;
}

int cmd_import(int argc, char **argv)
{
	const char *url = NULL, *in = NULL;
	if (cli_db_flag(&argc, argv, &url) != 0 || cmd_data_flag(&argc, argv, "in", &in) != 0 ||
	    argc != 1 || !in)
		return import_usage();
	FILE *f = strcmp(in, "-") == 0 ? stdin : fopen(in, "r");
	if (!f) {
		fprintf(stderr, "ibbis: %s: %s\n", in, strerror(errno));
		return CLI_FAIL;
	}
	struct store *s = NULL;
	if (cli_db_open(url, CLI_DB_MIGRATE_NEW, &s) != 0) {
		if (f != stdin)
			fclose(f);
		return CLI_FAIL;
	}
	struct store_conn *c;
	char err[512] = "";
	long rows = 0;
	int rc = store_conn_get(s, &c);
	if (rc == 0)
		rc = dump_import(c, f, &rows, err, sizeof err);
	else
		str_fmt(err, sizeof err, "no database connection");
	if (f != stdin)
		fclose(f);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "ibbis: import failed, nothing was written: %s\n", err);
		return rc == ERR_INVALID ? CLI_USAGE : CLI_FAIL;
	}
	fprintf(stderr, "imported %ld rows\n", rows);
	return CLI_OK;
}
