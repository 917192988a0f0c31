/* cmd_study.c: `ibbis study export --study ID --out FILE.zip [--db PATH]
 * [--key-file PATH] [--today YYYY-MM-DD]`: a study's pseudonymised export
 * (domain/research/export.h) written to a file, audited like a download.
 * On a terminal it shows one updating progress line. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cmd_data.h"
#include "domain/research/export.h"
#include "domain/research/study.h"
#include "domain/trust/seal.h"
#include "store/store.h"

static void usage(FILE *out)
{
	fputs("usage: ibbis study export --study ID --out FILE.zip [--db PATH]\n"
	      "                          [--key-file PATH] [--today YYYY-MM-DD]\n"
	      "\n"
	      "Writes the study's pseudonymised export: one CSV file per table, with\n"
	      "dictionary.json and dictionary.md, in a zip file (docs/research.md).\n"
	      "  --today DATE  compute timelines as of this date (default: today)\n",
	      out);
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct progress {
	bool tty;
	double t0;
};

static void on_progress(void *ud, const char *file, int64_t rows)
{
	struct progress *p = ud;
	if (!p->tty)
		return;
	fprintf(stderr, "\rstudy export: %-22s %10lld rows  %6.1f s", file, (long long)rows,
		mono() - p->t0);
	fflush(stderr);
}

static int write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return ERR_IO;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n <= 0) {
			close(fd);
			return ERR_IO;
		}
		off += (size_t)n;
	}
	return close(fd) == 0 ? 0 : ERR_IO;
}

struct opts {
	const char *study, *out, *key_file, *today;
};

static int parse(int *argc, char **argv, struct opts *o)
{
	if (cmd_data_flag(argc, argv, "study", &o->study) ||
	    cmd_data_flag(argc, argv, "out", &o->out) ||
	    cmd_data_flag(argc, argv, "key-file", &o->key_file) ||
	    cmd_data_flag(argc, argv, "today", &o->today))
		return ERR_INVALID;
	for (int i = 2; i < *argc; i++) {
		if (str_eq(argv[i], "--help") || str_eq(argv[i], "-h"))
			return usage(stdout), 1;
		fprintf(stderr, "ibbis study export: unknown option '%s' (try --help)\n", argv[i]);
		return ERR_INVALID;
	}
	return 0;
}

static int export_run(struct store *s, const char *url, const struct opts *o, int64_t id,
		      day_t today)
{
	struct store_conn *c;
	struct arena a;
	arena_init(&a);
	struct study st;
	int rc = seal_setup(s, url, o->key_file, false);
	if (!rc)
		rc = store_conn_get(s, &c);
	if (!rc && (rc = study_load(c, &a, id, &st)) == ERR_NOT_FOUND)
		fprintf(stderr, "ibbis study export: --study: no study %lld\n", (long long)id);
	else if (rc == ERR_UNAVAILABLE)
		fputs("ibbis study export: no key file: the study's key cannot be unsealed\n",
		      stderr);
	struct progress p = {isatty(2) == 1, mono()};
	char *zip = NULL;
	size_t len = 0;
	struct export_stats stats = {0};
	if (!rc)
		rc = research_export_zip(c, &a, &st, today, on_progress, &p, &zip, &len, &stats);
	if (p.tty)
		fputc('\n', stderr);
	if (!rc && (rc = write_file(o->out, zip, len)))
		fprintf(stderr, "ibbis study export: --out: cannot write %s\n", o->out);
	free(zip);
	if (!rc) {
		struct audit_entry e = {.at = clock_now(),
					.actor_role = "system",
					.actor_name = "ibbis study export",
					.item = arena_printf(&a, "study:%lld", (long long)id),
					.category = "research",
					.action = "export"};
		rc = audit_record(c, &e);
	}
	if (!rc)
		fprintf(stderr, "study export: %lld cases, %lld rows, %zu bytes in %.2f s: %s\n",
			(long long)stats.cases, (long long)stats.rows, len, mono() - p.t0, o->out);
	arena_release(&a);
	return rc;
}

int cmd_study(int argc, char **argv)
{
	if (argc < 2 || !str_eq(argv[1], "export")) {
		usage(stderr);
		return argc >= 2 && (str_eq(argv[1], "--help") || str_eq(argv[1], "help"))
			       ? CLI_OK
			       : CLI_USAGE;
	}
	const char *url;
	struct opts o = {0};
	if (cli_db_flag(&argc, argv, &url))
		return CLI_USAGE;
	int rc = parse(&argc, argv, &o);
	if (rc)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	long id = 0;
	day_t today = clock_today();
	if (!o.study || str_to_long(o.study, 1, INT64_MAX, &id)) {
		fputs("ibbis study export: --study: give the study's id (a positive number)\n",
		      stderr);
		return CLI_USAGE;
	}
	if (!o.out || !*o.out) {
		fputs("ibbis study export: --out: give the zip file to write\n", stderr);
		return CLI_USAGE;
	}
	if (o.today && date_parse(o.today, &today)) {
		fprintf(stderr, "ibbis study export: --today: not a date (YYYY-MM-DD): '%s'\n",
			o.today);
		return CLI_USAGE;
	}
	struct store *s;
	if (cli_db_open(url, CLI_DB_AS_IS, &s))
		return CLI_FAIL;
	rc = export_run(s, url, &o, id, today);
	store_close(s);
	if (rc && rc != ERR_NOT_FOUND)
		fprintf(stderr, "ibbis study export: failed (%s)\n", err_code(rc));
	return rc == ERR_NOT_FOUND ? CLI_USAGE : rc ? CLI_FAIL : CLI_OK;
}
