/* test_base.c: the base layer (arena, buf, str, date) against the contracts
 * written in their headers.
 *
 * Expected values were worked out by hand from those comments (and, for the
 * calendar, from the Gregorian rules); the brute-force checks use their own
 * independent arithmetic, not the functions under test. */
#include "testutil.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"

#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define N_ELEMS(x) (sizeof(x) / sizeof((x)[0]))

static bool aligned16(const void *p)
{
	return ((uintptr_t)p & 15u) == 0;
}

static bool all_bytes(const void *p, size_t n, unsigned char v)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i] != v)
			return false;
	return true;
}

/* ---------------------------------------------------------------- arena */

/* arena_grow keeps every item as the array doubles, and ARENA_RESERVE gives
 * room for item n: 1000 pushes of distinct values all read back. */
static void test_arena_grow_keeps_items(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	long *v = NULL;
	size_t n = 0, cap = 0;
	for (long i = 0; i < 1000; i++) {
		ARENA_RESERVE(&a, v, n, cap);
		v[n++] = i * 7 + 3;
		assert_true(n <= cap);
	}
	assert_int_equal(n, 1000);
	assert_int_equal(cap, 1024); /* 16 doubled six times */
	for (long i = 0; i < 1000; i++)
		assert_int_equal(v[i], i * 7 + 3);
	arena_release(&a);
}

static void test_arena_align_and_zero(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	/* Odd sizes, so a bump allocator that forgot to round up would show. */
	static const size_t sizes[] = {0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 100, 255, 1000, 4097};
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < N_ELEMS(sizes); i++) {
			size_t n = sizes[i];
			unsigned char *p = arena_alloc(&a, n);
			assert_non_null(p);
			assert_true(aligned16(p));
			assert_true(all_bytes(p, n, 0));
			/* Dirty the memory, so reuse after reset must re-zero it. */
			memset(p, 0xAA, n ? n : 1);
		}
		arena_reset(&a);
	}
	arena_release(&a);
}

static void test_arena_large_and_intact(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	char *small = arena_alloc(&a, 32);
	memset(small, 'x', 31);
	/* Beyond any first block and beyond the 1 MiB block-size ceiling. */
	static const size_t big_sizes[] = {20000, (1u << 20) + 5, (3u << 20) + 1};
	for (size_t i = 0; i < N_ELEMS(big_sizes); i++) {
		size_t n = big_sizes[i];
		unsigned char *big = arena_alloc(&a, n);
		assert_true(aligned16(big));
		assert_true(all_bytes(big, n, 0));
		memset(big, (int)(i + 1), n);
		/* Small allocations still work after a big one. */
		unsigned char *after = arena_alloc(&a, 24);
		assert_true(aligned16(after));
		assert_true(all_bytes(after, 24, 0));
		memset(after, 0x55, 24);
		assert_true(all_bytes(big, n, (unsigned char)(i + 1)));
	}
	/* Earlier memory lives until reset. */
	assert_int_equal(strlen(small), 31);
	assert_true(all_bytes(small, 31, 'x'));
	arena_release(&a);
}

static void test_arena_reset_reuse(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (int round = 0; round < 5; round++) {
		/* Enough to span several blocks. */
		char *ptrs[200];
		for (int i = 0; i < 200; i++) {
			ptrs[i] = arena_alloc(&a, 1000);
			assert_true(aligned16(ptrs[i]));
			assert_true(all_bytes(ptrs[i], 1000, 0));
			memset(ptrs[i], i & 0x7f, 1000);
		}
		for (int i = 0; i < 200; i++)
			assert_true(all_bytes(ptrs[i], 1000, (unsigned char)(i & 0x7f)));
		arena_reset(&a);
	}
	arena_release(&a);
	/* May be used again after init. */
	arena_init(&a);
	char *s = arena_strdup(&a, "again");
	assert_string_equal(s, "again");
	arena_release(&a);
}

static void test_arena_strings(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(arena_strdup(&a, ""), "");
	assert_string_equal(arena_strdup(&a, "hello"), "hello");
	assert_string_equal(arena_strndup(&a, "hello", 3), "hel");
	assert_string_equal(arena_strndup(&a, "he\0llo", 6) + 3, "llo");
	assert_string_equal(arena_printf(&a, "%s-%d-%05.1f", "ab", 42, 3.14159), "ab-42-003.1");
	assert_string_equal(arena_printf(&a, "%s", ""), "");
	/* Longer than a block: 30000 'z' then "!" */
	char *big = malloc(30001);
	assert_non_null(big);
	memset(big, 'z', 30000);
	big[30000] = '\0';
	char *p = arena_printf(&a, "%s!", big);
	assert_int_equal(strlen(p), 30001);
	assert_int_equal(p[30000], '!');
	assert_int_equal(memcmp(p, big, 30000), 0);
	free(big);
	arena_release(&a);
}

static void test_arena_array(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	long *v = arena_array(&a, 5000, sizeof(long));
	assert_true(aligned16(v));
	for (int i = 0; i < 5000; i++)
		assert_int_equal(v[i], 0);
	for (int i = 0; i < 5000; i++)
		v[i] = i;
	long *w = arena_array(&a, 3, sizeof(long));
	for (int i = 0; i < 3; i++)
		assert_int_equal(w[i], 0);
	assert_int_equal(v[4999], 4999);
	assert_non_null(arena_array(&a, 0, 8));
	assert_non_null(arena_array(&a, 8, 0));
	arena_release(&a);
}

/* ------------------------------------------------------------------ buf */

static void assert_buf_ok(const struct buf *b, const char *want)
{
	assert_non_null(b->data);
	assert_int_equal(b->len, strlen(want));
	assert_memory_equal(b->data, want, b->len);
	assert_int_equal(b->data[b->len], '\0');
	assert_true(b->len <= b->max);
}

static void test_buf_basic(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	assert_buf_ok(&b, "");
	assert_int_equal(b.err, 0);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_putc(&b, 'd'), 0);
	assert_int_equal(buf_printf(&b, "%d-%s", 12, "x"), 0);
	assert_int_equal(buf_append(&b, "yz!", 2), 0);
	assert_buf_ok(&b, "abcd12-xyz");
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_buf_ok(&b, "abcd12-xyz");
	buf_reset(&b);
	assert_buf_ok(&b, "");
	/* Grow one byte at a time past several reallocations. */
	for (int i = 0; i < 10000; i++) {
		assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), 0);
		assert_int_equal(b.len, (size_t)i + 1);
		assert_int_equal(b.data[b.len], '\0');
		assert_true(b.cap > b.len);
	}
	for (int i = 0; i < 10000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	buf_release(&b);
	buf_init(&b, 0);
	assert_buf_ok(&b, "");
	buf_release(&b);
}

static void test_buf_cap_sticky(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 5);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_puts(&b, "def"), ERR_TOO_LARGE); /* 6 > 5 */
	assert_buf_ok(&b, "abc");
	assert_int_equal(b.err, ERR_TOO_LARGE);
	/* Sticky: even an append that fits fails now. */
	assert_int_equal(buf_putc(&b, 'd'), ERR_TOO_LARGE);
	assert_int_equal(buf_printf(&b, "%s", ""), ERR_TOO_LARGE);
	assert_buf_ok(&b, "abc");
	buf_reset(&b);
	assert_int_equal(b.err, 0);
	assert_buf_ok(&b, "");
	assert_int_equal(buf_puts(&b, "abcde"), 0); /* exactly max */
	assert_buf_ok(&b, "abcde");
	assert_int_equal(buf_putc(&b, 'x'), ERR_TOO_LARGE);
	assert_buf_ok(&b, "abcde");
	buf_release(&b);
}

/* Every kind of append that would pass max appends nothing (buf.h). */
enum app_kind { APP_BYTES, APP_PUTS, APP_PRINTF, APP_HTML, APP_JSON };

struct cap_case {
	enum app_kind kind;
	size_t max;
	const char *prefix; /* already in the buf */
	const char *arg;    /* what we try to append; its result is over max */
};

static const struct cap_case cap_cases[] = {
    {APP_BYTES, 4, "ab", "cde"},
    {APP_PUTS, 4, "", "abcde"},
    {APP_PRINTF, 6, "ab", "cdefg"},
    /* "x<y" escapes to "x&lt;y" (6 bytes): with "ab" that is 8 > 7. */
    {APP_HTML, 7, "ab", "x<y"},
    /* "a<b<" escapes to "a&lt;b&lt;" (10 bytes) > 8. */
    {APP_HTML, 8, "", "a<b<"},
    {APP_HTML, 3, "", "abcd"},
    /* "a\"b\"" escapes to a\"b\" (6 bytes) > 5. */
    {APP_JSON, 5, "", "a\"b\""},
    {APP_JSON, 4, "", "abcde"},
};

static void test_buf_cap_appends_nothing(void **state)
{
	(void)state;
	int failures = 0;
	for (size_t i = 0; i < N_ELEMS(cap_cases); i++) {
		const struct cap_case *c = &cap_cases[i];
		struct buf b;
		buf_init(&b, c->max);
		assert_int_equal(buf_puts(&b, c->prefix), 0);
		int rc = 0;
		size_t n = strlen(c->arg);
		switch (c->kind) {
		case APP_BYTES:
			rc = buf_append(&b, c->arg, n);
			break;
		case APP_PUTS:
			rc = buf_puts(&b, c->arg);
			break;
		case APP_PRINTF:
			rc = buf_printf(&b, "%s", c->arg);
			break;
		case APP_HTML:
			rc = buf_append_html(&b, c->arg, n);
			break;
		case APP_JSON:
			rc = buf_append_json_str(&b, c->arg, n);
			break;
		}
		/* Check every case before failing, so the report names them all. */
		if (rc != ERR_TOO_LARGE || b.err != ERR_TOO_LARGE || b.len != strlen(c->prefix) ||
		    strcmp(b.data, c->prefix) != 0) {
			print_error("cap case %zu (max %zu, \"%s\" + \"%s\"): rc %d, len %zu, "
				    "data \"%s\", want rc %d and \"%s\"\n",
				    i, c->max, c->prefix, c->arg, rc, b.len, b.data, ERR_TOO_LARGE,
				    c->prefix);
			failures++;
		}
		assert_true(b.len <= b.max);
		assert_int_equal(b.data[b.len], '\0');
		buf_release(&b);
	}
	assert_int_equal(failures, 0);
}

static void test_buf_detach(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 100);
	assert_int_equal(buf_puts(&b, "hello"), 0);
	size_t len = 0;
	char *p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 5);
	assert_string_equal(p, "hello");
	/* The buf is empty and usable, and no longer shares p. */
	assert_buf_ok(&b, "");
	assert_int_equal(b.err, 0);
	assert_true(b.data != p);
	assert_int_equal(buf_puts(&b, "world"), 0);
	assert_string_equal(p, "hello");
	assert_buf_ok(&b, "world");
	free(p); /* caller frees: must be heap memory */
	buf_release(&b);

	/* Detaching a buf that never allocated still yields a freeable "". */
	buf_init(&b, 0);
	p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	assert_string_equal(p, "");
	free(p);
	assert_buf_ok(&b, "");
	buf_release(&b);
}

struct esc_case {
	const char *in;
	const char *want;
};

/* Named entities are the canonical HTML escapes for these four. */
static const struct esc_case html_cases[] = {
    {"", ""},
    {"plain text", "plain text"},
    {"a&b", "a&amp;b"},
    {"<script>", "&lt;script&gt;"},
    {"\"q\"", "&quot;q&quot;"},
    {"&&", "&amp;&amp;"},
    {"&amp;", "&amp;amp;"},
    {"x<y>z&\"", "x&lt;y&gt;z&amp;&quot;"},
    {"caf\xc3\xa9 <b>", "caf\xc3\xa9 &lt;b&gt;"},
    {"/=`", "/=`"},
};

static void test_buf_html(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(html_cases); i++) {
		struct buf b;
		buf_init(&b, 0);
		assert_int_equal(buf_puts(&b, "["), 0);
		assert_int_equal(buf_append_html(&b, html_cases[i].in, strlen(html_cases[i].in)),
				 0);
		char want[128];
		assert_int_equal(str_fmt(want, sizeof want, "[%s", html_cases[i].want), 0);
		assert_buf_ok(&b, want);
		buf_release(&b);
	}
	/* The apostrophe: any of the three standard references is fine. */
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_append_html(&b, "it's", 4), 0);
	assert_true(str_eq(b.data, "it&#39;s") || str_eq(b.data, "it&#x27;s") ||
		    str_eq(b.data, "it&apos;s"));
	buf_release(&b);
	/* Only n bytes are read. */
	buf_init(&b, 0);
	assert_int_equal(buf_append_html(&b, "a<b<c", 3), 0);
	assert_buf_ok(&b, "a&lt;b");
	buf_release(&b);
}

/* Escapes `in` as a JSON string body, then checks with jansson that it
 * decodes back to exactly `in`, and that no raw control byte or '<' is left. */
static void check_json_escape(const char *in, size_t n)
{
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_putc(&b, '"'), 0);
	assert_int_equal(buf_append_json_str(&b, in, n), 0);
	assert_int_equal(buf_putc(&b, '"'), 0);
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];
		assert_true(c >= 0x20);
		assert_true(c != '<');
	}
	json_error_t jerr;
	json_t *j = json_loadb(b.data, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (!j)
		print_error("not JSON: %s (%s)\n", b.data, jerr.text);
	assert_non_null(j);
	assert_true(json_is_string(j));
	assert_int_equal(json_string_length(j), n);
	assert_memory_equal(json_string_value(j), in, n);
	json_decref(j);
	buf_release(&b);
}

static void test_buf_json(void **state)
{
	(void)state;
	static const char *const cases[] = {
	    "",
	    "plain",
	    "say \"hi\"",
	    "back\\slash",
	    "line\nbreak\r\ttab",
	    "\x01\x02\x1f bell\x07",
	    "</script><!--",
	    "caf\xc3\xa9 \xe2\x82\xac",
	    "\\\"\\\"",
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		check_json_escape(cases[i], strlen(cases[i]));
	check_json_escape("a\0b", 3); /* NUL inside */

	/* The exact forms that have only one correct spelling. */
	static const struct esc_case exact[] = {
	    {"a\"b", "a\\\"b"},	 {"a\\b", "a\\\\b"}, {"\x01", "\\u0001"},
	    {"\x1f", "\\u001f"}, {"ok/", "ok/"},
	};
	for (size_t i = 0; i < N_ELEMS(exact); i++) {
		struct buf b;
		buf_init(&b, 0);
		assert_int_equal(buf_append_json_str(&b, exact[i].in, strlen(exact[i].in)), 0);
		/* hex digits may be either case */
		assert_int_equal(b.len, strlen(exact[i].want));
		assert_int_equal(strcasecmp(b.data, exact[i].want), 0);
		buf_release(&b);
	}
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_append_json_str(&b, "<", 1), 0);
	assert_int_equal(strcasecmp(b.data, "\\u003c"), 0);
	buf_release(&b);
}

/* ------------------------------------------------------------------ str */

struct long_case {
	const char *s;
	long min, max;
	int rc;
	long want;
};

static const struct long_case long_cases[] = {
    {"0", 0, 10, 0, 0},
    {"10", 0, 10, 0, 10},
    {"11", 0, 10, ERR_INVALID, 0},
    {"42", LONG_MIN, LONG_MAX, 0, 42},
    {"007", 0, 10, 0, 7},
    {"-5", -10, 10, 0, -5},
    {"-5", 0, 10, ERR_INVALID, 0},
    {"-10", -10, 10, 0, -10},
    {"-11", -10, 10, ERR_INVALID, 0},
    {"", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {" 1", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"\t1", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"1 ", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"+1", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"1x", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"x1", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"-", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"--1", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"0x10", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"1.5", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"1e3", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"9223372036854775807", LONG_MIN, LONG_MAX, 0, LONG_MAX},
    {"-9223372036854775808", LONG_MIN, LONG_MAX, 0, LONG_MIN},
    {"9223372036854775808", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"-9223372036854775809", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"99999999999999999999999999", LONG_MIN, LONG_MAX, ERR_INVALID, 0},
    {"65536", 1, 65535, ERR_INVALID, 0},
    {"65535", 1, 65535, 0, 65535},
};

static void test_str_to_long(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(long_cases); i++) {
		const struct long_case *c = &long_cases[i];
		long out = 12345;
		int rc = str_to_long(c->s, c->min, c->max, &out);
		if (rc != c->rc)
			print_error("str_to_long(\"%s\"): rc %d, want %d\n", c->s, rc, c->rc);
		assert_int_equal(rc, c->rc);
		assert_int_equal(out, rc == 0 ? c->want : 12345); /* untouched on error */
	}
	long out = 0;
	assert_int_equal(str_to_long(NULL, 0, 10, &out), ERR_INVALID);
	/* The slice form reads exactly n bytes. */
	assert_int_equal(str_to_long_n("123abc", 3, 0, 1000, &out), 0);
	assert_int_equal(out, 123);
	assert_int_equal(str_to_long_n("-7z", 2, -10, 10, &out), 0);
	assert_int_equal(out, -7);
	out = 99;
	assert_int_equal(str_to_long_n("12", 0, 0, 100, &out), ERR_INVALID);
	assert_int_equal(str_to_long_n("1x2", 3, 0, 1000, &out), ERR_INVALID);
	assert_int_equal(out, 99);
}

static void test_str_copy_fmt(void **state)
{
	(void)state;
	char d[4];
	assert_int_equal(str_copy(d, sizeof d, "abc"), 0);
	assert_string_equal(d, "abc");
	assert_int_equal(str_copy(d, sizeof d, ""), 0);
	assert_string_equal(d, "");
	assert_int_equal(str_copy(d, sizeof d, "abcd"), ERR_TOO_LARGE);
	assert_string_equal(d, "abc");
	assert_int_equal(str_copy(d, sizeof d, "abcdefgh"), ERR_TOO_LARGE);
	assert_string_equal(d, "abc");
	assert_int_equal(str_copy(d, 1, "x"), ERR_TOO_LARGE);
	assert_string_equal(d, "");

	char f[8];
	assert_int_equal(str_fmt(f, sizeof f, "%d-%s", 12, "ab"), 0);
	assert_string_equal(f, "12-ab");
	assert_int_equal(str_fmt(f, sizeof f, "%s", "1234567"), 0); /* 7 + NUL fits */
	assert_string_equal(f, "1234567");
	assert_int_equal(str_fmt(f, sizeof f, "%s", "12345678"), ERR_TOO_LARGE);
	assert_int_equal(f[7], '\0');
	assert_int_equal(str_fmt(f, sizeof f, "%05d", -42), 0);
	assert_string_equal(f, "-0042");
}

static void test_str_misc(void **state)
{
	(void)state;
	assert_true(str_eq(NULL, NULL));
	assert_false(str_eq(NULL, ""));
	assert_false(str_eq("", NULL));
	assert_true(str_eq("", ""));
	assert_true(str_eq("abc", "abc"));
	assert_false(str_eq("abc", "abd"));
	assert_false(str_eq("abc", "ab"));
	assert_true(str_starts_with("--flag", "--"));
	assert_true(str_starts_with("abc", ""));
	assert_true(str_starts_with("abc", "abc"));
	assert_false(str_starts_with("ab", "abc"));
	assert_false(str_starts_with("xabc", "abc"));
	assert_true(str_ends_with("file.sql", ".sql"));
	assert_true(str_ends_with("abc", ""));
	assert_false(str_ends_with("sql", ".sql"));
	assert_false(str_ends_with("a.sqlx", ".sql"));
}

struct utf8_case {
	const char *s;
	size_t n;
	bool valid;
	const char *what;
};

#define U(lit, ok, what)                                                                           \
	{                                                                                          \
		lit, sizeof(lit) - 1, ok, what                                                     \
	}

static const struct utf8_case utf8_cases[] = {
    U("", true, "empty"),
    U("hello, world ~\x7f", true, "ASCII incl. DEL"),
    U("\xc2\x80", true, "U+0080, smallest 2-byte"),
    U("\xc3\xa9", true, "e acute"),
    U("\xdf\xbf", true, "U+07FF, largest 2-byte"),
    U("\xe0\xa0\x80", true, "U+0800, smallest 3-byte"),
    U("\xe2\x82\xac", true, "euro sign"),
    U("\xed\x9f\xbf", true, "U+D7FF, just below surrogates"),
    U("\xee\x80\x80", true, "U+E000, just above surrogates"),
    U("\xef\xbf\xbf", true, "U+FFFF"),
    U("\xf0\x90\x80\x80", true, "U+10000, smallest 4-byte"),
    U("\xf0\x9f\x98\x80", true, "emoji"),
    U("\xf4\x8f\xbf\xbf", true, "U+10FFFF, the last code point"),
    U("a\xc3\xa9z\xe2\x82\xac!", true, "mixed"),
    U("\xc0\x80", false, "overlong NUL"),
    U("\xc0\xaf", false, "overlong '/'"),
    U("\xc1\xbf", false, "overlong 2-byte"),
    U("\xe0\x80\xaf", false, "overlong 3-byte '/'"),
    U("\xe0\x9f\xbf", false, "overlong 3-byte U+07FF"),
    U("\xf0\x80\x80\xaf", false, "overlong 4-byte"),
    U("\xf0\x8f\xbf\xbf", false, "overlong 4-byte U+FFFF"),
    U("\xed\xa0\x80", false, "surrogate U+D800"),
    U("\xed\xbf\xbf", false, "surrogate U+DFFF"),
    U("\xed\xa0\xbd\xed\xb8\x80", false, "surrogate pair (CESU-8)"),
    U("\xf4\x90\x80\x80", false, "U+110000"),
    U("\xf5\x80\x80\x80", false, "lead byte F5"),
    U("\xf7\xbf\xbf\xbf", false, "lead byte F7"),
    U("\xf8\x88\x80\x80\x80", false, "5-byte form"),
    U("\xfc\x84\x80\x80\x80\x80", false, "6-byte form"),
    U("\xfe", false, "FE"),
    U("\xff", false, "FF"),
    U("\x80", false, "lone continuation"),
    U("a\xbf", false, "continuation after ASCII"),
    U("\xc3", false, "truncated 2-byte at end"),
    U("ab\xe2\x82", false, "truncated 3-byte at end"),
    U("\xf0\x9f\x98", false, "truncated 4-byte at end"),
    U("\xc3z", false, "2-byte with ASCII continuation"),
    U("\xe2\x82z", false, "3-byte cut by ASCII"),
    U("\xe2\xc3\xa9", false, "3-byte cut by a new lead"),
    U("\x00", false, "NUL alone"),
    U("ab\x00"
      "cd",
      false, "embedded NUL"),
    U("\xc3\xa9\x00", false, "NUL at end"),
};

static void test_str_utf8(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(utf8_cases); i++) {
		const struct utf8_case *c = &utf8_cases[i];
		bool got = str_valid_utf8(c->s, c->n);
		if (got != c->valid)
			print_error("utf8 case %zu (%s): got %d\n", i, c->what, got);
		assert_int_equal(got, c->valid);
	}
	/* n bounds the read: a valid prefix of an invalid string is valid. */
	assert_true(str_valid_utf8("ab\xff", 2));
	assert_false(str_valid_utf8("\xc3\xa9", 1));
}

/* ----------------------------------------------------------------- date */

/* Independent of date.c: the Gregorian rule and month lengths. */
static int my_dim(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 400 == 0) || (y % 4 == 0 && y % 100 != 0);
	return m == 2 && leap ? 29 : dim[m - 1];
}

/* Monday = 0; day 0 (1970-01-01) is a Thursday = 3. */
static int my_weekday(int64_t d)
{
	return (int)(((d + 3) % 7 + 7) % 7);
}

struct parse_case {
	const char *s;
	int rc;
	int y, m, d;
};

static const struct parse_case parse_cases[] = {
    {"2016-02-29", 0, 2016, 2, 29},
    {"2000-02-29", 0, 2000, 2, 29},
    {"1970-01-01", 0, 1970, 1, 1},
    {"0001-01-01", 0, 1, 1, 1},
    {"9999-12-31", 0, 9999, 12, 31},
    {"2016-12-31", 0, 2016, 12, 31},
    {"2015-02-29", ERR_INVALID, 0, 0, 0},
    {"1900-02-29", ERR_INVALID, 0, 0, 0},
    {"2016-13-01", ERR_INVALID, 0, 0, 0},
    {"2016-00-10", ERR_INVALID, 0, 0, 0},
    {"2016-01-00", ERR_INVALID, 0, 0, 0},
    {"2016-01-32", ERR_INVALID, 0, 0, 0},
    {"2016-04-31", ERR_INVALID, 0, 0, 0},
    {"0000-01-01", ERR_INVALID, 0, 0, 0},
    {"2016-1-01", ERR_INVALID, 0, 0, 0},
    {"2016-01-1", ERR_INVALID, 0, 0, 0},
    {"16-01-01", ERR_INVALID, 0, 0, 0},
    {"2016-01-01x", ERR_INVALID, 0, 0, 0},
    {"2016-01-01 ", ERR_INVALID, 0, 0, 0},
    {" 2016-01-01", ERR_INVALID, 0, 0, 0},
    {"2016/01/01", ERR_INVALID, 0, 0, 0},
    {"2016-+1-01", ERR_INVALID, 0, 0, 0},
    {"2016-01--1", ERR_INVALID, 0, 0, 0},
    {"20160101", ERR_INVALID, 0, 0, 0},
    {"", ERR_INVALID, 0, 0, 0},
    {"abcd-ef-gh", ERR_INVALID, 0, 0, 0},
};

static void test_date_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		day_t d = 777777;
		int rc = date_parse(c->s, &d);
		if (rc != c->rc)
			print_error("date_parse(\"%s\"): rc %d\n", c->s, rc);
		assert_int_equal(rc, c->rc);
		if (rc == 0) {
			assert_int_equal(d, date_from_ymd(c->y, c->m, c->d));
			char out[DATE_STR_LEN];
			date_format(d, out);
			assert_string_equal(out, c->s);
		}
	}
	/* Day numbers worked out by hand: 46 years of 365 days plus 11 leap
	 * days (1972..2012) to 2016-01-01, then 31 + 28 days. */
	day_t d;
	assert_int_equal(date_parse("2016-02-29", &d), 0);
	assert_int_equal(d, 16860);
	assert_int_equal(date_parse("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(date_parse("1969-12-31", &d), 0);
	assert_int_equal(d, -1);
	assert_int_equal(date_parse("2000-01-01", &d), 0);
	assert_int_equal(d, 10957); /* 30 * 365 + 7 leap days */
	assert_int_equal(date_parse(NULL, &d), ERR_INVALID);
}

static void test_date_roundtrip(void **state)
{
	(void)state;
	/* 70 years of 365 days plus 17 leap days (1904..1968). */
	day_t expect = -25567;
	assert_int_equal(date_from_ymd(1900, 1, 1), expect);
	for (int y = 1900; y <= 2100; y++) {
		assert_int_equal(date_is_leap(y), my_dim(y, 2) == 29);
		for (int m = 1; m <= 12; m++) {
			assert_int_equal(date_days_in_month(y, m), my_dim(y, m));
			for (int d = 1; d <= my_dim(y, m); d++) {
				day_t day = date_from_ymd(y, m, d);
				if (day != expect)
					print_error("%04d-%02d-%02d: %d, want %d\n", y, m, d, day,
						    expect);
				assert_int_equal(day, expect);
				int yy, mm, dd;
				date_to_ymd(day, &yy, &mm, &dd);
				assert_int_equal(yy, y);
				assert_int_equal(mm, m);
				assert_int_equal(dd, d);
				assert_true(date_valid_ymd(y, m, d));
				assert_int_equal(date_weekday(day), my_weekday(day));
				char want[DATE_STR_LEN], got[DATE_STR_LEN];
				assert_int_equal(
				    str_fmt(want, sizeof want, "%04d-%02d-%02d", y, m, d), 0);
				date_format(day, got);
				assert_string_equal(got, want);
				expect++;
			}
			assert_false(date_valid_ymd(y, m, my_dim(y, m) + 1));
		}
	}
	assert_false(date_valid_ymd(2016, 0, 1));
	assert_false(date_valid_ymd(2016, 13, 1));
	assert_false(date_valid_ymd(2016, 1, 0));
	assert_false(date_valid_ymd(0, 1, 1));
	assert_false(date_valid_ymd(10000, 1, 1));
}

struct wd_case {
	const char *date;
	int weekday; /* 0 Monday .. 6 Sunday */
};

static const struct wd_case wd_cases[] = {
    {"2016-05-02", 0}, /* Monday */
    {"2016-11-02", 2}, /* Wednesday */
    {"1970-01-01", 3}, /* Thursday */
    {"2000-02-29", 1}, /* Tuesday */
    {"2016-05-07", 5}, /* Saturday */
    {"2016-05-08", 6}, /* Sunday */
    {"1969-12-29", 0}, /* Monday */
    {"1900-01-01", 0}, /* Monday */
};

static void test_date_weekday(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(wd_cases); i++) {
		day_t d;
		assert_int_equal(date_parse(wd_cases[i].date, &d), 0);
		assert_int_equal(date_weekday(d), wd_cases[i].weekday);
		assert_int_equal(date_is_weekday(d), wd_cases[i].weekday < 5);
	}
}

struct month_case {
	const char *from;
	int months;
	const char *want;
};

static const struct month_case month_cases[] = {
    {"2016-01-31", 1, "2016-02-29"},   {"2015-01-31", 1, "2015-02-28"},
    {"2016-05-02", 3, "2016-08-02"},   {"2016-05-02", 0, "2016-05-02"},
    {"2016-08-31", 1, "2016-09-30"},   {"2016-12-31", 2, "2017-02-28"},
    {"2016-11-15", 2, "2017-01-15"},   {"2016-02-29", 12, "2017-02-28"},
    {"2016-02-29", 48, "2020-02-29"},  {"2016-03-31", -1, "2016-02-29"},
    {"2016-01-15", -1, "2015-12-15"},  {"2016-01-15", -13, "2014-12-15"},
    {"2016-10-31", -20, "2015-02-28"}, {"2016-05-31", -12, "2015-05-31"},
    {"2000-01-31", -1, "1999-12-31"},  {"1970-01-01", -1, "1969-12-01"},
    {"1970-03-31", -1, "1970-02-28"},  {"1899-12-31", 2, "1900-02-28"},
};

static void test_date_add_months(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(month_cases); i++) {
		day_t d;
		assert_int_equal(date_parse(month_cases[i].from, &d), 0);
		char got[DATE_STR_LEN];
		date_format(date_add_months(d, month_cases[i].months), got);
		if (strcmp(got, month_cases[i].want) != 0)
			print_error("%s %+d months: %s, want %s\n", month_cases[i].from,
				    month_cases[i].months, got, month_cases[i].want);
		assert_string_equal(got, month_cases[i].want);
	}
}

struct edge_case {
	const char *in;
	const char *first, *last;
};

static const struct edge_case edge_cases[] = {
    {"2016-02-10", "2016-02-01", "2016-02-29"}, {"2015-02-01", "2015-02-01", "2015-02-28"},
    {"1900-02-15", "1900-02-01", "1900-02-28"}, {"2000-02-29", "2000-02-01", "2000-02-29"},
    {"2016-12-05", "2016-12-01", "2016-12-31"}, {"2016-04-30", "2016-04-01", "2016-04-30"},
    {"1969-12-31", "1969-12-01", "1969-12-31"},
};

static void test_date_month_edges(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(edge_cases); i++) {
		day_t d;
		assert_int_equal(date_parse(edge_cases[i].in, &d), 0);
		char got[DATE_STR_LEN];
		date_format(date_first_of_month(d), got);
		assert_string_equal(got, edge_cases[i].first);
		date_format(date_last_of_month(d), got);
		assert_string_equal(got, edge_cases[i].last);
	}
}

static int32_t brute_weekdays(int64_t from, int64_t to)
{
	int32_t n = 0;
	for (int64_t d = from; d <= to; d++)
		n += my_weekday(d) < 5;
	return n;
}

static void test_date_weekdays_between(void **state)
{
	(void)state;
	/* Hand-counted. 2016-05-02 is a Monday. */
	struct {
		const char *from, *to;
		int32_t want;
	} fixed[] = {
	    {"2016-05-02", "2016-05-02", 1},  {"2016-05-07", "2016-05-07", 0},
	    {"2016-05-07", "2016-05-08", 0},  {"2016-05-02", "2016-05-08", 5},
	    {"2016-05-02", "2016-05-06", 5},  {"2016-05-06", "2016-05-09", 2},
	    {"2016-05-02", "2016-05-31", 22}, {"2016-05-03", "2016-05-02", 0},
	    {"1969-12-29", "1970-01-04", 5},  {"2016-01-01", "2016-12-31", 261},
	};
	for (size_t i = 0; i < N_ELEMS(fixed); i++) {
		day_t a, b;
		assert_int_equal(date_parse(fixed[i].from, &a), 0);
		assert_int_equal(date_parse(fixed[i].to, &b), 0);
		assert_int_equal(date_weekdays_between(a, b), fixed[i].want);
	}
	/* Every start weekday and every short length, both signs of day number. */
	for (int64_t from = -30; from <= 30; from++)
		for (int64_t len = -3; len <= 25; len++)
			assert_int_equal(date_weekdays_between((day_t)from, (day_t)(from + len)),
					 brute_weekdays(from, from + len));
	/* Random ranges, fixed seed so a failure reproduces. */
	uint64_t x = 0x9e3779b97f4a7c15u;
	for (int i = 0; i < 3000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int64_t from = (int64_t)(x % 160001) - 80000; /* about 1750..2189 */
		int64_t len = (int64_t)((x >> 20) % 1200) - 50;
		int32_t want = brute_weekdays(from, from + len);
		int32_t got = date_weekdays_between((day_t)from, (day_t)(from + len));
		if (got != want)
			print_error("weekdays [%lld, %lld]: %d, want %d\n", (long long)from,
				    (long long)(from + len), got, want);
		assert_int_equal(got, want);
	}
}

/* Danish local day and minute, worked by hand: winter is UTC+1, summer
 * UTC+2 from the last Sunday of March 01:00 UTC (2016-03-27) to the last
 * Sunday of October 01:00 UTC (2016-10-30). */
static void test_clock_dk_local(void **state)
{
	(void)state;
	struct {
		const char *utc_day;
		int64_t utc_sec; /* seconds into the UTC day; may be negative */
		const char *want_day;
		int want_minute;
	} cases[] = {
	    {"1970-01-01", 0, "1970-01-01", 60},	     /* 01:00 */
	    {"1970-01-01", -1, "1970-01-01", 59},	     /* 00:59:59 */
	    {"1970-01-01", -3601, "1969-12-31", 1439},	     /* local -1 s: the day before */
	    {"1970-01-01", -3600, "1970-01-01", 0},	     /* local midnight */
	    {"1969-12-31", 22 * 3600 + 60, "1969-12-31", 1381}, /* 23:01 */
	    {"2016-06-01", 12 * 3600, "2016-06-01", 840},    /* 14:00 summer */
	    {"2016-03-27", 3599, "2016-03-27", 119},	     /* 01:59:59 winter */
	    {"2016-03-27", 3600, "2016-03-27", 180},	     /* 03:00 summer */
	    {"2016-10-30", 3599, "2016-10-30", 179},	     /* 02:59:59 summer */
	    {"2016-10-30", 3600, "2016-10-30", 120},	     /* 02:00 again, winter */
	    {"2016-10-30", 22 * 3600 + 1800, "2016-10-30", 1410}, /* 23:30 */
	    {"2016-10-30", 23 * 3600 + 1800, "2016-10-31", 30},	  /* 00:30 next day */
	    {"2016-12-31", 23 * 3600, "2017-01-01", 0},		  /* new year */
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		day_t d, want;
		assert_int_equal(date_parse(cases[i].utc_day, &d), 0);
		assert_int_equal(date_parse(cases[i].want_day, &want), 0);
		int64_t t = (int64_t)d * 86400 + cases[i].utc_sec;
		struct clock_dk_local l = clock_dk_local(t);
		if (l.day != want || l.minute != cases[i].want_minute)
			print_error("case %zu: day %d minute %d\n", i, (int)l.day, l.minute);
		assert_int_equal(l.day, want);
		assert_int_equal(l.minute, cases[i].want_minute);
		assert_int_equal(clock_dk_day(t), want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arena_align_and_zero),
		cmocka_unit_test(test_arena_grow_keeps_items),
	    cmocka_unit_test(test_arena_large_and_intact),
	    cmocka_unit_test(test_arena_reset_reuse),
	    cmocka_unit_test(test_arena_strings),
	    cmocka_unit_test(test_arena_array),
	    cmocka_unit_test(test_buf_basic),
	    cmocka_unit_test(test_buf_cap_sticky),
	    cmocka_unit_test(test_buf_cap_appends_nothing),
	    cmocka_unit_test(test_buf_detach),
	    cmocka_unit_test(test_buf_html),
	    cmocka_unit_test(test_buf_json),
	    cmocka_unit_test(test_str_to_long),
	    cmocka_unit_test(test_str_copy_fmt),
	    cmocka_unit_test(test_str_misc),
	    cmocka_unit_test(test_str_utf8),
	    cmocka_unit_test(test_date_parse),
	    cmocka_unit_test(test_date_roundtrip),
	    cmocka_unit_test(test_date_weekday),
	    cmocka_unit_test(test_date_add_months),
	    cmocka_unit_test(test_date_month_edges),
	    cmocka_unit_test(test_date_weekdays_between),
	    cmocka_unit_test(test_clock_dk_local),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
