/* mail.h: the sender. It writes each outbox row's text in the recipient's
 * language (catalogue keys mail.KIND.*), with an iCalendar part for meeting
 * messages, hands it to SMTP and settles the row (DESIGN.md section 10).
 *
 * `serve` runs mail_sender_start (a thread: one pass every interval);
 * `ibbis mail send` runs mail_pass once (for cron). Without an SMTP URL
 * nothing is sent and rows stay queued. */
#ifndef IBBIS_MAIL_H
#define IBBIS_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"

struct i18n;
struct store;
struct outbox_row;

struct mail_cfg {
	const char *smtp_url;	/* borrowed; NULL or "": mail is not configured */
	const char *from;	/* borrowed: sender address */
	const char *user;	/* borrowed or NULL: SMTP login */
	const char *password;	/* borrowed or NULL */
	const char *public_url; /* borrowed: links start here, no trailing slash */
	int64_t retry_base;	/* seconds before the first retry */
	int interval_s;		/* seconds between passes of the thread */
	int64_t schedule_at;	/* 0, or the time scheduled messages are queued as of */
};

struct mail_stats {
	int64_t sent, retried, failed, scheduled;
};

bool mail_configured(const struct mail_cfg *cfg);
/* The whole message for row r (headers, text, calendar part). */
int mail_render(const struct i18n *cat, const struct mail_cfg *cfg, const struct outbox_row *r,
		int64_t now, struct buf *out);
/* Queues the scheduled messages (reminders, digests, hearings) and sends
 * every due row. owner: unique per sender (host, process, thread). */
int mail_pass(struct store *s, const struct i18n *cat, const struct mail_cfg *cfg,
	      const char *owner, struct mail_stats *st);
/* The thread for serve; cfg and cat must outlive mail_sender_stop. */
int mail_sender_start(struct store *s, const struct i18n *cat, const struct mail_cfg *cfg);
void mail_sender_stop(void);
/* A unique sender name: host:pid:random. */
void mail_owner_name(char *out, size_t n);

#endif
