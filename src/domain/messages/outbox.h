/* outbox.h: messages waiting to be sent (DESIGN.md section 10).
 *
 * A change that should tell someone calls outbox_add (or notify.h) inside
 * its own write transaction, so the message exists exactly when the change
 * does. A sender claims due rows with a lease (outbox_claim), delivers
 * them, and marks each sent, to be retried, or failed for good. Several
 * nodes on one database never hold the same row: the claim is one UPDATE
 * whose WHERE re-checks the lease, so of two concurrent claims of a row
 * only one changes it (PostgreSQL re-evaluates the WHERE after waiting for
 * the row lock; SQLite serialises writers).
 *
 * A row holds the facts its text is written from (params, JSON), never the
 * text: the sender writes it in the recipient's language at send time. */
#ifndef IBBIS_OUTBOX_H
#define IBBIS_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store_conn;

#define OUTBOX_LEASE 300       /* seconds a claim holds a row */
#define OUTBOX_MAX_ATTEMPTS 8  /* then the row fails for good */
#define OUTBOX_ERROR_MAX 500   /* bytes of a failure reason kept */
#define OUTBOX_EMAIL_MAX 254   /* RFC 5321 path limit */

/* What a user wants to be told about (the users.notify_* columns). */
enum outbox_topic {
	OUTBOX_TOPIC_NONE,      /* always sent (password reset) */
	OUTBOX_TOPIC_MEETINGS,  /* invitations, changes, cancellations */
	OUTBOX_TOPIC_REMINDERS, /* the working day before a meeting */
	OUTBOX_TOPIC_DIGEST,    /* professionals: deadlines */
	OUTBOX_TOPIC_DECISIONS, /* the person: hearing and decision */
};

struct outbox_row {
	int64_t id;
	int64_t user_id;     /* 0 when none */
	const char *to_addr; /* arena */
	const char *lang;    /* arena: "en" or "da" */
	const char *kind;    /* arena: "meeting_invite", ... */
	const char *params;  /* arena: JSON object */
	const char *status;  /* arena: queued, sent, failed */
	int attempts;
	int64_t next_at, created_at, sent_at; /* sent_at 0 when not sent */
	const char *last_error; /* arena or NULL */
};

/* True for a plausible address: local@domain, printable ASCII, no spaces,
 * angle brackets, quotes or commas, at most OUTBOX_EMAIL_MAX bytes, a dot
 * in the domain. Pure. */
bool outbox_email_ok(const char *s);

/* Queues kind for user_id in the caller's write transaction, to the user's
 * address and in their language, when they have an address, are not
 * disabled and want the topic; otherwise does nothing (0). params: JSON
 * object text (borrowed). dedupe: NULL, or a key that makes a second
 * identical message a no-op (scheduled messages). */
int outbox_add_user(struct store_conn *c, int64_t user_id, enum outbox_topic topic,
		    const char *kind, const char *params, const char *dedupe, int64_t now);

/* Claims up to max due rows for owner (a text unique per sender) until
 * now + OUTBOX_LEASE, in its own transaction. *out: arena, *n rows. */
int outbox_claim(struct store_conn *c, const char *owner, int64_t now, size_t max,
		 struct arena *a, struct outbox_row **out, size_t *n);
/* The outcome of a claimed row; each changes it only while owner holds it
 * (0 even when the lease was lost: another sender owns it now). */
int outbox_mark_sent(struct store_conn *c, int64_t id, const char *owner, int64_t now);
/* Back to queued at next_at, or failed when permanent or out of attempts. */
int outbox_mark_error(struct store_conn *c, int64_t id, const char *owner, bool permanent,
		      int64_t next_at, const char *reason);

/* Seconds to wait after attempt number `attempts` (1 = the first failed):
 * base * 2^(attempts-1), at most 6 hours. Pure. */
int64_t outbox_backoff(int64_t base, int attempts);

/* Rows for the administrator, newest first: status NULL for all, or
 * "queued", "sent", "failed". *out: arena. */
int outbox_list(struct store_conn *c, const char *status, size_t limit, struct arena *a,
		struct outbox_row **out, size_t *n);
/* Counts per status. */
int outbox_counts(struct store_conn *c, int64_t *queued, int64_t *sent, int64_t *failed);

#endif
