/* mime.h: writing one e-mail message (RFC 5322, MIME). Pure: no I/O, no
 * clock. Lines end in CRLF. Bodies are UTF-8 in base64 (76-character
 * lines), the subject an RFC 2047 encoded word where it is not ASCII.
 * With a calendar part the message is multipart/alternative: the text and
 * a text/calendar part carrying its METHOD (RFC 6047 section 2.4). */
#ifndef IBBIS_MIME_H
#define IBBIS_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

struct mime_msg {
	const char *from;	 /* borrowed: an address */
	const char *to;		 /* borrowed: an address */
	const char *subject;	 /* borrowed: UTF-8, one line */
	const char *text;	 /* borrowed: UTF-8 plain text, \n line ends */
	const char *ical;	 /* borrowed or NULL: a VCALENDAR */
	const char *ical_method; /* "REQUEST", "CANCEL" with ical */
	const char *message_id;	 /* borrowed: "outbox-12@ibbis" (no brackets) */
	int64_t date;		 /* unix seconds */
};

/* Appends the whole message. ERR_INVALID for a header value with a CR or
 * LF (header injection), ERR_TOO_LARGE from the buffer. */
int mime_write(struct buf *out, const struct mime_msg *m);
/* Appends n bytes as base64 in lines of 76 characters, each with CRLF. */
int mime_base64(struct buf *out, const void *p, size_t n);
/* "Fri, 04 Dec 2026 16:22:13 +0000" (RFC 5322 date, UTC). */
int mime_date(struct buf *out, int64_t t);
/* The subject as a header value: as it is when printable ASCII, else
 * encoded words of at most 75 characters, folded. */
int mime_subject(struct buf *out, const char *s);

#endif
