/* test_token.c: random secrets and their stored hashes (domain/token.h).
 * The hash vector is BLAKE2b-256("abc") as Python's hashlib computes it. */
#include "testutil.h"

#include <string.h>

#include "domain/accounts/token.h"

static void test_is_hex(void **state)
{
	static const struct {
		const char *t;
		size_t len;
		bool ok;
	} rows[] = {
		{"0123456789abcdef", 16, true},
		{"0123456789abcdef", 15, false}, /* longer than asked */
		{"0123456789abcde", 16, false},  /* shorter */
		{"0123456789ABCDEF", 16, false}, /* upper case is not ours */
		{"0123456789abcdeg", 16, false},
		{"", 0, true},
		{NULL, 0, false},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(token_is_hex(rows[i].t, rows[i].len), rows[i].ok);
}

static void test_random_hex(void **state)
{
	char a[65], b[65], c[33];
	token_random_hex(a, 32);
	token_random_hex(b, 32);
	token_random_hex(c, 16);
	assert_true(token_is_hex(a, 64));
	assert_true(token_is_hex(b, 64));
	assert_true(token_is_hex(c, 32));
	assert_string_not_equal(a, b); /* 256 random bits twice */
}

static void test_hash(void **state)
{
	char h[TOKEN_HASH_HEX];
	token_hash("abc", h);
	assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	char h2[TOKEN_HASH_HEX];
	token_hash("abd", h2);
	assert_string_not_equal(h, h2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_hex),
		cmocka_unit_test(test_random_hex),
		cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
