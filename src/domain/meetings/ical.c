/* ical.c: iCalendar text: escaping, folding, the VCALENDAR. */
#include "domain/meetings/ical.h"

#include <string.h>

#include "base/date.h"
#include "base/err.h"
#include "base/str.h"

int ical_escape(struct buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\\':
			buf_puts(out, "\\\\");
			break;
		case ';':
			buf_puts(out, "\\;");
			break;
		case ',':
			buf_puts(out, "\\,");
			break;
		case '\n':
			buf_puts(out, "\\n");
			break;
		case '\r':
			break;
		default:
			buf_putc(out, *s);
		}
	}
	return out->err;
}

int ical_fold(struct buf *out, const char *line, size_t n)
{
	const unsigned char *p = (const unsigned char *)line;
	size_t pos = 0, limit = ICAL_LINE_MAX;
	while (n - pos > limit) {
		size_t cut = pos + limit;
		while (cut > pos && (p[cut] & 0xC0) == 0x80)
			cut--; /* never split a UTF-8 sequence */
		if (cut == pos)
			cut = pos + limit;
		buf_append(out, line + pos, cut - pos);
		buf_puts(out, "\r\n ");
		pos = cut;
		limit = ICAL_LINE_MAX - 1; /* the leading space counts */
	}
	buf_append(out, line + pos, n - pos);
	buf_puts(out, "\r\n");
	return out->err;
}

void ical_utc(int64_t t, char out[ICAL_UTC_LEN])
{
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	int y, m, d;
	date_to_ymd((day_t)days, &y, &m, &d);
	str_fmt(out, ICAL_UTC_LEN, "%04d%02d%02dT%02d%02d%02dZ", y, m, d, (int)(secs / 3600),
		(int)(secs / 60 % 60), (int)(secs % 60));
}

/* "NAME:value" with value escaped as TEXT, folded. */
static int text_line(struct buf *out, struct buf *tmp, const char *name, const char *value)
{
	buf_reset(tmp);
	buf_puts(tmp, name);
	buf_putc(tmp, ':');
	ical_escape(tmp, value);
	if (tmp->err)
		return tmp->err;
	return ical_fold(out, tmp->data, tmp->len);
}

static int raw_line(struct buf *out, const char *line)
{
	return ical_fold(out, line, strlen(line));
}

static int write_event(struct buf *out, struct buf *tmp, const struct ical_event *e,
		       const char *stamp)
{
	char line[96], t[ICAL_UTC_LEN];
	raw_line(out, "BEGIN:VEVENT");
	str_fmt(line, sizeof line, "UID:meeting-%lld@ibbis", (long long)e->id);
	raw_line(out, line);
	str_fmt(line, sizeof line, "DTSTAMP:%s", stamp);
	raw_line(out, line);
	ical_utc(e->start, t);
	str_fmt(line, sizeof line, "DTSTART:%s", t);
	raw_line(out, line);
	ical_utc(e->end, t);
	str_fmt(line, sizeof line, "DTEND:%s", t);
	raw_line(out, line);
	text_line(out, tmp, "SUMMARY", e->summary ? e->summary : "");
	if (e->location && *e->location)
		text_line(out, tmp, "LOCATION", e->location);
	raw_line(out, e->cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
	str_fmt(line, sizeof line, "SEQUENCE:%d", e->sequence > 0 ? e->sequence : 0);
	raw_line(out, line);
	if (e->organizer && *e->organizer) {
		buf_reset(tmp);
		buf_printf(tmp, "ORGANIZER:mailto:%s", e->organizer);
		ical_fold(out, tmp->data, tmp->len);
	}
	if (e->attendee && *e->attendee) {
		buf_reset(tmp);
		buf_printf(tmp, "ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:%s", e->attendee);
		ical_fold(out, tmp->data, tmp->len);
	}
	return raw_line(out, "END:VEVENT");
}

int ical_write(struct buf *out, const struct ical_event *ev, size_t n, int64_t dtstamp)
{
	return ical_write_method(out, ev, n, dtstamp, "PUBLISH");
}

int ical_write_method(struct buf *out, const struct ical_event *ev, size_t n, int64_t dtstamp,
		      const char *method)
{
	struct buf tmp;
	buf_init(&tmp, 64 * 1024);
	char stamp[ICAL_UTC_LEN];
	ical_utc(dtstamp, stamp);
	raw_line(out, "BEGIN:VCALENDAR");
	raw_line(out, "VERSION:2.0");
	raw_line(out, "PRODID:-//IBBIS//Meetings//EN");
	raw_line(out, "CALSCALE:GREGORIAN");
	char mline[32];
	str_fmt(mline, sizeof mline, "METHOD:%s", method);
	raw_line(out, mline);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = write_event(out, &tmp, &ev[i], stamp);
	raw_line(out, "END:VCALENDAR");
	buf_release(&tmp);
	return rc ? rc : out->err;
}
