/* cmd_backup.c: `ibbis backup --db URL --out FILE` and
 * `ibbis restore --db URL --in FILE` (docs/operations.md). SQLite: the
 * online backup API; PostgreSQL: pg_dump -Fc / pg_restore. */
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cmd_data.h"

#include "store/store_backup.h"

#include <stdio.h>

static int backup_usage(const char *cmd)
{
	fprintf(stderr,
		"usage: ibbis backup [--db URL] --out FILE\n"
		"       ibbis restore [--db URL] --in FILE   (into a new database)\n"
		"  (%s; see docs/operations.md)\n",
		cmd);
	return CLI_USAGE;
}

int cmd_backup(int argc, char **argv)
{
	const char *url = NULL, *out = NULL;
	if (cli_db_flag(&argc, argv, &url) != 0 || cmd_data_flag(&argc, argv, "out", &out) != 0 ||
	    argc != 1 || !out)
		return backup_usage("backup");
	if (cli_db_exists(url) != 0)
		return CLI_USAGE;
	char err[512] = "";
	int rc = store_url_is_pg(url) ? store_backup_pg(url, out, err, sizeof err)
				      : store_backup_sqlite(url, out, err, sizeof err);
	if (rc != 0) {
		fprintf(stderr, "ibbis: backup failed: %s\n", err);
		return CLI_FAIL;
	}
	fprintf(stderr, "backup written to %s\n", out);
	return CLI_OK;
}

int cmd_restore(int argc, char **argv)
{
	const char *url = NULL, *in = NULL;
	if (cli_db_flag(&argc, argv, &url) != 0 || cmd_data_flag(&argc, argv, "in", &in) != 0 ||
	    argc != 1 || !in)
		return backup_usage("restore");
	char err[512] = "";
	int rc = store_url_is_pg(url) ? store_restore_pg(url, in, err, sizeof err)
				      : store_restore_sqlite(in, url, err, sizeof err);
	if (rc != 0) {
		fprintf(stderr, "ibbis: restore failed: %s\n", err);
		return CLI_FAIL;
	}
	fputs("restored\n", stderr);
	return CLI_OK;
}
