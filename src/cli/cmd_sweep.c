/* cmd_sweep.c: `ibbis sweep [--db PATH] [--today YYYY-MM-DD]`: every open
 * case's timeline into deadline tasks (domain/sweep.h), then housekeeping:
 * expired sessions and ended rate-limit windows. On a terminal it shows
 * one updating progress line; otherwise one summary line at the end. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "domain/accounts/ratelimit.h"
#include "domain/accounts/session.h"
#include "domain/cases/sweep.h"
#include "store/store.h"

struct progress {
	double t0;
	bool tty;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_progress(void *user, size_t done, size_t total)
{
	struct progress *p = user;
	if (!p->tty)
		return;
	double dt = now_s() - p->t0;
	fprintf(stderr, "\rsweep: %zu/%zu cases, %.0f cases/s   ", done, total,
		dt > 0 ? (double)done / dt : 0.0);
	fflush(stderr);
}

static void usage(FILE *out)
{
	fputs("usage: ibbis sweep [--db PATH] [--today YYYY-MM-DD]\n"
	      "\n"
	      "Computes every open case's timeline and creates or updates its deadline\n"
	      "tasks; removes expired sessions and ended login rate-limit windows.\n"
	      "  --today DATE  sweep as of this date (default: today in Denmark)\n",
	      out);
}

static int parse(int argc, char **argv, day_t *today)
{
	*today = clock_today();
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--today") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--today=", 8) == 0)
			v = argv[i] + 8;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return usage(stdout), 1;
		else {
			fprintf(stderr, "ibbis sweep: unknown or incomplete option '%s' (try --help)\n",
				argv[i]);
			return ERR_INVALID;
		}
		if (date_parse(v, today)) {
			fprintf(stderr, "ibbis sweep: --today: not a date (YYYY-MM-DD): '%s'\n", v);
			return ERR_INVALID;
		}
	}
	return 0;
}

static int housekeeping(struct store_conn *c, int64_t now)
{
	int rc = session_purge(c, now, SESSION_IDLE_DEFAULT);
	if (rc == 0)
		rc = ratelimit_purge(c, now);
	return rc;
}

int cmd_sweep(int argc, char **argv)
{
	const char *url;
	struct store *s;
	struct store_conn *c;
	struct sweep_stats st;
	day_t today;
	if (cli_db_flag(&argc, argv, &url))
		return CLI_USAGE;
	int rc = parse(argc, argv, &today);
	if (rc)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if (cli_db_exists(url) != 0)
		return CLI_USAGE;
	if (cli_db_open(url, CLI_DB_MIGRATE_NEW, &s))
		return CLI_FAIL;
	struct progress p = {now_s(), isatty(2) == 1};
	int64_t now = clock_now();
	rc = store_conn_get(s, &c);
	if (rc == 0)
		rc = sweep_all(c, today, now, SWEEP_BATCH, on_progress, &p, &st);
	if (rc == 0)
		rc = housekeeping(c, now);
	double dt = now_s() - p.t0;
	if (p.tty)
		fputc('\n', stderr);
	if (rc == 0)
		fprintf(stderr,
			"sweep: %zu cases in %.2f s (%.0f cases/s): %zu tasks inserted, %zu updated, "
			"%zu unchanged, %zu removed; %zu cases failed\n",
			st.cases, dt, dt > 0 ? (double)st.cases / dt : 0.0, st.inserted, st.updated,
			st.unchanged, st.removed, st.failed);
	else
		fprintf(stderr, "ibbis sweep: failed (%s): %s\n", err_code(rc), store_errmsg(c));
	store_close(s);
	return rc ? CLI_FAIL : CLI_OK;
}
