/* test_catalogue.c: every catalogue key used by a template ({{t.KEY}},
 * {{#t.KEY}}, {{{t.KEY}}}, ...) or by C code (N_("KEY")) exists in both
 * locale/en and locale/da, and the two languages hold the same keys.
 * Each missing key is printed with the file that uses it. */
#include "testutil.h"

#include "base/buf.h"
#include "base/str.h"
#include "view/i18n.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef void (*key_fn)(void *user, const char *file, const char *key, size_t n);

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* Keys in Mustache tags: "{{" then any of { # ^ / & and blanks, then "t.". */
static void scan_template(const char *file, const char *s, key_fn fn, void *user)
{
	for (const char *p = strstr(s, "{{"); p; p = strstr(p, "{{")) {
		p += 2;
		while (*p && strchr("{#^/& \t", *p))
			p++;
		if (p[0] != 't' || p[1] != '.')
			continue;
		p += 2;
		size_t n = 0;
		while (is_key_char(p[n]))
			n++;
		if (n)
			fn(user, file, p, n);
	}
}

/* Keys marked in C: N_("KEY"). */
static void scan_c(const char *file, const char *s, key_fn fn, void *user)
{
	for (const char *p = strstr(s, "N_(\""); p; p = strstr(p, "N_(\"")) {
		bool ours = p == s || !is_key_char(p[-1]); /* not MY_N_(" */
		p += 4;
		if (!ours)
			continue;
		const char *end = strchr(p, '"');
		if (end && end[1] == ')')
			fn(user, file, p, (size_t)(end - p));
	}
}

static int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[8192];
	size_t n;
	buf_reset(b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(b, chunk, n);
	fclose(f);
	return b->err;
}

/* Calls scan on every file under dir whose name ends with ext. */
static void walk(const char *dir, const char *ext,
		 void (*scan)(const char *, const char *, key_fn, void *), key_fn fn, void *user)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char path[1024];
		struct stat st;
		if (str_fmt(path, sizeof path, "%s/%s", dir, de->d_name) || stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path, ext, scan, fn, user);
		} else if (str_ends_with(path, ext)) {
			struct buf b;
			buf_init(&b, 0);
			if (read_file(path, &b) == 0)
				scan(path, b.data, fn, user);
			buf_release(&b);
		}
	}
	closedir(d);
}

struct check {
	const struct i18n *cat;
	int used, missing;
};

static void check_key(void *user, const char *file, const char *key, size_t n)
{
	struct check *c = user;
	char k[256];
	if (n >= sizeof k) {
		printf("key too long in %s: %.*s\n", file, (int)n, key);
		c->missing++;
		return;
	}
	memcpy(k, key, n);
	k[n] = '\0';
	c->used++;
	static const char *const langs[] = {"en", "da"};
	for (int i = 0; i < 2; i++) {
		if (!i18n_get(c->cat, langs[i], k)) {
			printf("missing key '%s' in locale %s (used in %s)\n", k, langs[i], file);
			c->missing++;
		}
	}
}

static void test_used_keys_exist(void **state)
{
	struct i18n *cat;
	assert_int_equal(i18n_load_dir(IBBIS_ROOT "/locale", &cat), 0);
	struct check c = {.cat = cat};
	walk(IBBIS_ROOT "/templates", ".mustache", scan_template, check_key, &c);
	walk(IBBIS_ROOT "/src", ".c", scan_c, check_key, &c);
	printf("catalogue: %d key uses checked, %d missing\n", c.used, c.missing);
	assert_int_equal(c.missing, 0);
	i18n_free(cat);
}

static int same_keys_one_way(const struct i18n *cat, const char *a, const char *b)
{
	int missing = 0;
	for (size_t i = 0; i < i18n_count(cat, a); i++) {
		const char *k = i18n_key_at(cat, a, i);
		if (!i18n_get(cat, b, k)) {
			printf("key '%s' is in locale %s but not in %s\n", k, a, b);
			missing++;
		}
	}
	return missing;
}

static void test_languages_match(void **state)
{
	struct i18n *cat;
	assert_int_equal(i18n_load_dir(IBBIS_ROOT "/locale", &cat), 0);
	assert_true(i18n_count(cat, "en") > 0);
	int missing = same_keys_one_way(cat, "en", "da") + same_keys_one_way(cat, "da", "en");
	assert_int_equal(missing, 0);
	assert_int_equal(i18n_count(cat, "en"), i18n_count(cat, "da"));
	i18n_free(cat);
}

/* The embedded catalogue (what the binary serves) loads too. */
static void test_embedded_loads(void **state)
{
	struct i18n *cat;
	assert_int_equal(i18n_load_embedded(&cat), 0);
	assert_true(i18n_count(cat, "da") > 0);
	i18n_free(cat);
}

struct collect {
	char keys[16][64];
	int n;
};

static void collect_key(void *user, const char *file, const char *key, size_t n)
{
	struct collect *c = user;
	assert_true(c->n < 16 && n < 64);
	memcpy(c->keys[c->n], key, n);
	c->keys[c->n][n] = '\0';
	c->n++;
}

/* The scanners themselves, so that the checks above cannot pass vacuously. */
static void test_scanners(void **state)
{
	struct collect c = {0};
	scan_template("x", "{{t.a.b}} {{#t.c}}{{/t.c}} {{{t.d}}} {{ t.e }} {{^t.f}} {{& t.g}}"
			   " {{tx}} {{t}} {{name}} {{>t.partial}}",
			   collect_key, &c);
	const char *want[] = {"a.b", "c", "c", "d", "e", "f", "g"};
	assert_int_equal(c.n, 7);
	for (int i = 0; i < 7; i++)
		assert_string_equal(c.keys[i], want[i]);
	struct collect d = {0};
	scan_c("y", "x = N_(\"nav.home\"); y = N_(\"err\" \"or\"); MY_N_(\"no\"); N_(\"a.b\")",
	       collect_key, &d);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.keys[0], "nav.home");
	assert_string_equal(d.keys[1], "a.b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanners),
		cmocka_unit_test(test_used_keys_exist),
		cmocka_unit_test(test_languages_match),
		cmocka_unit_test(test_embedded_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
