/* cli_db.c: --db, $IBBIS_DB and opening the store for a command. */
#include "cli/cli_db.h"

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_db_flag(int *argc, char **argv, const char **url)
{
	const char *env = getenv("IBBIS_DB");
	*url = env && *env ? env : CLI_DB_DEFAULT;
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 >= *argc || !argv[i + 1][0]) {
				fputs("ibbis: --db needs a path or URL\n", stderr);
				return ERR_INVALID;
			}
			*url = argv[++i];
		} else if (str_starts_with(argv[i], "--db=")) {
			*url = argv[i] + 5;
			if (!**url) {
				fputs("ibbis: --db needs a path or URL\n", stderr);
				return ERR_INVALID;
			}
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

static int migrate(struct store *s, const char *url, enum cli_db_mode mode)
{
	char err[512];
	struct store_conn *c;
	int v = 0;
	int rc = store_conn_get(s, &c);
	if (rc == 0)
		rc = store_schema_version(c, &v);
	if (rc != 0) {
		fprintf(stderr, "ibbis: %s: cannot read the schema version\n", url);
		return rc;
	}
	int latest = store_latest_version(s);
	if (mode == CLI_DB_MIGRATE_NEW && v != 0) {
		if (v < latest)
			fprintf(stderr,
				"ibbis: %s: schema version %d, this program expects %d; run: ibbis "
				"migrate\n",
				url, v, latest);
		return v < latest ? ERR_DB : 0;
	}
	rc = store_migrate(s, &v, err, sizeof err);
	if (rc != 0)
		fprintf(stderr, "ibbis: migration failed: %s\n", err);
	return rc;
}

int cli_db_open(const char *url, enum cli_db_mode mode, struct store **out)
{
	char err[512];
	int rc = store_open(url, out, err, sizeof err);
	if (rc != 0) {
		fprintf(stderr, "ibbis: cannot open the database: %s\n", err);
		return rc;
	}
	if (mode == CLI_DB_AS_IS)
		return 0;
	rc = migrate(*out, url, mode);
	if (rc != 0) {
		store_close(*out);
		*out = NULL;
	}
	return rc;
}
