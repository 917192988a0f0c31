/* cli_db.c: --db, $IBBIS_DB and opening the store for a command. */
#include "cli/cli_db.h"

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"
#include "store/store_backup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

/* One command runs per process, so the key file named on its command line
 * is process state, set before any thread starts. */
static const char *key_file;

/* Takes "--NAME VALUE" or "--NAME=VALUE" at argv[*i]: 1 when it matched
 * (*val set, *i moved past the value), 0 when argv[*i] is another flag,
 * ERR_INVALID when the value is missing or empty. */
static int take_flag(int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
		return 0;
	if (a[2 + n] == '=') {
		*val = a + 3 + n;
	} else if (a[2 + n] == '\0') {
		*val = *i + 1 < argc ? argv[++*i] : "";
	} else {
		return 0;
	}
	if (!**val) {
		fprintf(stderr, "ibbis: --%s needs a %s\n", name,
			strcmp(name, "db") == 0 ? "path or URL" : "path");
		return ERR_INVALID;
	}
	return 1;
}

int cli_db_flag(int *argc, char **argv, const char **url)
{
	const char *env = getenv("IBBIS_DB");
	*url = env && *env ? env : CLI_DB_DEFAULT;
	env = getenv("IBBIS_KEY_FILE");
	key_file = env && *env ? env : NULL;
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		int rc = take_flag(*argc, argv, &i, "db", url);
		if (rc == 0)
			rc = take_flag(*argc, argv, &i, "key-file", &key_file);
		if (rc < 0)
			return rc;
		if (rc == 0)
			argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

const char *cli_db_key_file(void)
{
	return key_file;
}

int cli_db_exists(const char *url)
{
	struct stat sb;
	if (store_url_is_pg(url) || stat(url, &sb) == 0)
		return 0;
	if (errno == ENOENT)
		fprintf(stderr, "ibbis: no database at %s (make one with: ibbis migrate --db %s)\n",
			url, url);
	else
		fprintf(stderr, "ibbis: %s: %s\n", url, strerror(errno));
	return ERR_NOT_FOUND;
}

int cli_db_exit(int rc)
{
	return rc == ERR_NOT_FOUND || rc == ERR_INVALID ? CLI_USAGE : CLI_FAIL;
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
	*out = NULL;
	if (mode == CLI_DB_EXISTING && cli_db_exists(url) != 0)
		return ERR_NOT_FOUND;
	int rc = store_open(url, out, err, sizeof err);
	if (rc != 0) {
		fprintf(stderr, "ibbis: cannot open the database: %s\n", err);
		return rc;
	}
	if (mode == CLI_DB_AS_IS || mode == CLI_DB_EXISTING)
		return 0;
	rc = migrate(*out, url, mode);
	if (rc != 0) {
		store_close(*out);
		*out = NULL;
	}
	return rc;
}
