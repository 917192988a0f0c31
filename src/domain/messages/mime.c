/* mime.c: one e-mail message as text. */
#include "domain/messages/mime.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "base/err.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of p (n bytes) with no line breaks. */
static void base64_raw(struct buf *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		char q[4] = {b64[v >> 18 & 63], b64[v >> 12 & 63], i + 1 < n ? b64[v >> 6 & 63] : '=',
			     i + 2 < n ? b64[v & 63] : '='};
		buf_append(out, q, 4);
	}
}

int mime_base64(struct buf *out, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i += 57) { /* 57 bytes make 76 characters */
		base64_raw(out, s + i, n - i < 57 ? n - i : 57);
		buf_puts(out, "\r\n");
	}
	return out->err;
}

int mime_date(struct buf *out, int64_t t)
{
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	return buf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday], tm.tm_mday,
			  mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static bool plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

int mime_subject(struct buf *out, const char *s)
{
	size_t n = strlen(s);
	if (plain_ascii(s) && n <= 900)
		return buf_puts(out, s);
	/* 45 bytes give 60 base64 characters: with "=?UTF-8?B?" and "?=" a
	 * word stays under 75. Cut only before a UTF-8 lead byte. */
	size_t i = 0;
	bool first = true;
	while (i < n) {
		size_t k = n - i < 45 ? n - i : 45;
		while (k > 1 && i + k < n && ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k--;
		if (!first)
			buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		base64_raw(out, (const unsigned char *)s + i, k);
		buf_puts(out, "?=");
		first = false;
		i += k;
	}
	return out->err;
}

static bool header_ok(const char *s)
{
	return s && !strpbrk(s, "\r\n");
}

/* The text with bare \n turned into CRLF, as base64. */
static int text_part(struct buf *out, const char *text)
{
	struct buf t;
	buf_init(&t, BUF_MAX_DEFAULT);
	for (const char *p = text; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n')
			buf_putc(&t, '\r');
		buf_putc(&t, *p);
	}
	int rc = t.err ? t.err : mime_base64(out, t.data, t.len);
	buf_release(&t);
	return rc;
}

int mime_write(struct buf *out, const struct mime_msg *m)
{
	if (!header_ok(m->from) || !header_ok(m->to) || !header_ok(m->subject) ||
	    !header_ok(m->message_id) || (m->ical && !header_ok(m->ical_method)))
		return ERR_INVALID;
	buf_printf(out, "From: %s\r\nTo: %s\r\nSubject: ", m->from, m->to);
	mime_subject(out, m->subject);
	buf_puts(out, "\r\nDate: ");
	mime_date(out, m->date);
	buf_printf(out, "\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n"
			"Auto-Submitted: auto-generated\r\n",
		   m->message_id);
	const char *text_type = "Content-Type: text/plain; charset=UTF-8\r\n"
				"Content-Transfer-Encoding: base64\r\n";
	if (!m->ical) {
		buf_puts(out, text_type);
		buf_puts(out, "\r\n");
		text_part(out, m->text);
		return out->err;
	}
	/* The boundary cannot occur in base64 (it has a '=' and '_'). */
	const char *bd = "=_ibbis_part_boundary_=";
	buf_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", bd);
	buf_printf(out, "--%s\r\n%s\r\n", bd, text_type);
	text_part(out, m->text);
	buf_printf(out, "--%s\r\nContent-Type: text/calendar; charset=UTF-8; method=%s\r\n"
			"Content-Transfer-Encoding: base64\r\n\r\n",
		   bd, m->ical_method);
	mime_base64(out, m->ical, strlen(m->ical));
	buf_printf(out, "--%s--\r\n", bd);
	return out->err;
}
