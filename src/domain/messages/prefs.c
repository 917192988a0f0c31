/* prefs.c: notification settings in the users table. */
#include "domain/messages/prefs.h"

#include "base/arena.h"
#include "base/err.h"
#include "domain/messages/outbox.h"
#include "store/store.h"

static int prefs_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct prefs *out = elem;
	out->email = store_col_strdup(st, 0, a);
	out->meetings = store_col_int64(st, 1) != 0;
	out->reminders = store_col_int64(st, 2) != 0;
	out->digest = store_col_int64(st, 3) != 0;
	out->decisions = store_col_int64(st, 4) != 0;
	return 0;
}

int prefs_get(struct store_conn *c, int64_t user_id, struct arena *a, struct prefs *out)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT email, notify_meetings, notify_reminders, notify_digest, "
			       "notify_decisions FROM users WHERE id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, user_id);
	return store_read_row(st, a, prefs_row, NULL, out);
}

int prefs_set(struct store_conn *c, int64_t user_id, const struct prefs *p)
{
	const char *email = p->email && *p->email ? p->email : NULL;
	if (email && !outbox_email_ok(email))
		return ERR_INVALID;
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "UPDATE users SET email = $1, notify_meetings = $2, notify_reminders "
			       "= $3, notify_digest = $4, notify_decisions = $5 WHERE id = $6",
			       &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, email);
	store_bind_int64(st, 2, p->meetings);
	store_bind_int64(st, 3, p->reminders);
	store_bind_int64(st, 4, p->digest);
	store_bind_int64(st, 5, p->decisions);
	store_bind_int64(st, 6, user_id);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int prefs_set_email(struct store_conn *c, int64_t user_id, const char *email)
{
	if (email && *email && !outbox_email_ok(email))
		return ERR_INVALID;
	struct store_stmt *st;
	int rc = store_prepare(c, "UPDATE users SET email = $1 WHERE id = $2", &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, email && *email ? email : NULL);
	store_bind_int64(st, 2, user_id);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}
