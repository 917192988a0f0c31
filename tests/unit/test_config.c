/* test_config.c: the flag / environment / default table (src/cli/config.h).
 *
 * A small option table of our own; each case sets the environment, parses
 * an argv and compares with values worked out by hand from config.h:
 * default < environment < flag, --flag=value and --flag value, int bounds,
 * leftovers in rest/nrest. */
#include "testutil.h"

#include "base/err.h"
#include "cli/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEMS(x) (sizeof(x) / sizeof((x)[0]))

enum { O_NAME, O_PORT, O_VERBOSE, O_DIR, O_COUNT };

static const struct config_opt opts[O_COUNT] = {
    [O_NAME] = {"name", "IBBIS_TCFG_NAME", CONFIG_STR, "anon", 0, 0, "a name"},
    [O_PORT] = {"port", "IBBIS_TCFG_PORT", CONFIG_INT, "8080", 1, 65535, "a port"},
    [O_VERBOSE] = {"verbose", "IBBIS_TCFG_VERBOSE", CONFIG_BOOL, "0", 0, 0, "chatty"},
    [O_DIR] = {"dir", NULL, CONFIG_STR, NULL, 0, 0, "no env, no default"},
};

#define MAXARGS 8

struct want_val {
	const char *str; /* NULL: expect NULL */
	long num;	 /* checked for INT and BOOL */
	int set_by;
};

struct cfg_case {
	const char *what;
	const char *env_name, *env_port, *env_verbose; /* NULL: unset */
	const char *argv[MAXARGS];		       /* argv[0] is the command */
	int rc;
	struct want_val want[O_COUNT]; /* when rc == 0 */
	const char *rest[MAXARGS];     /* the leftovers, NULL-terminated */
};

#define DEF_NAME                                                                                   \
	{                                                                                          \
		"anon", 0, 0                                                                       \
	}
#define DEF_PORT                                                                                   \
	{                                                                                          \
		"8080", 8080, 0                                                                    \
	}
#define DEF_VERB                                                                                   \
	{                                                                                          \
		"0", 0, 0                                                                          \
	}
#define DEF_DIR                                                                                    \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}
#define DEFAULTS                                                                                   \
	{                                                                                          \
		DEF_NAME, DEF_PORT, DEF_VERB, DEF_DIR                                              \
	}

static const struct cfg_case cases[] = {
    {"defaults", NULL, NULL, NULL, {"cmd"}, 0, DEFAULTS, {NULL}},
    {"environment",
     "bob",
     "9000",
     "1",
     {"cmd"},
     0,
     {{"bob", 0, 1}, {"9000", 9000, 1}, {"1", 1, 1}, DEF_DIR},
     {NULL}},
    {"environment bool false",
     NULL,
     NULL,
     "0",
     {"cmd"},
     0,
     {DEF_NAME, DEF_PORT, {"0", 0, 1}, DEF_DIR},
     {NULL}},
    {"flags with =",
     NULL,
     NULL,
     NULL,
     {"cmd", "--name=eve", "--port=81", "--dir=/tmp"},
     0,
     {{"eve", 0, 2}, {"81", 81, 2}, DEF_VERB, {"/tmp", 0, 2}},
     {NULL}},
    {"flags with a separate value",
     NULL,
     NULL,
     NULL,
     {"cmd", "--name", "eve", "--port", "81", "--dir", "/tmp"},
     0,
     {{"eve", 0, 2}, {"81", 81, 2}, DEF_VERB, {"/tmp", 0, 2}},
     {NULL}},
    {"flags override the environment",
     "bob",
     "9000",
     "0",
     {"cmd", "--port", "82", "--name=carol", "--verbose"},
     0,
     {{"carol", 0, 2}, {"82", 82, 2}, {NULL, 1, 2}, DEF_DIR},
     {NULL}},
    {"environment beats default, flag beats only its own option",
     NULL,
     "9000",
     NULL,
     {"cmd", "--name=x"},
     0,
     {{"x", 0, 2}, {"9000", 9000, 1}, DEF_VERB, DEF_DIR},
     {NULL}},
    {"bool flag alone is true",
     NULL,
     NULL,
     NULL,
     {"cmd", "--verbose"},
     0,
     {DEF_NAME, DEF_PORT, {NULL, 1, 2}, DEF_DIR},
     {NULL}},
    {"bool flag =true",
     NULL,
     NULL,
     NULL,
     {"cmd", "--verbose=true"},
     0,
     {DEF_NAME, DEF_PORT, {"true", 1, 2}, DEF_DIR},
     {NULL}},
    {"bool flag =0 overrides env 1",
     NULL,
     NULL,
     "1",
     {"cmd", "--verbose=0"},
     0,
     {DEF_NAME, DEF_PORT, {"0", 0, 2}, DEF_DIR},
     {NULL}},
    {"bool flag with a separate 0 (--access-log 0)",
     NULL,
     NULL,
     "1",
     {"cmd", "--verbose", "0", "rest"},
     0,
     {DEF_NAME, DEF_PORT, {"0", 0, 2}, DEF_DIR},
     {"rest", NULL}},
    {"bool flag followed by a word that is no boolean leaves it",
     NULL,
     NULL,
     NULL,
     {"cmd", "--verbose", "file"},
     0,
     {DEF_NAME, DEF_PORT, {NULL, 1, 2}, DEF_DIR},
     {"file", NULL}},
    {"bool flag with a word that is no boolean is refused",
     NULL,
     NULL,
     NULL,
     {"cmd", "--verbose=maybe"},
     ERR_INVALID,
     DEFAULTS,
     {NULL}},
    {"later flag wins",
     NULL,
     NULL,
     NULL,
     {"cmd", "--port=81", "--port", "83"},
     0,
     {DEF_NAME, {"83", 83, 2}, DEF_VERB, DEF_DIR},
     {NULL}},
    {"int bounds inclusive: max",
     NULL,
     NULL,
     NULL,
     {"cmd", "--port=65535"},
     0,
     {DEF_NAME, {"65535", 65535, 2}, DEF_VERB, DEF_DIR},
     {NULL}},
    {"int bounds inclusive: min",
     NULL,
     NULL,
     NULL,
     {"cmd", "--port", "1"},
     0,
     {DEF_NAME, {"1", 1, 2}, DEF_VERB, DEF_DIR},
     {NULL}},
    {"empty string value",
     NULL,
     NULL,
     NULL,
     {"cmd", "--name="},
     0,
     {{"", 0, 2}, DEF_PORT, DEF_VERB, DEF_DIR},
     {NULL}},
    {"value containing '='",
     NULL,
     NULL,
     NULL,
     {"cmd", "--name=a=b"},
     0,
     {{"a=b", 0, 2}, DEF_PORT, DEF_VERB, DEF_DIR},
     {NULL}},
    {"positional leftovers",
     NULL,
     NULL,
     NULL,
     {"cmd", "--port", "81", "alice", "bob"},
     0,
     {DEF_NAME, {"81", 81, 2}, DEF_VERB, DEF_DIR},
     {"alice", "bob", NULL}},
    {"positional only", NULL, NULL, NULL, {"cmd", "one"}, 0, DEFAULTS, {"one", NULL}},
    {"-- ends the flags",
     NULL,
     NULL,
     NULL,
     {"cmd", "--name=x", "--", "--port=1", "z"},
     0,
     {{"x", 0, 2}, DEF_PORT, DEF_VERB, DEF_DIR},
     {"--port=1", "z", NULL}},
    /* failures */
    {"int above max", NULL, NULL, NULL, {"cmd", "--port=65536"}, ERR_INVALID, DEFAULTS, {NULL}},
    {"int below min", NULL, NULL, NULL, {"cmd", "--port", "0"}, ERR_INVALID, DEFAULTS, {NULL}},
    {"int negative", NULL, NULL, NULL, {"cmd", "--port=-1"}, ERR_INVALID, DEFAULTS, {NULL}},
    {"int not a number", NULL, NULL, NULL, {"cmd", "--port=http"}, ERR_INVALID, DEFAULTS, {NULL}},
    {"int with junk", NULL, NULL, NULL, {"cmd", "--port=80x"}, ERR_INVALID, DEFAULTS, {NULL}},
    {"int empty", NULL, NULL, NULL, {"cmd", "--port="}, ERR_INVALID, DEFAULTS, {NULL}},
    {"int out of bounds in the environment",
     NULL,
     "70000",
     NULL,
     {"cmd"},
     ERR_INVALID,
     DEFAULTS,
     {NULL}},
    {"int junk in the environment", NULL, "80 ", NULL, {"cmd"}, ERR_INVALID, DEFAULTS, {NULL}},
    {"unknown flag", NULL, NULL, NULL, {"cmd", "--bogus"}, ERR_INVALID, DEFAULTS, {NULL}},
    {"unknown flag with value",
     NULL,
     NULL,
     NULL,
     {"cmd", "--bogus=1"},
     ERR_INVALID,
     DEFAULTS,
     {NULL}},
    {"prefix of a flag is unknown",
     NULL,
     NULL,
     NULL,
     {"cmd", "--por=1"},
     ERR_INVALID,
     DEFAULTS,
     {NULL}},
    {"flag name is case-sensitive",
     NULL,
     NULL,
     NULL,
     {"cmd", "--PORT=1"},
     ERR_INVALID,
     DEFAULTS,
     {NULL}},
    {"missing value for a string",
     NULL,
     NULL,
     NULL,
     {"cmd", "--name"},
     ERR_INVALID,
     DEFAULTS,
     {NULL}},
    {"missing value for an int",
     NULL,
     NULL,
     NULL,
     {"cmd", "--port=81", "--port"},
     ERR_INVALID,
     DEFAULTS,
     {NULL}},
    {"a very long unknown flag",
     NULL,
     NULL,
     NULL,
     {"cmd", "--xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	     "xxxxxxxxxxxxxxxxxxxxxxxxxxxx=1"},
     ERR_INVALID,
     DEFAULTS,
     {NULL}},
};

static void set_env(const char *name, const char *value)
{
	if (value)
		assert_int_equal(setenv(name, value, 1), 0);
	else
		assert_int_equal(unsetenv(name), 0);
}

static void test_config_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const struct cfg_case *c = &cases[i];
		set_env("IBBIS_TCFG_NAME", c->env_name);
		set_env("IBBIS_TCFG_PORT", c->env_port);
		set_env("IBBIS_TCFG_VERBOSE", c->env_verbose);

		char *argv[MAXARGS + 1];
		int argc = 0;
		while (argc < MAXARGS && c->argv[argc]) {
			argv[argc] = (char *)c->argv[argc];
			argc++;
		}
		argv[argc] = NULL;

		struct config_val vals[O_COUNT];
		char **rest = NULL;
		int nrest = -1;
		int rc = config_parse(opts, O_COUNT, vals, argc, argv, &rest, &nrest);
		if (rc != c->rc)
			print_error("case %zu (%s): rc %d, want %d\n", i, c->what, rc, c->rc);
		assert_int_equal(rc, c->rc);
		if (rc != 0)
			continue;
		for (int k = 0; k < O_COUNT; k++) {
			const struct want_val *w = &c->want[k];
			if (w->set_by != vals[k].set_by)
				print_error("case %zu (%s): --%s set_by %d, want %d\n", i, c->what,
					    opts[k].flag, vals[k].set_by, w->set_by);
			assert_int_equal(vals[k].set_by, w->set_by);
			if (opts[k].type != CONFIG_BOOL || w->str)
				assert_true((w->str == NULL) == (vals[k].str == NULL));
			if (w->str)
				assert_string_equal(vals[k].str, w->str);
			if (opts[k].type != CONFIG_STR)
				assert_int_equal(vals[k].num, w->num);
		}
		int want_nrest = 0;
		while (c->rest[want_nrest])
			want_nrest++;
		assert_int_equal(nrest, want_nrest);
		assert_non_null(rest);
		for (int k = 0; k < nrest; k++)
			assert_string_equal(rest[k], c->rest[k]);
		/* Pointers into argv, not copies. */
		if (nrest > 0)
			assert_ptr_equal(rest, argv + (argc - nrest));
	}
	set_env("IBBIS_TCFG_NAME", NULL);
	set_env("IBBIS_TCFG_PORT", NULL);
	set_env("IBBIS_TCFG_VERBOSE", NULL);
}

/* Values are borrowed from argv or the environment, not copied. */
static void test_config_borrowed(void **state)
{
	(void)state;
	set_env("IBBIS_TCFG_NAME", NULL);
	set_env("IBBIS_TCFG_PORT", NULL);
	set_env("IBBIS_TCFG_VERBOSE", NULL);
	char a0[] = "cmd", a1[] = "--dir", a2[] = "/srv/x";
	char *argv[] = {a0, a1, a2, NULL};
	struct config_val vals[O_COUNT];
	char **rest;
	int nrest;
	assert_int_equal(config_parse(opts, O_COUNT, vals, 3, argv, &rest, &nrest), 0);
	assert_ptr_equal(vals[O_DIR].str, a2);
	assert_int_equal(nrest, 0);
}

static void test_config_find(void **state)
{
	(void)state;
	assert_int_equal(config_find(opts, O_COUNT, "name"), O_NAME);
	assert_int_equal(config_find(opts, O_COUNT, "port"), O_PORT);
	assert_int_equal(config_find(opts, O_COUNT, "dir"), O_DIR);
	assert_int_equal(config_find(opts, O_COUNT, "nope"), -1);
	assert_int_equal(config_find(opts, O_COUNT, ""), -1);
	assert_int_equal(config_find(opts, O_COUNT, "--port"), -1);
	assert_int_equal(config_find(opts, 0, "port"), -1);
}

/* The usage text names every flag, its default and its variable. */
static void test_config_usage(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	config_usage(f, "serve", "[flags]", opts, O_COUNT);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(text, "serve"));
	assert_non_null(strstr(text, "--name"));
	assert_non_null(strstr(text, "--port"));
	assert_non_null(strstr(text, "--verbose"));
	assert_non_null(strstr(text, "--dir"));
	assert_non_null(strstr(text, "8080"));
	assert_non_null(strstr(text, "IBBIS_TCFG_PORT"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config_table),
	    cmocka_unit_test(test_config_borrowed),
	    cmocka_unit_test(test_config_find),
	    cmocka_unit_test(test_config_usage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
