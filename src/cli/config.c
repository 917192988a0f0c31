/* config.c: one table drives parsing, environment defaults and help. */
#include "cli/config.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"

int config_find(const struct config_opt *opts, size_t n, const char *flag)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(opts[i].flag, flag) == 0)
			return (int)i;
	return -1;
}

/* 1 or 0 for the words a boolean flag takes, -1 for anything else. */
static int config_bool_word(const char *s)
{
	static const char *const yes[] = {"1", "true", "yes", "on"};
	static const char *const no[] = {"0", "false", "no", "off"};
	for (size_t i = 0; i < 4; i++) {
		if (str_eq(s, yes[i]))
			return 1;
		if (str_eq(s, no[i]))
			return 0;
	}
	return -1;
}

static int config_set(const struct config_opt *o, struct config_val *v, const char *text,
		      int by)
{
	if (o->type == CONFIG_INT) {
		long x;
		if (str_to_long(text, o->min, o->max, &x)) {
			fprintf(stderr, "ibbis: --%s: '%s' is not a whole number from %ld to %ld\n",
				o->flag, text, o->min, o->max);
			return ERR_INVALID;
		}
		v->num = x;
	} else if (o->type == CONFIG_BOOL) {
		int b = config_bool_word(text);
		if (b < 0) {
			fprintf(stderr, "ibbis: --%s: '%s' is not 1 or 0 (or true/false, yes/no)\n",
				o->flag, text);
			return ERR_INVALID;
		}
		v->num = b;
	}
	v->str = text;
	v->set_by = by;
	return 0;
}

static int config_defaults(const struct config_opt *opts, size_t n, struct config_val *vals)
{
	for (size_t i = 0; i < n; i++) {
		memset(&vals[i], 0, sizeof vals[i]);
		const char *env = opts[i].env ? getenv(opts[i].env) : NULL;
		if (env && *env) {
			if (config_set(&opts[i], &vals[i], env, 1)) {
				fprintf(stderr, "ibbis: (from the environment variable %s)\n",
					opts[i].env);
				return ERR_INVALID;
			}
		} else if (opts[i].def && config_set(&opts[i], &vals[i], opts[i].def, 0)) {
			return ERR_INVALID;
		}
	}
	return 0;
}

int config_parse(const struct config_opt *opts, size_t n, struct config_val *vals, int argc,
		 char **argv, char ***rest, int *nrest)
{
	if (config_defaults(opts, n, vals))
		return ERR_INVALID;
	*rest = argv + argc;
	*nrest = 0;
	int i = 1;
	for (; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (!str_starts_with(arg, "--"))
			break;
		char name[64];
		const char *eq = strchr(arg, '=');
		size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		if (len >= sizeof name) {
			fprintf(stderr, "ibbis: unknown flag %s\n", arg);
			return ERR_INVALID;
		}
		memcpy(name, arg + 2, len);
		name[len] = '\0';
		int k = config_find(opts, n, name);
		if (k < 0) {
			fprintf(stderr, "ibbis: unknown flag --%s\n", name);
			return ERR_INVALID;
		}
		const char *val = eq ? eq + 1 : NULL;
		/* A boolean flag alone means on; "--access-log 0" takes the word
		 * after it when that word is a boolean. */
		if (!val && opts[k].type == CONFIG_BOOL)
			val = i + 1 < argc && config_bool_word(argv[i + 1]) >= 0 ? argv[++i] : "1";
		if (!val) {
			if (i + 1 >= argc) {
				fprintf(stderr, "ibbis: --%s needs a value\n", name);
				return ERR_INVALID;
			}
			val = argv[++i];
		}
		if (config_set(&opts[k], &vals[k], val, 2))
			return ERR_INVALID;
	}
	*rest = argv + i;
	*nrest = argc - i;
	return 0;
}

void config_usage(FILE *f, const char *cmd, const char *synopsis, const struct config_opt *opts,
		  size_t n)
{
	fprintf(f, "usage: ibbis %s %s\n\nflags:\n", cmd, synopsis);
	for (size_t i = 0; i < n; i++) {
		char left[64];
		str_fmt(left, sizeof left, "--%s%s", opts[i].flag,
			opts[i].type == CONFIG_BOOL ? "" : " VALUE");
		fprintf(f, "  %-22s %s", left, opts[i].help);
		if (opts[i].def)
			fprintf(f, " (default %s)", opts[i].def);
		if (opts[i].env)
			fprintf(f, " [env %s]", opts[i].env);
		fputc('\n', f);
	}
}
