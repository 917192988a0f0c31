/* test_i18n.c: .po parsing, look-up and fallbacks, Accept-Language
 * negotiation, long dates and placeholder messages. */
#include "testutil.h"

#include "base/log.h"

#include "base/buf.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "view/i18n.h"
#include "view/mustache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];

static void write_file(const char *rel, const char *text)
{
	char path[256];
	assert_int_equal(str_fmt(path, sizeof path, "%s/%s", tmpdir, rel), 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void rm_tree(void)
{
	const char *files[] = {"en.po", "da.po", "timeline/en.po", "timeline/da.po", "timeline",
			       NULL};
	for (int i = 0; files[i]; i++) {
		char path[256];
		str_fmt(path, sizeof path, "%s/%s", tmpdir, files[i]);
		if (remove(path) != 0)
			(void)0;
	}
	rmdir(tmpdir);
}

static const char en_po[] =
	"# English\n"
	"msgid \"\"\n"
	"msgstr \"\"\n"
	"\"Language: en\\n\"\n"
	"\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	"\n"
	"#. a translator comment\n"
	"msgid \"nav.home\"\n"
	"msgstr \"Home\"\n"
	"\n"
	"msgid \"multi\"\n"
	"msgstr \"\"\n"
	"\"first \"\n"
	"\"second\"\n"
	"\n"
	"msgid \"esc\"\n"
	"msgstr \"say \\\"hi\\\"\\\\\\n\\tend\"\n"
	"\n"
	"msgid \"only.en\"\n"
	"msgstr \"English only\"\n"
	"\n"
	"msgid \"welcome\"\n"
	"msgstr \"Welcome, {name}! Wait {n} min. Since {case.start}. {nope} {x\"\n"
	"msgid \"untranslated\"\n"
	"msgstr \"\"\n"
	"\n"
	"#, fuzzy\n"
	"msgid \"fuzzy\"\n"
	"msgstr \"Maybe\"\n";

static const char da_po[] = "msgid \"\"\n"
			    "msgstr \"Language: da\\n\"\n"
			    "\n"
			    "msgid \"nav.home\"\n"
			    "msgstr \"Forside\"\n"
			    "\n"
			    "msgid \"welcome\"\n"
			    "msgstr \"Velkommen, {name}! Siden {case.start}.\"\n";

static int setup(void **state)
{
	str_copy(tmpdir, sizeof tmpdir, "/tmp/test_i18n_XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	char sub[128];
	str_fmt(sub, sizeof sub, "%s/timeline", tmpdir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file("en.po", en_po);
	write_file("da.po", da_po);
	write_file("timeline/en.po", "msgid \"timeline.title\"\nmsgstr \"Timeline\"\n");
	write_file("timeline/da.po", "msgid \"timeline.title\"\r\nmsgstr \"Tidslinje\"\r\n");
	return 0;
}

static int teardown(void **state)
{
	rm_tree();
	return 0;
}

static void test_po_parsing(void **state)
{
	struct i18n *cat;
	assert_int_equal(i18n_load_dir(tmpdir, &cat), 0);
	assert_string_equal(i18n_get(cat, "en", "nav.home"), "Home");
	assert_string_equal(i18n_get(cat, "da", "nav.home"), "Forside");
	assert_string_equal(i18n_get(cat, "en", "multi"), "first second");
	assert_string_equal(i18n_get(cat, "en", "esc"), "say \"hi\"\\\n\tend");
	/* sub-catalogues, one with CRLF line ends */
	assert_string_equal(i18n_get(cat, "en", "timeline.title"), "Timeline");
	assert_string_equal(i18n_get(cat, "da", "timeline.title"), "Tidslinje");
	/* the header, empty and fuzzy entries are not keys */
	assert_null(i18n_get(cat, "en", ""));
	assert_null(i18n_get(cat, "en", "untranslated"));
	assert_null(i18n_get(cat, "en", "fuzzy"));
	/* en: nav.home multi esc only.en welcome timeline.title */
	assert_int_equal(i18n_count(cat, "en"), 6);
	assert_int_equal(i18n_count(cat, "da"), 3);
	assert_string_equal(i18n_key_at(cat, "en", 0), "esc");
	assert_int_equal(i18n_count(cat, "de"), 0);
	i18n_free(cat);
}

static void test_fallbacks(void **state)
{
	struct i18n *cat;
	assert_int_equal(i18n_load_dir(tmpdir, &cat), 0);
	assert_null(i18n_get(cat, "da", "only.en"));
	assert_null(i18n_get(cat, "de", "nav.home"));
	assert_null(i18n_get(cat, "en", "no.such.key"));
	assert_string_equal(i18n_text(cat, "da", "only.en"), "English only");
	assert_string_equal(i18n_text(cat, "de", "nav.home"), "Home");
	assert_string_equal(i18n_text(cat, "da", "no.such.key"), "no.such.key");
	assert_true(i18n_supported("en") && i18n_supported("da"));
	assert_false(i18n_supported("de") || i18n_supported(NULL));
	i18n_free(cat);
}

static void expect_load_error(const char *da_text)
{
	write_file("da.po", da_text);
	struct i18n *cat = (struct i18n *)1;
	assert_int_equal(i18n_load_dir(tmpdir, &cat), ERR_INVALID);
	assert_null(cat);
	write_file("da.po", da_po);
}

static void test_po_errors(void **state)
{
	log_expect_begin(); /* its error lines are the point */
	expect_load_error("msgid \"a\"\nmsgstr \"x\"\n\nmsgid \"a\"\nmsgstr \"y\"\n");
	expect_load_error("msgid \"timeline.title\"\nmsgstr \"twice, across files\"\n");
	expect_load_error("msgid \"a\"\nmsgstr \"bad \\q escape\"\n");
	expect_load_error("msgid \"a\"\nmsgstr \"unterminated\n");
	expect_load_error("msgid \"a\"\nmsgstr \"x\" junk\n");
	expect_load_error("\"orphan\"\n");
	expect_load_error("msgid \"a\"\nmsgstr \"\xff\xfe\"\n");
	expect_load_error("hello\n");
	log_expect_end();
}

static void expect_lang(const char *header, const char *want)
{
	const char *got = i18n_negotiate(header);
	if (strcmp(got, want) != 0)
		printf("Accept-Language [%s]: want %s, got %s\n", header ? header : "(null)", want,
		       got);
	assert_string_equal(got, want);
}

static void test_negotiate(void **state)
{
	expect_lang(NULL, "en");
	expect_lang("", "en");
	expect_lang("da", "da");
	expect_lang("da-DK,da;q=0.9,en-US;q=0.8,en;q=0.7", "da");
	expect_lang("en-GB,en;q=0.9,da;q=0.8", "en");
	expect_lang("de-DE, da;q=0.5", "da");
	expect_lang("de, fr;q=0.9", "en");
	expect_lang("da;q=0", "en");
	expect_lang("da;q=0.3, en;q=0.7", "en");
	expect_lang("EN;q=0.1, Da;q=0.2", "da");
	expect_lang("*;q=0.5, en;q=0.1", "da");
	expect_lang("en;q=0.5, da;q=0.5", "en");
	expect_lang("da ; q=0.9 , en ; q=0.4", "da");
	expect_lang("da;q=2, en;q=0.1", "en"); /* q over 1 is malformed: ignored */
}

static void expect_date(const char *lang, int y, int m, int d, const char *want)
{
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(i18n_format_date(lang, date_from_ymd(y, m, d), &out), 0);
	assert_string_equal(out.data, want);
	buf_release(&out);
}

static void test_dates(void **state)
{
	expect_date("en", 2016, 6, 1, "1 June 2016");
	expect_date("da", 2016, 6, 1, "1. juni 2016");
	expect_date("en", 2024, 2, 29, "29 February 2024");
	expect_date("da", 2024, 2, 29, "29. februar 2024");
	expect_date("da", 2015, 12, 31, "31. december 2015");
	expect_date("da", 2017, 3, 9, "9. marts 2017");
	expect_date("da", 2017, 5, 17, "17. maj 2017");
	char small[8];
	assert_int_equal(i18n_date_str("en", date_from_ymd(2016, 9, 30), small, sizeof small),
			 ERR_TOO_LARGE);
}

static void test_format(void **state)
{
	struct i18n *cat;
	assert_int_equal(i18n_load_dir(tmpdir, &cat), 0);
	json_t *params = json_pack("{s:s, s:i, s:{s:s}}", "name", "Anna <A>", "n", 15, "case",
				   "start", "2016-06-01");
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(i18n_format(cat, "en", "welcome", params, &out), 0);
	assert_string_equal(out.data, "Welcome, Anna <A>! Wait 15 min. Since 1 June 2016. {nope} {x");
	buf_reset(&out);
	assert_int_equal(i18n_format(cat, "da", "welcome", params, &out), 0);
	assert_string_equal(out.data, "Velkommen, Anna <A>! Siden 1. juni 2016.");
	buf_reset(&out);
	assert_int_equal(i18n_format(cat, "da", "missing.key", NULL, &out), 0);
	assert_string_equal(out.data, "missing.key");
	buf_release(&out);
	json_decref(params);
	i18n_free(cat);
}

/* The catalogue through the Mustache t. hook, in both languages. */
static void test_mustache_hook(void **state)
{
	struct i18n *cat;
	assert_int_equal(i18n_load_dir(tmpdir, &cat), 0);
	const char *src = "{{t.nav.home}}|{{t.welcome}}|{{t.only.en}}";
	struct mustache *t;
	assert_int_equal(mustache_compile(src, strlen(src), &t, NULL, 0), 0);
	json_t *ctx = json_pack("{s:s, s:{s:s}}", "name", "Bo & Co", "case", "start", "2020-01-02");
	const char *want[2] = {"Home|Welcome, Bo &amp; Co! Wait {n} min. Since 2 January 2020. "
			       "{nope} {x|English only",
			       "Forside|Velkommen, Bo &amp; Co! Siden 2. januar 2020.|English only"};
	const char *lang[2] = {"en", "da"};
	for (int i = 0; i < 2; i++) {
		struct i18n_binding b = {.cat = cat, .lang = lang[i]};
		struct mustache_env env = {.translate = i18n_hook_text,
					   .format_date = i18n_hook_date,
					   .translate_user = &b};
		struct buf out;
		buf_init(&out, 0);
		assert_int_equal(mustache_render(t, ctx, &env, &out), 0);
		assert_string_equal(out.data, want[i]);
		buf_release(&out);
	}
	json_decref(ctx);
	mustache_free(t);
	i18n_free(cat);
}

static void test_embedded(void **state)
{
	struct i18n *cat;
	assert_int_equal(i18n_load_embedded(&cat), 0);
	assert_string_equal(i18n_get(cat, "en", "app.name"), "IBBIS");
	assert_string_equal(i18n_get(cat, "da", "lang.da"), "Dansk");
	assert_string_equal(i18n_get(cat, "en", "lang.en"), "English");
	assert_non_null(strstr(i18n_get(cat, "en", "login.rate_limited"), "{minutes}"));
	assert_non_null(strstr(i18n_get(cat, "da", "login.rate_limited"), "{minutes}"));
	assert_non_null(strstr(i18n_get(cat, "da", "home.welcome"), "{name}"));
	i18n_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_po_parsing),   cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_po_errors),    cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_dates),        cmocka_unit_test(test_format),
		cmocka_unit_test(test_mustache_hook), cmocka_unit_test(test_embedded),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
