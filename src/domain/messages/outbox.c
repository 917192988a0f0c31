/* outbox.c: queueing, claiming and settling messages. */
#include "domain/messages/outbox.h"

#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

bool outbox_email_ok(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n < 3 || n > OUTBOX_EMAIL_MAX)
		return false;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	const char *dot = strchr(at + 1, '.');
	if (!dot || dot == at + 1 || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch <= ' ' || ch >= 0x7f || strchr("<>\"(),;:[]\\", ch))
			return false;
	}
	return true;
}

/* The address and language of a user who wants the topic; *addr NULL when
 * none. The column comes from a fixed list, never from input. */
static int recipient(struct store_conn *c, int64_t user_id, enum outbox_topic t, char *addr,
		     size_t addrsz, char lang[3])
{
	static const char *const sql[] = {
	    "SELECT email, language, 1 FROM users WHERE id = $1 AND disabled = 0",
	    "SELECT email, language, notify_meetings FROM users WHERE id = $1 AND disabled = 0",
	    "SELECT email, language, notify_reminders FROM users WHERE id = $1 AND disabled = 0",
	    "SELECT email, language, notify_digest FROM users WHERE id = $1 AND disabled = 0",
	    "SELECT email, language, notify_decisions FROM users WHERE id = $1 AND disabled = 0",
	};
	addr[0] = 0;
	struct store_stmt *st;
	int rc = store_prepare(c, sql[t], &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, user_id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : 0;
	const char *email = store_col_text(st, 0, NULL);
	const char *l = store_col_text(st, 1, NULL);
	bool wants = store_col_int64(st, 2) != 0;
	if (wants && outbox_email_ok(email) && str_copy(addr, addrsz, email) == 0)
		(void)str_copy(lang, 3, str_eq(l, "da") ? "da" : "en");
	else
		addr[0] = 0;
	store_reset(st);
	return 0;
}

int outbox_add_user(struct store_conn *c, int64_t user_id, enum outbox_topic topic,
		    const char *kind, const char *params, const char *dedupe, int64_t now)
{
	char addr[OUTBOX_EMAIL_MAX + 1], lang[3] = "en";
	int rc = recipient(c, user_id, topic, addr, sizeof addr, lang);
	if (rc || !addr[0])
		return rc;
	struct store_stmt *st;
	rc = store_prepare(c,
			   "INSERT INTO outbox (user_id, to_addr, lang, kind, params, dedupe_key, "
			   "next_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) "
			   "ON CONFLICT (dedupe_key) DO NOTHING",
			   &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, user_id);
	store_bind_str(st, 2, addr);
	store_bind_str(st, 3, lang);
	store_bind_str(st, 4, kind);
	store_bind_str(st, 5, params ? params : "{}");
	store_bind_str(st, 6, dedupe);
	store_bind_int64(st, 7, now);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int outbox_claim(struct store_conn *c, const char *owner, int64_t now, size_t max,
		 struct arena *a, struct outbox_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!max)
		return 0;
	struct outbox_row *v = arena_array(a, max, sizeof *v);
	int rc = store_begin_write(c);
	if (rc)
		return rc;
	struct store_stmt *st;
	/* The outer WHERE repeats the inner one: a row another sender claimed
	 * meanwhile no longer matches it and is left alone. */
	rc = store_prepare(
	    c,
	    "UPDATE outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 "
	    "WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_at <= $3 AND "
	    "(lease_until IS NULL OR lease_until <= $3) ORDER BY id LIMIT $4) AND "
	    "status = 'queued' AND (lease_until IS NULL OR lease_until <= $3) "
	    "RETURNING id, user_id, to_addr, lang, kind, params, attempts, created_at",
	    &st);
	if (!rc) {
		store_bind_str(st, 1, owner);
		store_bind_int64(st, 2, now + OUTBOX_LEASE);
		store_bind_int64(st, 3, now);
		store_bind_int64(st, 4, (int64_t)max);
		while ((rc = store_step(st)) == STORE_ROW && *n < max) {
			struct outbox_row *r = &v[(*n)++];
			r->id = store_col_int64(st, 0);
			r->user_id = store_col_int64(st, 1);
			r->to_addr = store_col_strdup(st, 2, a);
			r->lang = store_col_strdup(st, 3, a);
			r->kind = store_col_strdup(st, 4, a);
			r->params = store_col_strdup(st, 5, a);
			r->attempts = (int)store_col_int64(st, 6);
			r->created_at = store_col_int64(st, 7);
			r->status = "queued";
		}
		if (rc == STORE_ROW)
			rc = store_reset(st);
	}
	if (rc < 0) {
		store_rollback(c);
		*n = 0;
		return rc;
	}
	*out = v;
	return store_commit(c);
}

/* Binds $1 id, $2 owner, $3 t, $4 reason (when given), $5 max attempts
 * (when positive). */
static int settle(struct store_conn *c, const char *sql, int64_t id, const char *owner,
		  int64_t t, const char *reason, int64_t max_attempts)
{
	int rc = store_begin_write(c);
	struct store_stmt *st;
	if (!rc)
		rc = store_prepare(c, sql, &st);
	if (!rc) {
		store_bind_int64(st, 1, id);
		store_bind_str(st, 2, owner);
		store_bind_int64(st, 3, t);
		if (reason)
			store_bind_str(st, 4, reason);
		if (max_attempts > 0)
			store_bind_int64(st, 5, max_attempts);
		rc = store_step(st);
	}
	return store_end(c, rc < 0 ? rc : 0);
}

int outbox_mark_sent(struct store_conn *c, int64_t id, const char *owner, int64_t now)
{
	return settle(c,
		      "UPDATE outbox SET status = 'sent', sent_at = $3, lease_owner = NULL, "
		      "lease_until = NULL, last_error = NULL, params = CASE WHEN kind = "
		      "'password_reset' THEN '{}' ELSE params END WHERE id = $1 AND lease_owner = $2 "
		      "AND status = 'queued'",
		      id, owner, now, NULL, 0);
}

int outbox_mark_error(struct store_conn *c, int64_t id, const char *owner, bool permanent,
		      int64_t next_at, const char *reason)
{
	char why[OUTBOX_ERROR_MAX + 1];
	(void)str_copy(why, sizeof why, reason ? reason : "");
	why[OUTBOX_ERROR_MAX] = 0;
	/* A cut may split a UTF-8 sequence: keep only whole characters. */
	size_t n = strlen(why);
	while (n && !str_valid_utf8(why, n))
		why[--n] = 0;
	if (permanent)
		return settle(c,
			      "UPDATE outbox SET status = 'failed', lease_owner = NULL, "
			      "lease_until = NULL, next_at = $3, last_error = $4 WHERE id = $1 AND "
			      "lease_owner = $2 AND status = 'queued'",
			      id, owner, next_at, why, 0);
	/* Out of attempts: failed, with the last reason. */
	return settle(c,
		      "UPDATE outbox SET status = CASE WHEN attempts >= $5 THEN 'failed' ELSE 'queued' END, lease_owner = NULL, lease_until = NULL, "
		      "next_at = $3, last_error = $4 WHERE id = $1 AND lease_owner = $2 AND "
		      "status = 'queued'",
		      id, owner, next_at, why, OUTBOX_MAX_ATTEMPTS);
}

int64_t outbox_backoff(int64_t base, int attempts)
{
	const int64_t cap = 6 * 3600;
	if (base < 1)
		base = 1;
	if (attempts < 1)
		attempts = 1;
	int64_t d = base;
	for (int i = 1; i < attempts && d < cap; i++)
		d *= 2;
	return d < cap ? d : cap;
}

static void read_row(struct store_stmt *st, struct arena *a, struct outbox_row *r)
{
	r->id = store_col_int64(st, 0);
	r->user_id = store_col_int64(st, 1);
	r->to_addr = store_col_strdup(st, 2, a);
	r->lang = store_col_strdup(st, 3, a);
	r->kind = store_col_strdup(st, 4, a);
	r->status = store_col_strdup(st, 5, a);
	r->attempts = (int)store_col_int64(st, 6);
	r->next_at = store_col_int64(st, 7);
	r->created_at = store_col_int64(st, 8);
	r->sent_at = store_col_int64(st, 9);
	r->last_error = store_col_strdup(st, 10, a);
}

int outbox_list(struct store_conn *c, const char *status, size_t limit, struct arena *a,
		struct outbox_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT id, user_id, to_addr, lang, kind, status, attempts, next_at, "
			       "created_at, sent_at, last_error FROM outbox WHERE (CAST($1 AS TEXT) IS NULL "
			       "OR status = $1) ORDER BY id DESC LIMIT $2",
			       &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, status);
	store_bind_int64(st, 2, (int64_t)limit);
	struct outbox_row *v = arena_array(a, limit ? limit : 1, sizeof *v);
	while ((rc = store_step(st)) == STORE_ROW && *n < limit)
		read_row(st, a, &v[(*n)++]);
	if (rc == STORE_ROW)
		rc = store_reset(st);
	*out = v;
	return rc < 0 ? rc : 0;
}

int outbox_counts(struct store_conn *c, int64_t *queued, int64_t *sent, int64_t *failed)
{
	*queued = *sent = *failed = 0;
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT status, COUNT(*) FROM outbox GROUP BY status", &st);
	if (rc)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *s = store_col_text(st, 0, NULL);
		int64_t k = store_col_int64(st, 1);
		if (str_eq(s, "queued"))
			*queued = k;
		else if (str_eq(s, "sent"))
			*sent = k;
		else if (str_eq(s, "failed"))
			*failed = k;
	}
	return rc < 0 ? rc : 0;
}
