/* test_ical.c: iCalendar escaping, folding at 75 octets (never inside a
 * UTF-8 sequence), UTC times and the calendar's frame. Expected values
 * are worked out by hand from RFC 5545 sections 3.1 and 3.3.11. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "domain/meetings/ical.h"

static char *rep(char c, size_t n, char *dst)
{
	memset(dst, c, n);
	dst[n] = '\0';
	return dst;
}

static void test_escape(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"", ""},
	    {"plain", "plain"},
	    {"a,b", "a\\,b"},
	    {"a;b", "a\\;b"},
	    {"back\\slash", "back\\\\slash"},
	    {"two\nlines", "two\\nlines"},
	    {"crlf\r\nend", "crlf\\nend"},
	    {"Rundbordssamtale: Søren, Ærø; \\", "Rundbordssamtale: Søren\\, Ærø\\; \\\\"},
	    {"colon:stays", "colon:stays"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b;
		buf_init(&b, 1024);
		assert_int_equal(ical_escape(&b, cases[i].in), 0);
		assert_string_equal(b.data, cases[i].out);
		buf_release(&b);
	}
}

static void fold_expect(const char *in, const char *want)
{
	struct buf b;
	buf_init(&b, 4096);
	assert_int_equal(ical_fold(&b, in, strlen(in)), 0);
	assert_string_equal(b.data, want);
	buf_release(&b);
}

static void test_fold_table(void **state)
{
	(void)state;
	char a75[76], a76[77], a74[75], a73[74], in[300], want[300], x[200];

	/* exactly 75 octets: no fold */
	rep('a', 75, a75);
	snprintf(want, sizeof want, "%s\r\n", a75);
	fold_expect(a75, want);

	/* 76 octets: 75, then a continuation " a" */
	rep('a', 76, a76);
	snprintf(want, sizeof want, "%s\r\n a\r\n", a75);
	fold_expect(a76, want);

	/* 150 octets: 75 + (space + 74) + (space + 1) */
	rep('a', 150, x);
	rep('a', 74, a74);
	snprintf(want, sizeof want, "%s\r\n %s\r\n a\r\n", a75, a74);
	fold_expect(x, want);

	/* "ø" (C3 B8) would straddle octet 75: it moves whole to the next line */
	snprintf(in, sizeof in, "%sø", a74);
	snprintf(want, sizeof want, "%s\r\n ø\r\n", a74);
	fold_expect(in, want);

	/* "€" (E2 82 AC) starting at octet 74: the line breaks before it */
	rep('a', 73, a73);
	snprintf(in, sizeof in, "%s€", a73);
	snprintf(want, sizeof want, "%s\r\n €\r\n", a73);
	fold_expect(in, want);

	/* a 4-octet emoji right after 75 octets: the cut is already a boundary */
	snprintf(in, sizeof in, "%s😀", a75);
	snprintf(want, sizeof want, "%s\r\n 😀\r\n", a75);
	fold_expect(in, want);

	/* "ø" ending exactly at octet 75 stays on the first line */
	snprintf(in, sizeof in, "%søb", a73);
	snprintf(want, sizeof want, "%sø\r\n b\r\n", a73);
	fold_expect(in, want);

	/* empty line */
	fold_expect("", "\r\n");
}

/* A long Danish text: every physical line at most 75 octets, every line
 * starts at a UTF-8 boundary, and unfolding gives the input back. */
static void test_fold_property(void **state)
{
	(void)state;
	char in[2000] = "SUMMARY:";
	size_t at = strlen(in);
	for (int i = 0; i < 60; i++)
		at += (size_t)snprintf(in + at, sizeof in - at, "æøå Ærø ");
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(ical_fold(&b, in, strlen(in)), 0);
	char unfolded[4000] = "";
	size_t un = 0;
	const char *p = b.data;
	int lines = 0;
	while (*p) {
		const char *e = strstr(p, "\r\n");
		assert_non_null(e);
		size_t len = (size_t)(e - p);
		assert_true(len <= 75);
		const char *body = p;
		if (lines > 0) {
			assert_int_equal(*p, ' ');
			body++;
			len--;
		}
		assert_true(((unsigned char)body[0] & 0xC0) != 0x80);
		memcpy(unfolded + un, body, len);
		un += len;
		p = e + 2;
		lines++;
	}
	unfolded[un] = '\0';
	assert_string_equal(unfolded, in);
	assert_true(lines > 5);
	buf_release(&b);
}

static void test_utc(void **state)
{
	(void)state;
	char t[ICAL_UTC_LEN];
	ical_utc(0, t);
	assert_string_equal(t, "19700101T000000Z");
	ical_utc(1700000000, t); /* Tue 14 Nov 2023 22:13:20 UTC */
	assert_string_equal(t, "20231114T221320Z");
	ical_utc(951782400, t); /* 29 Feb 2000 00:00:00 UTC (leap day) */
	assert_string_equal(t, "20000229T000000Z");
}

static void test_write(void **state)
{
	(void)state;
	struct ical_event ev[2] = {
	    {.id = 7,
	     .start = 1700000000,
	     .end = 1700003600,
	     .summary = "Roundtable: Sofie",
	     .location = "Sundhedshuset, 2. sal"},
	    {.id = 8,
	     .start = 1700010000,
	     .end = 1700013600,
	     .summary = "Follow-up; Bo",
	     .cancelled = true},
	};
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(ical_write(&b, ev, 2, 0), 0);
	const char *s = b.data;
	assert_true(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 37) == 0);
	assert_non_null(
	    strstr(s, "\r\nBEGIN:VEVENT\r\nUID:meeting-7@ibbis\r\nDTSTAMP:19700101T000000Z\r\n"
		      "DTSTART:20231114T221320Z\r\nDTEND:20231114T231320Z\r\n"
		      "SUMMARY:Roundtable: Sofie\r\nLOCATION:Sundhedshuset\\, 2. sal\r\n"
		      "STATUS:CONFIRMED\r\nSEQUENCE:0\r\nEND:VEVENT\r\n"));
	assert_non_null(strstr(s, "UID:meeting-8@ibbis\r\n"));
	assert_non_null(strstr(s, "SUMMARY:Follow-up\\; Bo\r\nSTATUS:CANCELLED\r\n"));
	assert_non_null(strstr(s, "METHOD:PUBLISH\r\n"));
	assert_null(strstr(strstr(s, "UID:meeting-8"), "LOCATION"));
	size_t n = strlen(s);
	assert_true(n > 15 && strcmp(s + n - 15, "END:VCALENDAR\r\n") == 0);
	for (const char *p = s; *p; p++) /* every LF is part of a CRLF */
		if (*p == '\n')
			assert_true(p > s && p[-1] == '\r');
	buf_release(&b);
}

/* An e-mail part (RFC 6047): the method, the sequence, organizer and
 * attendee as mailto: URIs. */
static void test_write_method(void **state)
{
	(void)state;
	struct ical_event ev = {.id = 12,
				.start = 1700000000,
				.end = 1700003600,
				.summary = "Meeting (IBBIS)",
				.cancelled = true,
				.sequence = 3,
				.organizer = "ibbis@example.org",
				.attendee = "sofie@example.org"};
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(ical_write_method(&b, &ev, 1, 0, "CANCEL"), 0);
	assert_non_null(strstr(b.data, "CALSCALE:GREGORIAN\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\n"));
	assert_non_null(strstr(b.data, "STATUS:CANCELLED\r\nSEQUENCE:3\r\n"
				       "ORGANIZER:mailto:ibbis@example.org\r\n"
				       "ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:sofie@example.org\r\n"
				       "END:VEVENT\r\n"));
	assert_null(strstr(b.data, "PUBLISH"));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),	  cmocka_unit_test(test_fold_table),
	    cmocka_unit_test(test_fold_property), cmocka_unit_test(test_utc),
	    cmocka_unit_test(test_write),	  cmocka_unit_test(test_write_method),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
