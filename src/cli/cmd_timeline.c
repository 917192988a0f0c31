/* cmd_timeline.c: `ibbis timeline [--profile FILE] [--check FILE]`.
 *
 * The I/O around the pure engine in rules/: reads the profile (a file or
 * the embedded rules/dk-2015.conf) and the case JSON, writes the timeline
 * (spec section 9). --check runs a file of {"name","input","expected"}
 * cases and prints every difference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "rules/rules.h"

#define DEFAULT_PROFILE "rules/dk-2015.conf"
#define INPUT_MAX ((size_t)64 << 20)

static void usage(FILE *out)
{
	fputs("usage: ibbis timeline [--profile FILE] < case.json > timeline.json\n"
	      "       ibbis timeline [--profile FILE] --check CASES.json\n"
	      "\n"
	      "Computes a sickness-benefit timeline (spec/benefit-rules-dk.md, section 9)\n"
	      "from one case's facts as JSON on standard input.\n"
	      "\n"
	      "  --profile FILE  rules profile (default: the built-in rules/dk-2015.conf)\n"
	      "  --check FILE    run a JSON array of {\"name\", \"input\", \"expected\"} cases,\n"
	      "                  print each difference and 'N passed, N failed' last; a case\n"
	      "                  may name its own \"profile\" file; \"explanations\" is not\n"
	      "                  compared; expected {\"error\": \"FIELD\"} wants bad input\n"
	      "  --help          this text\n"
	      "\n"
	      "Exit status: 0 ok, 1 a --check case failed, 2 bad input or usage\n"
	      "(one line on standard error naming the field).\n",
	      out);
}

/* Reads all of f into b; 0 or an error. */
static int read_all(FILE *f, struct buf *b)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(b, chunk, n))
			return ERR_TOO_LARGE;
	return ferror(f) ? ERR_IO : 0;
}

static int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ERR_IO;
	int rc = read_all(f, b);
	fclose(f);
	return rc;
}

/* The profile at path (a file, else an embedded file), or the default. */
static int load_profile(const char *path, struct arena *a, struct rules_profile *p)
{
	char err[RULES_ERR_LEN];
	struct buf b;
	const struct embed_file *ef = embed_find(path ? path : DEFAULT_PROFILE);
	int rc;
	buf_init(&b, INPUT_MAX);
	if (path && read_file(path, &b) == 0)
		rc = rules_profile_parse(b.data, b.len, path, a, p, err);
	else if (ef)
		rc = rules_profile_parse(ef->data, ef->len, ef->path, a, p, err);
	else {
		fprintf(stderr, "ibbis timeline: %s: cannot read profile\n", path ? path : DEFAULT_PROFILE);
		buf_release(&b);
		return ERR_IO;
	}
	buf_release(&b);
	if (rc)
		fprintf(stderr, "ibbis timeline: %s\n", err);
	return rc;
}

static int run_one(const struct rules_profile *p, struct arena *a)
{
	struct buf in, out;
	struct rules_facts f;
	struct rules_timeline t;
	char err[RULES_ERR_LEN];
	int rc = CLI_OK;
	buf_init(&in, INPUT_MAX);
	buf_init(&out, INPUT_MAX);
	if (read_all(stdin, &in)) {
		fputs("ibbis timeline: input: cannot read standard input (or over 64 MiB)\n", stderr);
		rc = CLI_USAGE;
	} else if (rules_facts_parse(in.data, in.len, a, &f, err) || rules_compute(p, &f, a, &t)) {
		fprintf(stderr, "ibbis timeline: %s\n", err[0] ? err : "input: invalid");
		rc = CLI_USAGE;
	} else {
		rules_timeline_json(&t, &out);
		buf_putc(&out, '\n');
		if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout))
			rc = CLI_FAIL;
	}
	buf_release(&in);
	buf_release(&out);
	return rc;
}

/* ---- --check ---- */

static void print_diff(const char *name, const char *field, const json_t *want, const json_t *got)
{
	char *w = want ? json_dumps(want, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	char *g = got ? json_dumps(got, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	printf("%s: %s: expected %s, got %s\n", name, field, w ? w : "(absent)", g ? g : "(absent)");
	free(w);
	free(g);
}

/* Compares want and got below field; prints each difference; returns the count. */
static int diff(const char *name, const char *field, const json_t *want, const json_t *got)
{
	char sub[512];
	int n = 0;
	if (json_is_object(want) && json_is_object(got)) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)want, k, v) {
			str_fmt(sub, sizeof sub, "%s%s%s", field, *field ? "." : "", k);
			n += diff(name, sub, v, json_object_get(got, k));
		}
		json_object_foreach((json_t *)got, k, v) {
			if (json_object_get(want, k))
				continue;
			str_fmt(sub, sizeof sub, "%s%s%s", field, *field ? "." : "", k);
			n += diff(name, sub, NULL, v);
		}
		return n;
	}
	if (json_is_array(want) && json_is_array(got) && json_array_size(want) == json_array_size(got)) {
		for (size_t i = 0; i < json_array_size(want); i++) {
			str_fmt(sub, sizeof sub, "%s[%zu]", field, i);
			n += diff(name, sub, json_array_get(want, i), json_array_get(got, i));
		}
		return n;
	}
	if (want && got && json_equal((json_t *)want, (json_t *)got))
		return 0;
	print_diff(name, field, want, got);
	return 1;
}

/* A case that expects bad input: {"error": "FIELD"}; the message must name it. */
static int check_error(const char *name, const json_t *want, int rc, const char *err)
{
	const char *field = json_string_value(json_object_get(want, "error"));
	size_t n = field ? strlen(field) : 0;
	if (rc && field && strncmp(err, field, n) == 0 && err[n] == ':')
		return 0;
	printf("%s: error: expected \"%s\", got \"%s\"\n", name, field ? field : "?", rc ? err : "(no error)");
	return 1;
}

static int check_case(const struct rules_profile *def, const json_t *c, size_t i, struct arena *a)
{
	char err[RULES_ERR_LEN] = "";
	char label[64];
	const char *name = json_string_value(json_object_get(c, "name"));
	const json_t *want = json_object_get(c, "expected");
	const char *ppath = json_string_value(json_object_get(c, "profile"));
	struct rules_profile own;
	const struct rules_profile *p = def;
	struct rules_facts f;
	struct rules_timeline t;
	if (!name) {
		str_fmt(label, sizeof label, "case[%zu]", i);
		name = label;
	}
	if (ppath) {
		if (load_profile(ppath, a, &own))
			return printf("%s: profile: cannot load %s\n", name, ppath), 1;
		p = &own;
	}
	int rc = rules_facts_from_json(json_object_get(c, "input"), a, &f, err);
	if (rc == 0)
		rc = rules_compute(p, &f, a, &t);
	if (json_object_get(want, "error"))
		return check_error(name, want, rc, err);
	if (rc)
		return printf("%s: input: %s\n", name, err), 1;
	struct buf out;
	buf_init(&out, INPUT_MAX);
	rules_timeline_json(&t, &out);
	json_t *got = json_loadb(out.data, out.len, 0, NULL);
	buf_release(&out);
	json_object_del(got, "explanations");
	json_t *w = json_deep_copy(want);
	json_object_del(w, "explanations");
	int n = diff(name, "", w, got);
	json_decref(w);
	json_decref(got);
	return n ? 1 : 0;
}

static int run_check(const struct rules_profile *p, const char *path, struct arena *a)
{
	json_error_t je;
	json_t *cases = json_load_file(path, 0, &je);
	if (!json_is_array(cases)) {
		fprintf(stderr, "ibbis timeline: %s:%d: %s\n", path, je.line, cases ? "not a JSON array" : je.text);
		json_decref(cases);
		return CLI_USAGE;
	}
	size_t passed = 0, failed = 0;
	for (size_t i = 0; i < json_array_size(cases); i++) {
		if (check_case(p, json_array_get(cases, i), i, a))
			failed++;
		else
			passed++;
		arena_reset(a);
	}
	json_decref(cases);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? CLI_FAIL : CLI_OK;
}

int cmd_timeline(int argc, char **argv)
{
	const char *profile = NULL, *check = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return CLI_OK;
		} else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc) {
			profile = argv[++i];
		} else if (strcmp(argv[i], "--check") == 0 && i + 1 < argc) {
			check = argv[++i];
		} else {
			fprintf(stderr, "ibbis timeline: unknown or incomplete option '%s' (try --help)\n", argv[i]);
			return CLI_USAGE;
		}
	}
	struct arena pa, a;
	struct rules_profile p;
	arena_init(&pa);
	arena_init(&a);
	int rc = load_profile(profile, &pa, &p) ? CLI_USAGE : check ? run_check(&p, check, &a) : run_one(&p, &a);
	arena_release(&a);
	arena_release(&pa);
	return rc;
}
