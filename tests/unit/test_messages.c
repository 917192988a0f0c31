/* test_messages.c: the pure parts of messages: the address check, the
 * retry backoff, base64 (RFC 4648 section 10's vectors), the RFC 5322
 * date, RFC 2047 subjects and the whole message's frame. Expected values
 * are worked out by hand. */
#include "testutil.h"

#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "domain/messages/mime.h"
#include "domain/messages/outbox.h"

static void test_email_ok(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		bool ok;
	} t[] = {
	    {"a@b.dk", true},
	    {"sofie.s+ibbis@example.org", true},
	    {"", false},
	    {"plain", false},
	    {"@example.org", false},
	    {"a@", false},
	    {"a@b", false},
	    {"a@b.", false},
	    {"a@.dk", false},
	    {"a b@example.org", false},
	    {"a@b@example.org", false},
	    {"<a@example.org>", false},
	    {"a@example.org\r\nBcc: x@y.dk", false},
	    {"\"a\"@example.org", false},
	    {"a,b@example.org", false},
	    {"s\xc3\xb8@example.org", false},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(outbox_email_ok(t[i].s), t[i].ok);
	assert_false(outbox_email_ok(NULL));
	char longer[300];
	memset(longer, 'a', sizeof longer);
	memcpy(longer + 250, "@b.dk", 6); /* 255 bytes: one over RFC 5321's 254 */
	assert_false(outbox_email_ok(longer));
	memcpy(longer + 249, "@b.dk", 6); /* 254 */
	assert_true(outbox_email_ok(longer));
}

static void test_backoff(void **state)
{
	(void)state;
	/* base 60: 1 min, 2, 4, 8, 16, 32, 64, 128 min; capped at 6 hours. */
	assert_int_equal(outbox_backoff(60, 1), 60);
	assert_int_equal(outbox_backoff(60, 2), 120);
	assert_int_equal(outbox_backoff(60, 3), 240);
	assert_int_equal(outbox_backoff(60, 8), 7680);
	assert_int_equal(outbox_backoff(60, 9), 15360);
	assert_int_equal(outbox_backoff(60, 10), 21600);
	assert_int_equal(outbox_backoff(60, 100), 21600);
	assert_int_equal(outbox_backoff(1, 1), 1);
	assert_int_equal(outbox_backoff(0, 0), 1);
}

static void test_base64(void **state)
{
	(void)state;
	static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const out[] = {"",	      "Zg==\r\n",     "Zm8=\r\n",    "Zm9v\r\n",
					  "Zm9vYg==\r\n", "Zm9vYmE=\r\n", "Zm9vYmFy\r\n"};
	struct buf b;
	buf_init(&b, 1 << 16);
	for (size_t i = 0; i < 7; i++) {
		buf_reset(&b);
		assert_int_equal(mime_base64(&b, in[i], strlen(in[i])), 0);
		assert_string_equal(b.data ? b.data : "", out[i]);
	}
	/* 58 bytes: one full line of 76 characters, then the last byte. */
	char x[58];
	memset(x, 0, sizeof x);
	buf_reset(&b);
	mime_base64(&b, x, sizeof x);
	assert_int_equal(b.len, 76 + 2 + 4 + 2);
	assert_true(memcmp(b.data + 76, "\r\nAA==\r\n", 8) == 0);
	buf_release(&b);
}

static void test_date(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 256);
	mime_date(&b, 0);
	assert_string_equal(b.data, "Thu, 01 Jan 1970 00:00:00 +0000");
	buf_reset(&b);
	mime_date(&b, 1700000000); /* 2023-11-14 22:13:20 UTC, a Tuesday */
	assert_string_equal(b.data, "Tue, 14 Nov 2023 22:13:20 +0000");
	buf_release(&b);
}

static void test_subject(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 4096);
	mime_subject(&b, "Invitation: a meeting");
	assert_string_equal(b.data, "Invitation: a meeting");
	buf_reset(&b);
	mime_subject(&b, "\xc3\x86ndret"); /* "Ændret": C3 86 ... */
	assert_string_equal(b.data, "=?UTF-8?B?w4ZuZHJldA==?=");
	/* 50 two-byte letters (100 bytes): cut at 44 bytes (never inside a
	 * letter), so words of 44, 44 and 12 bytes, folded. */
	char s[101];
	for (int i = 0; i < 50; i++)
		memcpy(s + 2 * i, "\xc3\xb8", 2);
	s[100] = 0;
	buf_reset(&b);
	mime_subject(&b, s);
	const char *p = b.data;
	int words = 0;
	for (const char *q = p; (q = strstr(q, "=?UTF-8?B?")); q++)
		words++;
	assert_int_equal(words, 3);
	assert_non_null(strstr(p, "?=\r\n =?UTF-8?B?"));
	for (const char *line = p; line;) { /* every line at most 76 characters */
		const char *end = strstr(line, "\r\n");
		size_t n = end ? (size_t)(end - line) : strlen(line);
		assert_true(n <= 76);
		line = end ? end + 2 : NULL;
	}
	buf_release(&b);
}

static void test_message(void **state)
{
	(void)state;
	struct mime_msg m = {.from = "ibbis@example.org",
			     .to = "sofie@example.org",
			     .subject = "Hi",
			     .text = "a\nb",
			     .message_id = "outbox-1.2@example.org",
			     .date = 0};
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(mime_write(&b, &m), 0);
	assert_string_equal(b.data, "From: ibbis@example.org\r\nTo: sofie@example.org\r\n"
				    "Subject: Hi\r\nDate: Thu, 01 Jan 1970 00:00:00 +0000\r\n"
				    "Message-ID: <outbox-1.2@example.org>\r\nMIME-Version: 1.0\r\n"
				    "Auto-Submitted: auto-generated\r\n"
				    "Content-Type: text/plain; charset=UTF-8\r\n"
				    "Content-Transfer-Encoding: base64\r\n\r\n"
				    "YQ0KYg==\r\n"); /* "a\r\nb" */
	buf_reset(&b);
	m.ical = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
	m.ical_method = "REQUEST";
	assert_int_equal(mime_write(&b, &m), 0);
	assert_non_null(strstr(b.data, "Content-Type: multipart/alternative; boundary="));
	assert_non_null(strstr(b.data, "Content-Type: text/calendar; charset=UTF-8; method=REQUEST\r\n"));
	size_t n = strlen(b.data);
	assert_true(n > 4 && strcmp(b.data + n - 4, "--\r\n") == 0);
	/* Header injection is refused, not written. */
	buf_reset(&b);
	m.subject = "Hi\r\nBcc: eve@example.org";
	assert_int_equal(mime_write(&b, &m), ERR_INVALID);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_email_ok), cmocka_unit_test(test_backoff),
	    cmocka_unit_test(test_base64),   cmocka_unit_test(test_date),
	    cmocka_unit_test(test_subject),  cmocka_unit_test(test_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
