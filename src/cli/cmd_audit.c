/* cmd_audit.c: `ibbis audit verify [--db PATH]`: walks the audit chain.
 * Exit 0 when intact, 1 naming the first broken link. */
#include "cli/cli.h"
#include "cli/cli_db.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "store/store.h"

/* To stdout for --help (exit 0), to stderr for a usage error (exit 2). */
static int audit_usage(bool help)
{
	fputs("usage: ibbis audit verify [--db PATH] [--key-file PATH]\n"
	      "  checks the audit log's hash chain; exits 1 naming the first broken entry\n",
	      help ? stdout : stderr);
	return help ? CLI_OK : CLI_USAGE;
}

static int audit_cmd_verify(const char *url)
{
	struct store *s;
	int orc = cli_db_open(url, CLI_DB_EXISTING, &s);
	if (orc != 0)
		return cli_db_exit(orc);
	struct store_conn *c;
	int64_t checked = 0, bad = 0;
	int rc = store_conn_get(s, &c);
	if (!rc)
		rc = store_begin_read(c);
	if (!rc) {
		rc = audit_verify(c, &checked, &bad);
		store_rollback(c);
	}
	store_close(s);
	if (rc == ERR_INVALID) {
		printf("audit chain broken at entry %lld (%lld %s before it intact)\n",
		       (long long)bad, (long long)checked, checked == 1 ? "entry" : "entries");
		return CLI_FAIL;
	}
	if (rc) {
		fprintf(stderr, "ibbis audit verify: %s\n", err_code(rc));
		return CLI_FAIL;
	}
	printf("%lld %s, chain intact\n", (long long)checked, checked == 1 ? "entry" : "entries");
	return CLI_OK;
}

int cmd_audit(int argc, char **argv)
{
	const char *url;
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return audit_usage(true);
	if (cli_db_flag(&argc, argv, &url) != 0)
		return CLI_USAGE;
	if (argc != 2 || strcmp(argv[1], "verify") != 0)
		return audit_usage(false);
	if (sodium_init() < 0)
		return CLI_FAIL;
	return audit_cmd_verify(url);
}
