/* cmd_keygen.c: `ibbis keygen [--key-file PATH] [--db PATH]`: writes a new
 * key file (mode 0600) for encryption at rest; refuses to overwrite one. */
#include "cli/cli.h"
#include "cli/cli_db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "domain/trust/seal.h"

static int keygen_usage(void)
{
	fputs("usage: ibbis keygen [--key-file PATH] [--db PATH]\n"
	      "  writes a new key file with mode 0600 (default: the database path + .key,\n"
	      "  or $IBBIS_KEY_FILE); an existing key file is never overwritten\n",
	      stderr);
	return CLI_USAGE;
}

int cmd_keygen(int argc, char **argv)
{
	const char *url;
	if (cli_db_flag(&argc, argv, &url) != 0 || argc != 1)
		return keygen_usage();
	const char *key = cli_db_key_file();
	char path[4096];
	if (seal_key_path(url, key, path, sizeof path))
		return keygen_usage();
	if (sodium_init() < 0)
		return CLI_FAIL;
	int rc = seal_keygen(path);
	if (rc == ERR_CONFLICT) {
		fprintf(stderr, "ibbis keygen: %s exists; refusing to overwrite a key (the data "
				"sealed with it would be lost)\n",
			path);
		return CLI_FAIL;
	}
	if (rc) {
		fprintf(stderr, "ibbis keygen: cannot write %s (%s)\n", path, err_code(rc));
		return CLI_FAIL;
	}
	printf("wrote %s (mode 0600)\n", path);
	return CLI_OK;
}
