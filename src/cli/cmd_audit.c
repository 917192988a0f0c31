/* cmd_audit.c: `ibbis audit verify` walks the audit chain and compares it
 * with the signed checkpoints; `ibbis audit checkpoint` appends one.
 * Exit 0 when intact, 1 with one line per finding. */
#include "cli/cli.h"
#include "cli/cli_db.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/seal.h"
#include "store/store.h"

/* To stdout for --help (exit 0), to stderr for a usage error (exit 2). */
static int audit_usage(bool help)
{
	fputs("usage: ibbis audit verify|checkpoint [--db PATH] [--key-file PATH]\n"
	      "                   [--audit-checkpoints FILE]\n"
	      "  verify: checks the audit log's keyed chain and the signed checkpoints;\n"
	      "          exits 1 naming a broken entry, a truncated log, a rewritten\n"
	      "          chain or a checkpoint that does not match\n"
	      "  checkpoint: appends a signed checkpoint (entry count, head, time)\n"
	      "  the checkpoint file defaults to one beside the key file\n",
	      help ? stdout : stderr);
	return help ? CLI_OK : CLI_USAGE;
}

struct audit_opts {
	const char *url;
	const char *key;  /* NULL: the default */
	const char *file; /* NULL: the default */
	char key_path[4096];
	char cp_path[4096];
};

static void when(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* "entry" or "entries" for a count: a line reads "1 entry". static */
static const char *entries(int64_t n)
{
	return n == 1 ? "entry" : "entries";
}

/* Findings about the checkpoints themselves; returns how many. */
static int check_file(const struct audit_opts *o, const struct audit_checkpoint *cp, size_t n)
{
	int bad = 0;
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		if (!cp[i].sig_ok) {
			printf("checkpoint %s line %d: the signature does not match (the file was "
			       "changed, or signed with another key)\n",
			       o->cp_path, cp[i].line);
			bad++;
		} else if (cp[i].count < last) {
			printf("checkpoint %s line %d: fewer entries than the checkpoint before it\n",
			       o->cp_path, cp[i].line);
			bad++;
		} else {
			last = cp[i].count;
		}
	}
	return bad;
}

/* Compares the chain with each good checkpoint; returns the findings. */
static int check_chain(const struct audit_opts *o, const struct audit_checkpoint *cp, size_t n,
		       const struct audit_walk *wk, bool intact)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		if (!cp[i].sig_ok || cp[i].count == 0)
			continue;
		char w[32];
		when(cp[i].at, w);
		const int64_t *pos = bsearch(&cp[i].count, wk->at, wk->nat, sizeof *wk->at, cmp_i64);
		const char *h = pos ? wk->hash_at[pos - wk->at] : "";
		if (!*h && intact) {
			printf("audit log truncated: the checkpoint of %s (line %d) counted %lld "
			       "%s, the log has %lld\n",
			       w, cp[i].line, (long long)cp[i].count, entries(cp[i].count),
			       (long long)wk->checked);
			bad++;
		} else if (*h && strcmp(h, cp[i].head) != 0) {
			printf("audit chain rewritten: entry number %lld does not match the "
			       "checkpoint of %s (line %d)\n",
			       (long long)cp[i].count, w, cp[i].line);
			bad++;
		}
	}
	return bad;
}

static int verify_with(struct store_conn *c, const struct audit_opts *o)
{
	struct audit_checkpoint *cp = NULL;
	size_t n = 0;
	int rc = audit_checkpoint_load(o->cp_path, &cp, &n);
	if (rc && rc != ERR_NOT_FOUND) {
		fprintf(stderr, "ibbis audit verify: cannot read %s (%s)\n", o->cp_path, err_code(rc));
		return CLI_FAIL;
	}
	int64_t *at = calloc(n + 1, sizeof *at);
	char(*hash_at)[AUDIT_HASH_HEX] = calloc(n + 1, sizeof *hash_at);
	if (!at || !hash_at)
		abort();
	size_t nat = 0;
	for (size_t i = 0; i < n; i++)
		if (cp[i].sig_ok)
			at[nat++] = cp[i].count;
	qsort(at, nat, sizeof *at, cmp_i64);
	struct audit_walk wk = {.at = at, .hash_at = hash_at, .nat = nat};
	int bad = check_file(o, cp, n);
	rc = store_begin_read(c);
	if (!rc) {
		rc = audit_verify(c, &wk);
		store_rollback(c);
	}
	if (rc == ERR_INVALID) {
		printf("audit chain broken at entry %lld (%lld %s before it intact)\n",
		       (long long)wk.bad_id, (long long)wk.checked, entries(wk.checked));
		bad++;
	} else if (rc) {
		fprintf(stderr, "ibbis audit verify: %s\n", err_code(rc));
		bad++;
	}
	if (rc == 0 || rc == ERR_INVALID)
		bad += check_chain(o, cp, n, &wk, rc == 0);
	if (!bad) {
		printf("%lld %s, chain intact", (long long)wk.checked, entries(wk.checked));
		if (wk.legacy)
			printf(" (the first %lld from before the chain was keyed)",
			       (long long)wk.legacy);
		if (n) {
			char w[32];
			when(cp[n - 1].at, w);
			printf("; %zu %s, the last of %s with %lld %s\n", n,
			       n == 1 ? "checkpoint matches" : "checkpoints match", w,
			       (long long)cp[n - 1].count, entries(cp[n - 1].count));
		} else {
			printf("; no checkpoints yet in %s\n", o->cp_path);
		}
	}
	free(at);
	free(hash_at);
	free(cp);
	return bad ? CLI_FAIL : CLI_OK;
}

static int audit_run(const char *cmd, struct audit_opts *o)
{
	if (seal_key_path(o->url, o->key, o->key_path, sizeof o->key_path) ||
	    audit_checkpoint_path(o->url, o->key_path, o->file, o->cp_path, sizeof o->cp_path))
		return audit_usage(false);
	struct store *s;
	int orc = cli_db_open(o->url, CLI_DB_EXISTING, &s);
	if (orc != 0)
		return cli_db_exit(orc);
	int rc = seal_load_key(o->key_path);
	if (rc) {
		fprintf(stderr, "ibbis audit %s: cannot load the key file %s (%s): the chain's MACs "
				"and the checkpoints' signatures need it\n",
			cmd, o->key_path, err_code(rc));
		store_close(s);
		return CLI_FAIL;
	}
	struct store_conn *c;
	int out = CLI_FAIL;
	if (store_conn_get(s, &c) == 0) {
		if (strcmp(cmd, "verify") == 0) {
			out = verify_with(c, o);
		} else {
			struct audit_checkpoint cp;
			rc = audit_checkpoint_take(c, clock_now(), o->cp_path, &cp);
			if (rc)
				fprintf(stderr, "ibbis audit checkpoint: %s\n", err_code(rc));
			else
				printf("checkpoint: %lld %s, appended to %s\n", (long long)cp.count,
				       entries(cp.count), o->cp_path);
			out = rc ? CLI_FAIL : CLI_OK;
		}
	}
	store_close(s);
	return out;
}

/* --NAME VALUE or --NAME=VALUE at argv[*i]; advances *i. */
static bool flag(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	if (strcmp(argv[*i], name) == 0 && *i + 1 < argc && argv[*i + 1][0]) {
		*val = argv[++*i];
		return true;
	}
	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=' && argv[*i][n + 1]) {
		*val = argv[*i] + n + 1;
		return true;
	}
	return false;
}

int cmd_audit(int argc, char **argv)
{
	struct audit_opts o = {0};
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return audit_usage(true);
	if (cli_db_flag(&argc, argv, &o.url) != 0)
		return CLI_USAGE;
	o.key = cli_db_key_file();
	const char *cmd = NULL;
	for (int i = 1; i < argc; i++) {
		if (flag(argc, argv, &i, "--audit-checkpoints", &o.file))
			continue;
		if (cmd || (strcmp(argv[i], "verify") != 0 && strcmp(argv[i], "checkpoint") != 0))
			return audit_usage(false);
		cmd = argv[i];
	}
	if (!cmd)
		return audit_usage(false);
	if (sodium_init() < 0)
		return CLI_FAIL;
	return audit_run(cmd, &o);
}
