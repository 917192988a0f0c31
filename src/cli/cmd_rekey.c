/* cmd_rekey.c: `ibbis rekey [--db PATH] [--key-file PATH]`: rotates the key
 * file (docs/operations.md, "Rotating the key").
 *
 * Steps, so that no step leaves data that no key opens:
 *   1. a new key is written to KEY.new (refused when it exists);
 *   2. every sealed value is opened with KEY and sealed with KEY.new, in one
 *      transaction (rekey_all: all or nothing);
 *   3. KEY becomes KEY.old (refused beforehand when it exists) and KEY.new
 *      becomes KEY;
 *   4. the audit checkpoint file, signed with the old key, becomes
 *      FILE.old, and a first checkpoint signed with the new key starts the
 *      new file (audit verify then holds the log against it).
 * A failure in step 2 removes KEY.new; one in step 3 says which file holds
 * which key. */
#include "cli/cli.h"
#include "cli/cli_db.h"

#include "base/err.h"
#include "base/str.h"
#include "audit/audit.h"
#include "base/clock.h"
#include "cli/cmd_data.h"
#include "domain/data/rekey.h"
#include "domain/trust/seal.h"
#include "store/store.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cmd_rekey(int argc, char **argv)
{
	const char *url, *cp_flag = NULL;
	if (cli_db_flag(&argc, argv, &url) != 0 ||
	    cmd_data_flag(&argc, argv, "audit-checkpoints", &cp_flag) != 0 || argc != 1) {
		fputs("usage: ibbis rekey [--db PATH] [--key-file PATH] [--audit-checkpoints FILE]\n",
		      stderr);
		return CLI_USAGE;
	}
	char key[4096], fresh[4200], old[4200], cp[4200], cp_old[4300];
	struct stat sb;
	if (seal_key_path(url, cli_db_key_file(), key, sizeof key) ||
	    str_fmt(fresh, sizeof fresh, "%s.new", key) || str_fmt(old, sizeof old, "%s.old", key)) {
		fputs("ibbis rekey: the key file's path is too long\n", stderr);
		return CLI_USAGE;
	}
	if (audit_checkpoint_path(url, key, cp_flag, cp, sizeof cp) ||
	    str_fmt(cp_old, sizeof cp_old, "%s.old", cp)) {
		fputs("ibbis rekey: the checkpoint file's path is too long\n", stderr);
		return CLI_USAGE;
	}
	if (stat(key, &sb) != 0) {
		fprintf(stderr, "ibbis rekey: no key file at %s (give --key-file)\n", key);
		return CLI_USAGE;
	}
	if (stat(old, &sb) == 0 || stat(cp_old, &sb) == 0) {
		fprintf(stderr, "ibbis rekey: %s exists from an earlier rotation; move it away "
				"first\n",
			stat(old, &sb) == 0 ? old : cp_old);
		return CLI_USAGE;
	}
	if (sodium_init() < 0)
		return CLI_FAIL;
	struct store *s;
	int rc = cli_db_open(url, CLI_DB_EXISTING, &s);
	if (rc)
		return cli_db_exit(rc);
	rc = seal_keygen(fresh);
	if (rc) {
		fprintf(stderr, "ibbis rekey: cannot write the new key %s (%s)\n", fresh,
			rc == ERR_CONFLICT ? "it exists: an earlier rotation stopped half-way?"
					   : err_code(rc));
		store_close(s);
		return CLI_FAIL;
	}
	struct store_conn *c;
	struct rekey_stats st;
	char err[512] = "";
	rc = store_conn_get(s, &c);
	if (rc == 0)
		rc = rekey_all(c, key, fresh, &st, err, sizeof err);
	if (rc) {
		store_close(s);
		unlink(fresh);
		fprintf(stderr, "ibbis rekey: %s\n", err[0] ? err : err_code(rc));
		return CLI_FAIL;
	}
	if (rename(key, old) != 0 || rename(fresh, key) != 0) {
		store_close(s);
		fprintf(stderr, "ibbis rekey: the data is sealed with the new key in %s, but it "
				"could not be moved into place (%s): move it to %s by hand\n",
			fresh, strerror(errno), key);
		return CLI_FAIL;
	}
	/* Checkpoints signed with the old key stay readable in FILE.old. */
	struct audit_checkpoint first;
	bool moved = rename(cp, cp_old) == 0 || errno == ENOENT;
	rc = moved ? seal_load_key(key) : ERR_IO;
	if (rc == 0)
		rc = audit_checkpoint_take(c, clock_now(), cp, &first);
	store_close(s);
	fprintf(stderr,
		"ibbis: %ld sealed %s in %d %s sealed again and %lld audit %s signed again with a "
		"new key; %s is the new key, %s the old one (backups made before now need it)\n",
		st.values, st.values == 1 ? "value" : "values", st.columns,
		st.columns == 1 ? "column" : "columns", (long long)st.audit_entries,
		st.audit_entries == 1 ? "entry" : "entries", key, old);
	if (rc) {
		fprintf(stderr, "ibbis rekey: but no new checkpoint was written to %s (%s): run "
				"ibbis audit checkpoint\n",
			cp, err_code(rc));
		return CLI_FAIL;
	}
	fprintf(stderr, "ibbis: checkpoints signed with the old key are in %s; %s starts anew\n",
		cp_old, cp);
	return CLI_OK;
}
