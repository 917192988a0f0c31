/* test_mustache.c: the public Mustache spec (../shared/data/mustache-spec)
 * plus the project's own rules: the t. hook, escaping, parse errors. */
#include "testutil.h"

#include "base/buf.h"
#include "base/embed.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "view/mustache.h"
#include "view/view.h"

#include <stdio.h>
#include <string.h>

#define SPEC_DIR IBBIS_ROOT "/../shared/data/mustache-spec/"

static const char *spec_files[] = {"comments", "delimiters", "interpolation",
				   "inverted", "partials", "sections"};

/* Partials of one spec test, compiled; the resolver looks them up by name. */
struct partial_set {
	const char *names[16];           /* borrowed from the test's JSON */
	struct mustache *tpl[16];        /* owned */
	int n;
};

static const struct mustache *set_resolve(void *user, const char *name)
{
	const struct partial_set *ps = user;
	for (int i = 0; i < ps->n; i++)
		if (strcmp(ps->names[i], name) == 0)
			return ps->tpl[i];
	return NULL;
}

/* Runs one spec test; returns 0 when the output is as expected. */
static int run_spec_test(const char *file, json_t *test)
{
	const char *name = json_string_value(json_object_get(test, "name"));
	json_t *tplj = json_object_get(test, "template");
	const char *expected = json_string_value(json_object_get(test, "expected"));
	struct partial_set ps = {0};
	const char *key;
	json_t *val;
	char err[200];
	int failed = 0;
	json_object_foreach(json_object_get(test, "partials"), key, val) {
		assert_true(ps.n < 16);
		ps.names[ps.n] = key;
		if (mustache_compile(json_string_value(val), json_string_length(val),
				     &ps.tpl[ps.n], err, sizeof err) != 0) {
			printf("FAIL %s: %s: partial %s: %s\n", file, name, key, err);
			failed = 1;
		}
		ps.n++;
	}
	struct mustache *t = NULL;
	if (!failed && mustache_compile(json_string_value(tplj), json_string_length(tplj), &t,
					err, sizeof err) != 0) {
		printf("FAIL %s: %s: %s\n", file, name, err);
		failed = 1;
	}
	if (!failed) {
		struct mustache_env env = {.partial = set_resolve, .partial_user = &ps};
		struct buf out;
		buf_init(&out, 0);
		int rc = mustache_render(t, json_object_get(test, "data"), &env, &out);
		if (rc != 0 || strcmp(out.data, expected) != 0) {
			printf("FAIL %s: %s\n  expected: [%s]\n  got:      [%s] (rc %d)\n", file,
			       name, expected, out.data, rc);
			failed = 1;
		}
		buf_release(&out);
	}
	mustache_free(t);
	for (int i = 0; i < ps.n; i++)
		mustache_free(ps.tpl[i]);
	return failed;
}

static void test_spec_suite(void **state)
{
	int passed = 0, failed = 0;
	for (size_t f = 0; f < sizeof spec_files / sizeof *spec_files; f++) {
		char path[512];
		assert_int_equal(str_fmt(path, sizeof path, "%s%s.json", SPEC_DIR, spec_files[f]), 0);
		json_error_t jerr;
		json_t *doc = json_load_file(path, 0, &jerr);
		if (!doc)
			printf("cannot read %s: %s\n", path, jerr.text);
		assert_non_null(doc);
		size_t i;
		json_t *test;
		json_array_foreach(json_object_get(doc, "tests"), i, test) {
			if (run_spec_test(spec_files[f], test))
				failed++;
			else
				passed++;
		}
		json_decref(doc);
	}
	printf("mustache spec: %d passed, %d failed\n", passed, failed);
	assert_int_equal(failed, 0);
	assert_int_equal(passed, 136);
}

/* Compiles and renders src against the JSON text ctx, with env. */
static int render_with(const char *src, const char *ctx, const struct mustache_env *env,
		       struct buf *out)
{
	struct mustache *t;
	char err[200];
	int rc = mustache_compile(src, strlen(src), &t, err, sizeof err);
	if (rc) {
		printf("compile failed: %s\n", err);
		return rc;
	}
	json_t *data = ctx ? json_loads(ctx, 0, NULL) : NULL;
	rc = mustache_render(t, data, env, out);
	json_decref(data);
	mustache_free(t);
	return rc;
}

static void assert_renders(const char *src, const char *ctx, const struct mustache_env *env,
			   const char *expected)
{
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(render_with(src, ctx, env, &out), 0);
	assert_string_equal(out.data, expected);
	buf_release(&out);
}

static void test_escapes_all_five(void **state)
{
	assert_renders("{{x}}", "{\"x\": \"a&b<c>d\\\"e'f\"}", NULL,
		       "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	assert_renders("{{{x}}}|{{&x}}", "{\"x\": \"<&>\"}", NULL, "<&>|<&>");
}

/* "list.0": our extension for "the list has a first item" (the spec's
 * dotted names reach only into objects). Each row: template, data, output. */
static void test_array_index(void **state)
{
	static const char *const rows[][3] = {
		{"{{#a.0}}has{{/a.0}}{{^a.0}}none{{/a.0}}", "{\"a\": [1]}", "has"},
		{"{{#a.0}}has{{/a.0}}{{^a.0}}none{{/a.0}}", "{\"a\": []}", "none"},
		{"{{a.1}}|{{a.2}}", "{\"a\": [\"x\", \"y\"]}", "y|"},
		{"{{a.0.n}}", "{\"a\": [{\"n\": \"<b>\"}]}", "&lt;b&gt;"},
		{"{{#a.0}}<{{#a}}{{n}}{{/a}}>{{/a.0}}", "{\"a\": [{\"n\": 1}, {\"n\": 2}]}", "<12>"},
		{"[{{a.x}}][{{a.-1}}][{{a.01}}]", "{\"a\": [\"p\", \"q\"]}", "[][][q]"},
		{"{{o.0}}", "{\"o\": {\"0\": \"key\"}}", "key"},
		{"{{s.0}}", "{\"s\": \"text\"}", ""},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_renders(rows[i][0], rows[i][1], NULL, rows[i][2]);
}

static const char *fake_translate(void *user, const char *key)
{
	if (strcmp(key, "login.title") == 0)
		return "Log in";
	if (strcmp(key, "amp") == 0)
		return "Tom & <Jerry>";
	if (strcmp(key, "home.welcome") == 0)
		return "Welcome, {name}! Since {since}. {missing} {a.b}";
	return NULL;
}

/* Writes d/m/yyyy: distinct from the ISO form so the test sees it used. */
static int fake_date(void *user, day_t d, char *dst, size_t dstsz)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return str_fmt(dst, dstsz, "%d/%d/%d", dd, m, y);
}

static void test_t_hook(void **state)
{
	struct mustache_env env = {.translate = fake_translate, .format_date = fake_date};
	assert_renders("<h1>{{t.login.title}}</h1>", "{}", &env, "<h1>Log in</h1>");
	assert_renders("{{t.amp}}|{{{t.amp}}}", NULL, &env, "Tom &amp; &lt;Jerry&gt;|Tom & <Jerry>");
	/* a missing key renders nothing; sections see whether it exists */
	assert_renders("[{{t.nope}}]{{#t.login.title}}yes{{/t.login.title}}"
		       "{{^t.nope}}no{{/t.nope}}",
		       NULL, &env, "[]yesno");
	/* "t." keys never come from the context */
	assert_renders("{{t.login.title}}", "{\"t\": {\"login\": {\"title\": \"X\"}}}", &env,
		       "Log in");
	/* placeholders from the context, escaped; dates through the hook;
	 * an unknown placeholder stays as written */
	assert_renders("{{t.home.welcome}}",
		       "{\"name\": \"<Anna>\", \"since\": \"2016-06-01\", \"a\": {\"b\": 7}}", &env,
		       "Welcome, &lt;Anna&gt;! Since 1/6/2016. {missing} 7");
	/* without an env, t. names are simply empty */
	assert_renders("a{{t.login.title}}b", NULL, NULL, "ab");
}

static void assert_compile_error(const char *src, const char *want1, const char *want2)
{
	struct mustache *t = (struct mustache *)1;
	char err[200];
	assert_int_equal(mustache_compile(src, strlen(src), &t, err, sizeof err), ERR_INVALID);
	assert_null(t);
	if (!strstr(err, want1) || (want2 && !strstr(err, want2)))
		printf("unexpected message: %s\n", err);
	assert_non_null(strstr(err, want1));
	if (want2)
		assert_non_null(strstr(err, want2));
}

static void test_parse_errors(void **state)
{
	assert_compile_error("a\nb\n{{#items}}\nc\n", "line 3", "unclosed section 'items'");
	assert_compile_error("x\n{{#a}}\n{{/b}}", "line 3", "does not close section 'a'");
	assert_compile_error("{{/a}}", "line 1", "closes no open section");
	assert_compile_error("one\ntwo {{name", "line 2", "unclosed tag");
	assert_compile_error("{{ }}", "line 1", "empty tag name");
	assert_compile_error("\n\n\n\n{{=<% %>}}", "line 5", "=");
}

static const struct mustache *self_partial(void *user, const char *name)
{
	return user;
}

static void test_limits(void **state)
{
	struct mustache *t;
	assert_int_equal(mustache_compile("x{{>me}}", 8, &t, NULL, 0), 0);
	struct mustache_env env = {.partial = self_partial, .partial_user = t};
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(mustache_render(t, NULL, &env, &out), ERR_TOO_LARGE);
	buf_release(&out);
	/* output over the buffer's cap */
	buf_init(&out, 4);
	assert_int_equal(mustache_render(t, NULL, NULL, &out), 0);
	assert_string_equal(out.data, "x");
	mustache_free(t);
	assert_int_equal(mustache_compile("{{a}}{{a}}", 10, &t, NULL, 0), 0);
	json_t *ctx = json_pack("{s:s}", "a", "abc");
	assert_int_equal(mustache_render(t, ctx, NULL, &out), ERR_TOO_LARGE);
	json_decref(ctx);
	buf_release(&out);
	mustache_free(t);
}

static void test_render_many(void **state)
{
	struct mustache *t;
	const char *src = "{{#items}}{{name}}={{n}};{{/items}}{{^items}}none{{/items}}";
	assert_int_equal(mustache_compile(src, strlen(src), &t, NULL, 0), 0);
	const char *ctxs[] = {"{\"items\": [{\"name\": \"a\", \"n\": 1}, {\"name\": \"b\", \"n\": 2.5}]}",
			      "{\"items\": []}", "{\"items\": {\"name\": \"o\", \"n\": -3}}"};
	const char *want[] = {"a=1;b=2.5;", "none", "o=-3;"};
	for (int i = 0; i < 3; i++) {
		struct buf out;
		buf_init(&out, 0);
		json_t *ctx = json_loads(ctxs[i], 0, NULL);
		assert_int_equal(mustache_render(t, ctx, NULL, &out), 0);
		assert_string_equal(out.data, want[i]);
		json_decref(ctx);
		buf_release(&out);
	}
	mustache_free(t);
}

/* Every template compiled into the binary parses; names drop the folder
 * prefix and the extension. */
static void test_embedded_templates(void **state)
{
	struct view *v;
	assert_int_equal(view_load_embedded(&v), 0);
	unsigned want = 0;
	for (unsigned i = 0; i < embed_count; i++) {
		const char *p = embed_files[i].path;
		if (str_starts_with(p, "templates/") && str_ends_with(p, ".mustache")) {
			char name[256];
			assert_int_equal(str_copy(name, sizeof name, p + 10), 0);
			name[strlen(name) - 9] = '\0';
			assert_non_null(view_get(v, name));
			want++;
		}
	}
	printf("embedded templates: %u compiled\n", want);
	assert_null(view_get(v, "no/such/template"));
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(view_render(v, "no-such", NULL, NULL, "en", &out), ERR_NOT_FOUND);
	buf_release(&out);
	view_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_suite),
		cmocka_unit_test(test_escapes_all_five),
		cmocka_unit_test(test_array_index),
		cmocka_unit_test(test_t_hook),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_render_many),
		cmocka_unit_test(test_embedded_templates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
