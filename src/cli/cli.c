/* cli.c: command dispatch. */
#include "cli/cli.h"

#include <stdio.h>

#include "base/version.h"

#include "cli/cmd_data.h"
#include "cli/config.h"

extern const struct config_opt serve_opts[];
extern const size_t serve_nopts;
#include <string.h>

static int cmd_version(int argc, char **argv)
{
	printf("ibbis %s\n", ibbis_version);
	return CLI_OK;
}

static int cmd_help(int argc, char **argv);

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"serve", cmd_serve, "the web server (see: ibbis serve --help)"},
	{"migrate", cmd_migrate, "bring the database schema up to date"},
	{"user", cmd_user, "user add --role ROLE --org ORG USERNAME (password on stdin)"},
	{"org", cmd_org, "org add --kind health|jobcentre NAME"},
	{"version", cmd_version, "print the version"},
	{"help", cmd_help, "this list"},
	{"timeline", cmd_timeline, "compute a sickness-benefit timeline (spec section 9)"},
	{"sweep", cmd_sweep, "every open case's timeline into deadline tasks"},
	{"demo-data", cmd_demo_data, "demo-data --cases N --accounts FILE.json: invented data"},
	{"audit", cmd_audit, "audit verify: check the audit log's hash chain"},
	{"export", cmd_export, "export [--out FILE]: every table as JSON lines"},
	{"import", cmd_import, "import --in FILE: an export into an empty database"},
	{"backup", cmd_backup, "backup --out FILE: a consistent copy (SQLite API / pg_dump)"},
	{"restore", cmd_restore, "restore --in FILE: a backup into a new database"},
	{"keygen", cmd_keygen, "write a new key file for encryption at rest (mode 0600)"},
};

static int cmd_help(int argc, char **argv)
{
	fputs("usage: ibbis COMMAND [flags]\n\ncommands:\n", stderr);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(stderr, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fputs("\nEvery command that touches data takes --db (default ./ibbis.db, or IBBIS_DB).\n"
	      "Exit codes: 0 ok, 1 failure, 2 usage or bad input.\n\n",
	      stderr);
	config_usage(stderr, "serve", "[flags]", serve_opts, serve_nopts);
	return CLI_OK;
}

int cli_main(int argc, char **argv)
{
	if (argc < 2) {
		cmd_help(0, NULL);
		return CLI_USAGE;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "ibbis: unknown command '%s' (try: ibbis help)\n", argv[1]);
	return CLI_USAGE;
}
