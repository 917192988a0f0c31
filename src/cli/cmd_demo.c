/* cmd_demo.c: `ibbis demo-data --db FILE --cases N --accounts FILE.json
 * [--seed S] [--today YYYY-MM-DD] [--key-file PATH]`: an invented data set
 * (domain/demo.h), its logins in FILE.json (mode 0600), then the sweep. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "domain/data/demo.h"
#include "domain/trust/seal.h"
#include "domain/trust/seal_upgrade.h"
#include "domain/cases/sweep.h"
#include "store/store.h"

#define LOGINS_MAX 200

struct opts {
	long cases;
	long seed;
	const char *accounts, *key_file;
	day_t today;
};

static int usage(void)
{
	fputs("usage: ibbis demo-data [--db FILE] --cases N --accounts FILE.json [--seed S]\n"
	      "                       [--today YYYY-MM-DD] [--key-file PATH]\n"
	      "\n"
	      "Writes an invented, realistic data set of N cases (teams of 4 care managers,\n"
	      "3 employment consultants and 2 supervisors; about 30 cases per care manager)\n"
	      "and its logins to FILE.json, then runs the sweep. Deterministic for a seed\n"
	      "and a day.\n",
	      stderr);
	return CLI_USAGE;
}

static int parse(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->today = clock_today();
	o->key_file = cli_db_key_file(); /* cli_db_flag took --key-file out */
	for (int i = 1; i < argc; i++) {
		const char *f = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return usage();
		i++;
		if (strcmp(f, "--cases") == 0 && str_to_long(v, 1, 10000000, &o->cases) == 0)
			continue;
		if (strcmp(f, "--seed") == 0 && str_to_long(v, 0, 2147483647L, &o->seed) == 0)
			continue;
		if (strcmp(f, "--today") == 0 && date_parse(v, &o->today) == 0)
			continue;
		if (strcmp(f, "--accounts") == 0 && *v) {
			o->accounts = v;
			continue;
		}
		fprintf(stderr, "ibbis demo-data: bad or unknown option '%s %s'\n", f, v);
		return usage();
	}
	if (!o->cases || !o->accounts) {
		fputs("ibbis demo-data: --cases and --accounts are required\n", stderr);
		return usage();
	}
	return 0;
}

static int write_accounts(const char *path, json_t *accounts)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return ERR_IO;
	/* One string, then large writes: json_dumpfd writes each token alone. */
	char *text = json_dumps(accounts, JSON_INDENT(1));
	int rc = text ? 0 : ERR_NOMEM;
	size_t len = text ? strlen(text) : 0, off = 0;
	while (rc == 0 && off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w <= 0)
			rc = ERR_IO;
		else
			off += (size_t)w;
	}
	free(text);
	if (rc == 0 && write(fd, "\n", 1) != 1)
		rc = ERR_IO;
	return close(fd) ? ERR_IO : rc;
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run(struct store *s, const char *url, const struct opts *o)
{
	struct store_conn *c;
	struct demo_stats st;
	struct sweep_stats sw;
	json_t *accounts = NULL;
	double t0 = mono();
	struct demo_opts d = {.cases = o->cases, .seed = (uint64_t)o->seed, .today = o->today,
			      .now = clock_now(),
			      .logins_max = o->cases <= LOGINS_MAX ? o->cases : LOGINS_MAX};
	int rc = seal_setup(s, url, o->key_file, true);
	if (rc == 0)
		rc = store_conn_get(s, &c);
	/* New rows only: the change stamps (docs/cache.md) have nothing to
	 * follow, and their triggers would cost a fifth of the run. The sweep
	 * below touches every case, old ones too, so it keeps them. */
	if (rc == 0 && (rc = store_set_triggers(c, false)) == 0) {
		rc = demo_generate(c, &d, &accounts, &st);
		int rc2 = store_set_triggers(c, true);
		if (rc == 0)
			rc = rc2;
	}
	if (rc == ERR_CONFLICT) {
		fputs("ibbis demo-data: this database already holds demo data\n", stderr);
		return CLI_FAIL;
	}
	/* The generator writes text as an earlier version did; it is sealed
	 * here, by the same code that upgrades such a database. */
	if (rc == 0)
		rc = seal_upgrade(s, NULL);
	if (rc == 0)
		rc = write_accounts(o->accounts, accounts);
	json_decref(accounts);
	double t1 = mono();
	if (rc == 0)
		rc = sweep_all(c, o->today, d.now, SWEEP_BATCH, NULL, NULL, &sw);
	if (rc) {
		fprintf(stderr, "ibbis demo-data: failed (%s): %s\n", err_code(rc), store_errmsg(c));
		return CLI_FAIL;
	}
	fprintf(stderr,
		"demo-data: %ld cases, %ld teams, %ld staff, %ld service users, %ld logins in %s; "
		"%ld meetings, %ld decisions; %zu tasks from the sweep; %.2f s (sweep %.2f s)\n",
		st.cases, st.teams, st.staff, st.service_users, st.logins, o->accounts, st.meetings,
		st.decisions, sw.inserted, mono() - t0, mono() - t1);
	return CLI_OK;
}

int cmd_demo_data(int argc, char **argv)
{
	const char *url;
	struct store *s;
	struct opts o;
	if (cli_db_flag(&argc, argv, &url))
		return CLI_USAGE;
	if (parse(argc, argv, &o))
		return CLI_USAGE;
	if (cli_db_open(url, CLI_DB_MIGRATE, &s))
		return CLI_FAIL;
	int rc = run(s, url, &o);
	store_close(s);
	return rc;
}
