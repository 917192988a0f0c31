/* test_form.c: the form / query-string decoder (src/http/form.h).
 *
 * Expected fields and error offsets were worked out by hand from form.h and
 * the application/x-www-form-urlencoded rules: '&' separates fields, the
 * first '=' separates name from value, '+' is a space, %XX a byte. */
#include "testutil.h"

#include "base/arena.h"
#include "base/err.h"
#include "http/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEMS(x) (sizeof(x) / sizeof((x)[0]))
#define MAXF 4

struct ok_case {
	const char *in;
	size_t n; /* 0: strlen(in) */
	size_t nfields;
	const char *names[MAXF];
	const char *values[MAXF];
};

static const struct ok_case ok_cases[] = {
    {"", 0, 0, {0}, {0}},
    {"a=1", 0, 1, {"a"}, {"1"}},
    {"a=1&b=2", 0, 2, {"a", "b"}, {"1", "2"}},
    {"name=Ada+Lovelace", 0, 1, {"name"}, {"Ada Lovelace"}},
    {"a+b=c+d", 0, 1, {"a b"}, {"c d"}},
    {"x=%41%62%2f%2F", 0, 1, {"x"}, {"Ab//"}},
    {"x=%2B+%2b", 0, 1, {"x"}, {"+ +"}},
    {"%7e%7E=%25", 0, 1, {"~~"}, {"%"}},
    {"x=%3D%26", 0, 1, {"x"}, {"=&"}},
    {"q=caf%C3%A9", 0, 1, {"q"}, {"caf\xc3\xa9"}},
    {"q=caf%c3%a9", 0, 1, {"q"}, {"caf\xc3\xa9"}},
    {"q=caf\xc3\xa9", 0, 1, {"q"}, {"caf\xc3\xa9"}},
    {"e=%E2%82%AC", 0, 1, {"e"}, {"\xe2\x82\xac"}},
    /* empty fields skipped */
    {"a&&b", 0, 2, {"a", "b"}, {"", ""}},
    {"&a=1&", 0, 1, {"a"}, {"1"}},
    {"&&&", 0, 0, {0}, {0}},
    {"&", 0, 0, {0}, {0}},
    /* no '=': value "" */
    {"flag", 0, 1, {"flag"}, {""}},
    {"a=&b", 0, 2, {"a", "b"}, {"", ""}},
    {"=v", 0, 1, {""}, {"v"}},
    {"=", 0, 1, {""}, {""}},
    /* only the first '=' splits */
    {"a==b", 0, 1, {"a"}, {"=b"}},
    {"a=b=c", 0, 1, {"a"}, {"b=c"}},
    /* repeated names are kept in order */
    {"a=1&a=2&a=3", 0, 3, {"a", "a", "a"}, {"1", "2", "3"}},
    /* n bounds the input: the rest is never read */
    {"a=1&b=2", 3, 1, {"a"}, {"1"}},
    {"a=%41zzz", 5, 1, {"a"}, {"A"}},
};

static void test_form_ok(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < N_ELEMS(ok_cases); i++) {
		const struct ok_case *c = &ok_cases[i];
		size_t n = c->n ? c->n : strlen(c->in);
		struct form f;
		size_t bad = 9999;
		int rc = form_parse(&a, c->in, n, &f, &bad);
		if (rc != 0)
			print_error("case %zu \"%s\": rc %d at %zu\n", i, c->in, rc, bad);
		assert_int_equal(rc, 0);
		if (f.n != c->nfields)
			print_error("case %zu \"%s\": %zu fields, want %zu\n", i, c->in, f.n,
				    c->nfields);
		assert_int_equal(f.n, c->nfields);
		for (size_t k = 0; k < c->nfields; k++) {
			assert_string_equal(f.fields[k].name, c->names[k]);
			assert_string_equal(f.fields[k].value, c->values[k]);
		}
		arena_reset(&a);
	}
	arena_release(&a);
}

struct bad_case {
	const char *in;
	size_t n;      /* 0: strlen(in) */
	size_t at_min; /* *bad_at must be in [at_min, at_max] */
	size_t at_max;
	const char *what;
};

/* For a bad escape the offset is that of its '%'. For a decoded NUL or
 * invalid UTF-8 the header only says "the byte offset", so any offset from
 * the start of the field to the offending byte is accepted. */
static const struct bad_case bad_cases[] = {
    {"x=%", 0, 2, 2, "lone % at end"},
    {"x=%4", 0, 2, 2, "one hex digit at end"},
    {"x=%zz", 0, 2, 2, "non-hex"},
    {"x=%4g", 0, 2, 2, "second digit non-hex"},
    {"x=%g4", 0, 2, 2, "first digit non-hex"},
    {"%zz=1", 0, 0, 0, "bad escape in name"},
    {"ab%=1", 0, 2, 2, "lone % in name"},
    {"a=1&b=%g0", 0, 6, 6, "second field"},
    {"a=1&b=2&c=ok%", 0, 12, 12, "lone % at the very end"},
    {"a=1&b%2=2", 0, 5, 5, "short escape in a later name"},
    {"x=%%41", 0, 2, 2, "%% is not an escape"},
    {"x=% 1", 0, 2, 2, "space in escape"},
    {"x=%-1", 0, 2, 2, "sign in escape"},
    {"x=%41%4", 0, 5, 5, "good then short"},
    /* n cuts the escape short even though the bytes after are hex */
    {"x=%41", 4, 2, 2, "escape cut by n"},
    /* decoded NUL */
    {"x=%00", 0, 0, 2, "decoded NUL"},
    {"a=1&x=ab%00", 0, 4, 8, "decoded NUL in a later value"},
    {"%00=1", 0, 0, 0, "decoded NUL in name"},
    {"x=a\0b", 5, 0, 3, "raw NUL"},
    /* invalid UTF-8, decoded or raw */
    {"x=%FF", 0, 0, 2, "decoded 0xFF"},
    {"x=%C3", 0, 0, 2, "truncated 2-byte"},
    {"x=%C0%80", 0, 0, 2, "overlong NUL"},
    {"x=%ED%A0%80", 0, 0, 2, "surrogate"},
    {"x=%F4%90%80%80", 0, 0, 2, "above U+10FFFF"},
    {"a=1&x=\xff", 0, 4, 6, "raw 0xFF"},
    {"\xc3=1", 0, 0, 0, "raw truncated in name"},
};

static void test_form_bad(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < N_ELEMS(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		size_t n = c->n ? c->n : strlen(c->in);
		struct form f;
		size_t bad = 9999;
		int rc = form_parse(&a, c->in, n, &f, &bad);
		if (rc != ERR_INVALID || bad < c->at_min || bad > c->at_max)
			print_error("case %zu (%s): rc %d, bad_at %zu, want [%zu, %zu]\n", i,
				    c->what, rc, bad, c->at_min, c->at_max);
		assert_int_equal(rc, ERR_INVALID);
		assert_in_range(bad, c->at_min, c->at_max);
		arena_reset(&a);
	}
	arena_release(&a);
}

static void test_form_get(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	static const char in[] = "a=1&b=&c&a=2&A=3&b=x";
	struct form f;
	size_t bad = 0;
	assert_int_equal(form_parse(&a, in, strlen(in), &f, &bad), 0);
	assert_string_equal(form_get(&f, "a"), "1"); /* first value wins */
	assert_string_equal(form_get(&f, "A"), "3"); /* names are case-sensitive */
	assert_string_equal(form_get(&f, "b"), "");  /* present but empty */
	assert_string_equal(form_get(&f, "c"), "");
	assert_null(form_get(&f, "d"));
	assert_null(form_get(&f, ""));
	assert_null(form_get(&f, "a=1"));

	struct form empty;
	assert_int_equal(form_parse(&a, "", 0, &empty, &bad), 0);
	assert_int_equal(empty.n, 0);
	assert_null(form_get(&empty, "a"));
	arena_release(&a);
}

/* Builds "f0=0&f1=1&..." with `fields` fields, then `extra` more '&'. */
static char *many_fields(size_t fields, size_t trailing_amps)
{
	size_t cap = fields * 16 + trailing_amps + 1;
	char *s = malloc(cap);
	assert_non_null(s);
	size_t len = 0;
	for (size_t i = 0; i < fields; i++) {
		int w = snprintf(s + len, cap - len, "%sf%zu=%zu", i ? "&" : "", i, i);
		assert_true(w > 0 && (size_t)w < cap - len);
		len += (size_t)w;
	}
	for (size_t i = 0; i < trailing_amps; i++)
		s[len++] = '&';
	s[len] = '\0';
	return s;
}

static void test_form_limit(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	size_t bad = 0;

	char *s = many_fields(FORM_MAX_FIELDS, 0);
	assert_int_equal(form_parse(&a, s, strlen(s), &f, &bad), 0);
	assert_int_equal(f.n, FORM_MAX_FIELDS);
	assert_string_equal(form_get(&f, "f0"), "0");
	assert_string_equal(form_get(&f, "f255"), "255");
	free(s);

	s = many_fields(FORM_MAX_FIELDS + 1, 0);
	assert_int_equal(form_parse(&a, s, strlen(s), &f, &bad), ERR_INVALID);
	free(s);

	s = many_fields(FORM_MAX_FIELDS * 4, 0);
	assert_int_equal(form_parse(&a, s, strlen(s), &f, &bad), ERR_INVALID);
	free(s);
	arena_release(&a);
}

/* Empty fields are skipped (a&&b has two fields), so they do not count
 * towards FORM_MAX_FIELDS: exactly the maximum of real fields with a
 * trailing '&' (as some clients send) is still within the limit. */
static void test_form_limit_counts_fields(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	size_t bad = 0;
	char *s = many_fields(FORM_MAX_FIELDS, 1);
	int rc = form_parse(&a, s, strlen(s), &f, &bad);
	free(s);
	assert_int_equal(rc, 0);
	assert_int_equal(f.n, FORM_MAX_FIELDS);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_form_ok),
	    cmocka_unit_test(test_form_bad),
	    cmocka_unit_test(test_form_get),
	    cmocka_unit_test(test_form_limit),
	    cmocka_unit_test(test_form_limit_counts_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
