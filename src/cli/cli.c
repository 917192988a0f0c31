/* cli.c: command dispatch. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static int cmd_version(int argc, char **argv)
{
	printf("ibbis %s\n", IBBIS_VERSION);
	return CLI_OK;
}

static int cmd_help(int argc, char **argv);

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"version", cmd_version, "print the version"},
	{"help", cmd_help, "this list"},
};

static int cmd_help(int argc, char **argv)
{
	fputs("usage: ibbis COMMAND [flags]\n\ncommands:\n", stderr);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(stderr, "  %-12s %s\n", commands[i].name, commands[i].summary);
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
