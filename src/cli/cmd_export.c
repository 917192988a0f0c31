/* cmd_export.c: `ibbis export --db URL [--out FILE]`: the whole database as
 * JSON lines (format in domain/dump.h), to stdout or FILE (mode 0600). */
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cmd_data.h"

#include "base/err.h"
#include "base/str.h"
#include "domain/data/dump.h"
#include "store/store.h"
#include "store/store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cmd_data_flag(int *argc, char **argv, const char *name, const char **value)
{
	size_t n = strlen(name);
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] == '-' && strncmp(a + 2, name, n) == 0 &&
		    (a[2 + n] == 0 || a[2 + n] == '=')) {
			const char *v = a[2 + n] == '=' ? a + 3 + n : (i + 1 < *argc ? argv[++i] : "");
			if (!v[0]) {
				fprintf(stderr, "ibbis: --%s needs a value\n", name);
				return ERR_INVALID;
			}
			*value = v;
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

static int export_usage(void)
{
	fputs("usage: ibbis export [--db URL] [--out FILE]\n"
	      "  writes every table as JSON lines (see docs/operations.md)\n",
	      stderr);
	return CLI_USAGE;
}

/* A new file only its owner may read: the export holds password hashes
 * and sealed text. caller closes */
static FILE *open_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

int cmd_export(int argc, char **argv)
{
	const char *url = NULL, *out = NULL;
	if (cli_db_flag(&argc, argv, &url) != 0 || cmd_data_flag(&argc, argv, "out", &out) != 0 ||
	    argc != 1)
		return export_usage();
	struct store *s = NULL;
	int orc = cli_db_open(url, CLI_DB_EXISTING, &s);
	if (orc != 0)
		return cli_db_exit(orc);
	FILE *f = out ? open_private(out) : stdout;
	if (!f) {
		fprintf(stderr, "ibbis: %s: %s\n", out, strerror(errno));
		store_close(s);
		return CLI_FAIL;
	}
	struct store_conn *c;
	char err[512] = "";
	long rows = 0;
	int rc = store_conn_get(s, &c);
	if (rc == 0)
		rc = dump_export(c, f, &rows, err, sizeof err);
	else
		str_fmt(err, sizeof err, "no database connection");
	if (out && fclose(f) != 0 && rc == 0) {
		str_fmt(err, sizeof err, "%s: %s", out, strerror(errno));
		rc = ERR_IO;
	}
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "ibbis: export failed: %s\n", err);
		if (out)
			unlink(out);
		return CLI_FAIL;
	}
	fprintf(stderr, "exported %ld rows\n", rows);
	return CLI_OK;
}
