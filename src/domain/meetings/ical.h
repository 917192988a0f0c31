/* ical.h: writing iCalendar (RFC 5545) feeds. Pure: no I/O, no clock.
 *
 * Content lines end in CRLF and are folded so that no line is longer than
 * 75 octets (a continuation line starts with one space, which counts);
 * a fold never splits a UTF-8 sequence. TEXT values escape backslash,
 * semicolon, comma and newline. */
#ifndef IBBIS_ICAL_H
#define IBBIS_ICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define ICAL_LINE_MAX 75 /* octets per physical line, CRLF excluded */
#define ICAL_UTC_LEN 17	 /* "YYYYMMDDTHHMMSSZ" and NUL */

struct ical_event {
	int64_t id;	      /* UID: meeting-ID@ibbis */
	int64_t start, end;   /* unix seconds */
	const char *summary;  /* borrowed, plain text */
	const char *location; /* borrowed or NULL */
	bool cancelled;
	int sequence;	       /* SEQUENCE: raised by every change */
	const char *organizer; /* borrowed address, or NULL: ORGANIZER:mailto: */
	const char *attendee;  /* borrowed address, or NULL: ATTENDEE:mailto: */
};

/* Appends s with TEXT escaping (\\ \; \, and \n; CR dropped). */
int ical_escape(struct buf *out, const char *s);
/* Appends one content line (n octets, no line end) folded, with CRLF. */
int ical_fold(struct buf *out, const char *line, size_t n);
/* "YYYYMMDDTHHMMSSZ" for unix seconds t. */
void ical_utc(int64_t t, char out[ICAL_UTC_LEN]);
/* A whole VCALENDAR with one VEVENT per event. dtstamp: now. */
int ical_write(struct buf *out, const struct ical_event *ev, size_t n, int64_t dtstamp);
/* The same with METHOD method ("PUBLISH", "REQUEST", "CANCEL": RFC 5546)
 * instead of PUBLISH; for an e-mail part (RFC 6047). */
int ical_write_method(struct buf *out, const struct ical_event *ev, size_t n, int64_t dtstamp,
		      const char *method);

#endif
