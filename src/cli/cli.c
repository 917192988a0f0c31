/* cli.c: command dispatch and help.
 *
 * Help goes to stdout and exits 0 (`ibbis help`, `ibbis --help`, `ibbis
 * COMMAND --help`, `ibbis help COMMAND`); a usage error goes to stderr and
 * exits 2. Each command's synopsis lives here, in one table, so every
 * command answers --help the same way; `serve` prints its own flag table
 * (cli/config.c). */
#include "cli/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/version.h"

#include "cli/cmd_data.h"
#include "cli/config.h"

extern const struct config_opt serve_opts[];
extern const size_t serve_nopts;

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
	/* The whole usage for `COMMAND --help`; NULL: the command prints its
	 * own help when given --help. static */
	const char *usage;
};

#define DB_FLAGS "  --db PATH|URL      the database (default ./ibbis.db, or $IBBIS_DB)\n" \
		 "  --key-file PATH    the key file (default: the database path + .key,\n"   \
		 "                     ./ibbis.key for PostgreSQL, or $IBBIS_KEY_FILE)\n"

static const struct command commands[] = {
	{"serve", cmd_serve, "the web server (see: ibbis serve --help)", NULL},
	{"migrate", cmd_migrate, "bring the database schema up to date",
	 "usage: ibbis migrate [--db PATH] [--key-file PATH]\n"
	 "  applies the pending schema migrations; makes the key file (mode 0600)\n"
	 "  when the database has no sealed text yet and no key exists\n" DB_FLAGS},
	{"user", cmd_user, "user add | list | disable | enable | role: accounts",
	 "usage: ibbis user add --role ROLE [--org ORG] [--name NAME] [--lang en|da] USERNAME\n"
	 "                      (the password is the first line of stdin)\n"
	 "       ibbis user list [--role ROLE]\n"
	 "       ibbis user disable USERNAME   (ends the account's sessions)\n"
	 "       ibbis user enable USERNAME\n"
	 "       ibbis user role USERNAME ROLE (ends the account's sessions)\n"
	 "  roles: service_user care_manager employment_consultant supervisor\n"
	 "         researcher admin\n" DB_FLAGS},
	{"org", cmd_org, "org add --kind health|jobcentre NAME",
	 "usage: ibbis org add --kind health|jobcentre NAME\n" DB_FLAGS},
	{"version", cmd_version, "print the version", "usage: ibbis version\n"},
	{"help", cmd_help, "this list, or one command's help: ibbis help COMMAND",
	 "usage: ibbis help [COMMAND]\n"},
	{"timeline", cmd_timeline, "compute a sickness-benefit timeline (spec section 9)", NULL},
	{"sweep", cmd_sweep, "every open case's timeline into deadline tasks", NULL},
	{"demo-data", cmd_demo_data, "demo-data --cases N --accounts FILE.json: invented data",
	 "usage: ibbis demo-data --cases N --accounts FILE.json [--seed S]\n"
	 "                       [--today YYYY-MM-DD]\n"
	 "  an invented data set of N cases; the logins go to FILE.json (mode 0600)\n" DB_FLAGS},
	{"audit", cmd_audit, "audit verify|checkpoint: check the audit chain and its signed checkpoints", NULL},
	{"export", cmd_export, "export [--out FILE]: every table as JSON lines",
	 "usage: ibbis export [--out FILE]\n"
	 "  every table as JSON lines (docs/operations.md); stdout without --out\n" DB_FLAGS},
	{"import", cmd_import, "import --in FILE: an export into an empty database",
	 "usage: ibbis import --in FILE   (FILE - is stdin)\n"
	 "  loads an export into a new, empty database in one transaction\n" DB_FLAGS},
	{"backup", cmd_backup, "backup --out FILE: a consistent copy (SQLite API / pg_dump)",
	 "usage: ibbis backup --out FILE\n"
	 "  a consistent copy of a running database (SQLite backup API, pg_dump)\n" DB_FLAGS},
	{"restore", cmd_restore, "restore --in FILE: a backup into a new database",
	 "usage: ibbis restore --in FILE\n"
	 "  a backup into a new database; then run: ibbis audit verify\n" DB_FLAGS},
	{"keygen", cmd_keygen, "write a new key file for encryption at rest (mode 0600)",
	 "usage: ibbis keygen [--key-file PATH] [--db PATH]\n"
	 "  writes a new key file with mode 0600; an existing key file is never\n"
	 "  overwritten\n"},
	{"rekey", cmd_rekey, "rotate the key file: seal everything again with a new key",
	 "usage: ibbis rekey [--db PATH] [--key-file PATH] [--audit-checkpoints FILE]\n"
	 "  stop every server first; seals every sealed value again with a new key\n"
	 "  and signs the verified audit chain again, in one transaction; the key file\n"
	 "  becomes the new key and the old one is kept as KEY.old (backups made\n"
	 "  before the rotation need it); the checkpoint file starts anew (FILE.old)\n"
	 DB_FLAGS},
	{"mail", cmd_mail, "mail send: one pass of the outbox's sender (for cron)",
	 "usage: ibbis mail send --smtp-url URL --smtp-from ADDRESS [flags]\n"
	 "  delivers the outbox's due messages once and queues the day's reminders\n"
	 "  and digests (docs/messages.md); see: ibbis mail send --help\n"},
	{"study", cmd_study, "study export --study ID --out FILE.zip: a pseudonymised export",
	 "usage: ibbis study export --study ID --out FILE.zip [--today YYYY-MM-DD]\n"
	 "  a study's pseudonymised export: one CSV file per table, dictionary.json\n"
	 "  and dictionary.md in a zip (docs/research.md)\n" DB_FLAGS},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

static void help_list(FILE *f)
{
	fputs("usage: ibbis COMMAND [flags]\n\ncommands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fputs("\nEvery command that touches data takes --db (default ./ibbis.db, or IBBIS_DB)\n"
	      "and --key-file (default: the database path + .key, or IBBIS_KEY_FILE).\n"
	      "`ibbis COMMAND --help` shows one command. "
	      "Exit codes: 0 ok, 1 failure, 2 usage or bad input.\n",
	      f);
}

static bool is_help_flag(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* Help for one command on stdout. A command without a usage text answers
 * its own --help. */
static int help_command(const struct command *cmd)
{
	if (!cmd->usage) {
		char *argv[] = {(char *)cmd->name, "--help", NULL};
		return cmd->run(2, argv);
	}
	fputs(cmd->usage, stdout);
	return CLI_OK;
}

static int cmd_help(int argc, char **argv)
{
	if (argc >= 2) {
		const struct command *cmd = command_find(argv[1]);
		if (!cmd) {
			fprintf(stderr, "ibbis help: unknown command '%s'\n", argv[1]);
			return CLI_USAGE;
		}
		return help_command(cmd);
	}
	help_list(stdout);
	return CLI_OK;
}

int cli_main(int argc, char **argv)
{
	if (argc < 2) {
		help_list(stderr);
		return CLI_USAGE;
	}
	if (is_help_flag(argv[1]))
		return cmd_help(1, argv + 1);
	const struct command *cmd = command_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "ibbis: unknown command '%s' (try: ibbis help)\n", argv[1]);
		return CLI_USAGE;
	}
	for (int i = 2; i < argc; i++)
		if (is_help_flag(argv[i]))
			return help_command(cmd);
	return cmd->run(argc - 1, argv + 1);
}
