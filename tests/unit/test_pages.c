/* test_pages.c: the error summary's link finds the failed field's control
 * (pages_field_id), worked out by hand on small pages. */
#include "testutil.h"

#include <string.h>

#include "base/err.h"
#include "web/pages.h"

static int find(const char *html, const char *field, char *id, size_t max)
{
	return pages_field_id(html, strlen(html), field, id, max);
}

static void test_cases(void **state)
{
	(void)state;
	static const struct {
		const char *html, *field, *want; /* want NULL: not found */
	} cases[] = {
		/* the simple form: id before or after the name */
		{"<form><input type=\"text\" id=\"name\" name=\"name\"></form>", "name", "name"},
		{"<textarea class=\"x\" name=\"text\" id=\"note-text\" rows=\"3\"></textarea>", "text",
		 "note-text"},
		{"<select id=\"kind\" name=\"kind\"><option>a</option></select>", "kind", "kind"},
		/* two forms with the field: the one marked invalid wins */
		{"<textarea id=\"a\" name=\"text\"></textarea><textarea id=\"b\" name=\"text\" "
		 "aria-invalid=\"true\"></textarea>",
		 "text", "b"},
		/* none marked: the first */
		{"<input id=\"first\" name=\"to\"><input id=\"second\" name=\"to\">", "to", "first"},
		/* a name that only starts the same is another field */
		{"<input id=\"x\" name=\"text_more\">", "text", NULL},
		/* a link or a label naming it is not a control */
		{"<a id=\"l\" name=\"text\" href=\"#\">x</a>", "text", NULL},
		/* a control without an id cannot be linked to */
		{"<input name=\"text\">", "text", NULL},
		/* an id with a quote or space would break the href: refused */
		{"<input id=\"a b\" name=\"text\">", "text", NULL},
		/* the name in text, not in a tag */
		{"<p> name=\"text\"</p><input id=\"ok\" name=\"text\">", "text", "ok"},
		{"", "text", NULL},
		{"<input id=\"y\" name=\"text\">", "", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char id[64] = "";
		int rc = find(cases[i].html, cases[i].field, id, sizeof id);
		if (cases[i].want) {
			assert_int_equal(rc, 0);
			assert_string_equal(id, cases[i].want);
		} else {
			assert_int_equal(rc, ERR_NOT_FOUND);
		}
	}
}

static void test_too_long_id(void **state)
{
	(void)state;
	char id[4];
	assert_int_equal(find("<input id=\"abcdef\" name=\"t\">", "t", id, sizeof id), ERR_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_too_long_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
