/* config.h: command-line flags with environment defaults, kept in one table
 * with type, default and bounds (DESIGN.md section 3). */
#ifndef IBBIS_CONFIG_H
#define IBBIS_CONFIG_H

#include <stdio.h>

enum config_type { CONFIG_STR, CONFIG_INT, CONFIG_BOOL };

struct config_opt {
	const char *flag;  /* "listen" for --listen */
	const char *env;   /* "IBBIS_LISTEN", or NULL */
	enum config_type type;
	const char *def;   /* default as text; NULL for "computed" (see help) */
	long min, max;     /* CONFIG_INT bounds */
	const char *help;
};

struct config_val {
	const char *str; /* borrowed from argv or the environment, or the default */
	long num;
	int set_by;      /* 0 default, 1 environment, 2 flag */
};

/* Parses flags for the options in opts (n of them) into vals. Leftover
 * positional arguments go to rest and nrest (pointers into argv). Prints one
 * line naming the flag on a bad value; returns 0 or ERR_INVALID. argv[0] is
 * the command name and is skipped. */
int config_parse(const struct config_opt *opts, size_t n, struct config_val *vals, int argc,
		 char **argv, char ***rest, int *nrest);
void config_usage(FILE *f, const char *cmd, const char *synopsis, const struct config_opt *opts,
		  size_t n);
/* Index of flag in opts, or -1. */
int config_find(const struct config_opt *opts, size_t n, const char *flag);

#endif
