/* notify.c: the messages a change or a day produces. */
#include "domain/messages/notify.h"

#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/messages/outbox.h"
#include "store/store.h"

#define NOTIFY_MAX_PARTS 64
#define DIGEST_DAYS 7	   /* "coming": due within this many days */
#define DIGEST_ITEMS 20	   /* deadlines listed per digest */
#define HEARING_DAYS 14	   /* a decision due this soon: tell the person */
#define DIGEST_HOUR 6	   /* digests from 06:00 Danish time */

static const char *const change_kind[] = {"meeting_invite", "meeting_update", "meeting_cancel"};

/* The participants' ids (at most max). */
static int participants(struct store_conn *c, int64_t meeting_id, int64_t *ids, size_t max,
			size_t *n)
{
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(
	    c, "SELECT user_id FROM meeting_participants WHERE meeting_id = $1 ORDER BY user_id", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, meeting_id);
	while ((rc = store_step(st)) == STORE_ROW)
		if (*n < max)
			ids[(*n)++] = store_col_int64(st, 0);
	return rc < 0 ? rc : 0;
}

/* The facts of a meeting message. */
static int meeting_params(struct store_conn *c, int64_t id, struct buf *p, int64_t *ends)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT kind, starts_at, ends_at, ical_sequence, case_id, mode "
			       "FROM meetings WHERE id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	*ends = store_col_int64(st, 2);
	buf_printf(p, "{\"meeting\": %lld, \"what\": \"%s\", \"start\": %lld, \"end\": %lld, "
		      "\"seq\": %lld, \"case\": %lld, \"mode\": \"%s\"}",
		   (long long)id, store_col_text(st, 0, NULL), (long long)store_col_int64(st, 1),
		   (long long)*ends, (long long)store_col_int64(st, 3),
		   (long long)store_col_int64(st, 4), store_col_text(st, 5, NULL));
	store_reset(st);
	return p->err;
}

static int meeting_to_all(struct store_conn *c, int64_t meeting_id, enum outbox_topic topic,
			  const char *kind, const char *dedupe_prefix, int64_t now)
{
	struct buf p;
	buf_init(&p, 4096);
	int64_t ends = 0, ids[NOTIFY_MAX_PARTS];
	size_t n = 0;
	int rc = meeting_params(c, meeting_id, &p, &ends);
	if (!rc && ends > now)
		rc = participants(c, meeting_id, ids, NOTIFY_MAX_PARTS, &n);
	for (size_t i = 0; !rc && ends > now && i < n; i++) {
		char key[96] = "";
		if (dedupe_prefix)
			str_fmt(key, sizeof key, "%s:%lld:%lld", dedupe_prefix, (long long)meeting_id,
				(long long)ids[i]);
		rc = outbox_add_user(c, ids[i], topic, kind, p.data, key[0] ? key : NULL, now);
	}
	buf_release(&p);
	return rc;
}

int notify_meeting(struct store_conn *c, int64_t meeting_id, enum notify_change ch, int64_t now)
{
	return meeting_to_all(c, meeting_id, OUTBOX_TOPIC_MEETINGS, change_kind[ch], NULL, now);
}

int notify_decision(struct store_conn *c, int64_t case_id, int64_t decision_id, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT person_id FROM cases WHERE id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	int64_t person;
	rc = store_read_int64(st, &person);
	if (rc)
		return rc == ERR_NOT_FOUND ? 0 : rc;
	char params[96];
	str_fmt(params, sizeof params, "{\"case\": %lld, \"decision\": %lld}", (long long)case_id,
		(long long)decision_id);
	return outbox_add_user(c, person, OUTBOX_TOPIC_DECISIONS, "decision_made", params, NULL,
			       now);
}

/* Reminders on working day `today` for meetings from tomorrow up to the end
 * of the next working day. */
static int reminders(struct store_conn *c, day_t today, int64_t now, int64_t *added)
{
	day_t next = today + 1;
	while (!date_is_weekday(next))
		next++;
	int64_t from = clock_dk_to_utc(today + 1, 0), to = clock_dk_to_utc(next + 1, 0);
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT id, starts_at FROM meetings WHERE status = 'planned' AND "
			       "starts_at >= $1 AND starts_at < $2 ORDER BY id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, from);
	store_bind_int64(st, 2, to);
	/* Read the ids first: queueing prepares other statements. */
	size_t n = 0, cap = 256;
	int64_t *ids = NULL;
	struct arena a;
	arena_init(&a);
	ids = arena_array(&a, cap, sizeof *ids);
	while ((rc = store_step(st)) == STORE_ROW) {
		if (n == cap) {
			int64_t *more = arena_array(&a, cap * 2, sizeof *more);
			memcpy(more, ids, n * sizeof *ids);
			ids = more;
			cap *= 2;
		}
		ids[n++] = store_col_int64(st, 0);
	}
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		char prefix[48];
		str_fmt(prefix, sizeof prefix, "reminder:%d", (int)today);
		rc = meeting_to_all(c, ids[i], OUTBOX_TOPIC_REMINDERS, "meeting_reminder", prefix,
				    now);
		*added += 1;
	}
	arena_release(&a);
	return rc < 0 ? rc : 0;
}

/* Flushes one professional's digest. */
static int digest_flush(struct store_conn *c, int64_t user, struct buf *items, int overdue,
			int coming, day_t today, int64_t now, int64_t *added)
{
	if (!user || (!overdue && !coming))
		return 0;
	char d[DATE_STR_LEN], key[64];
	date_format(today, d);
	str_fmt(key, sizeof key, "digest:%lld:%s", (long long)user, d);
	struct buf p;
	buf_init(&p, 64 * 1024);
	buf_printf(&p, "{\"date\": \"%s\", \"overdue\": %d, \"coming\": %d, \"items\": [%s]}", d,
		   overdue, coming, items->data ? items->data : "");
	int rc = p.err ? p.err
		       : outbox_add_user(c, user, OUTBOX_TOPIC_DIGEST, "digest", p.data, key, now);
	buf_release(&p);
	*added += 1;
	return rc;
}

static int digests(struct store_conn *c, day_t today, int64_t now, int64_t *added)
{
	char until[DATE_STR_LEN], td[DATE_STR_LEN];
	date_format(today + DIGEST_DAYS, until);
	date_format(today, td);
	struct store_stmt *st;
	int rc = store_prepare(
	    c,
	    "SELECT t.user_id, t.kind, t.due, t.case_id FROM tasks t JOIN users u ON u.id = "
	    "t.user_id WHERE t.done = 0 AND t.due IS NOT NULL AND t.due <= $1 AND u.role IN "
	    "('care_manager', 'employment_consultant', 'supervisor') AND u.notify_digest = 1 AND "
	    "u.email IS NOT NULL AND u.disabled = 0 ORDER BY t.user_id, t.due, t.id",
	    &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, until);
	/* Gather everything first: queueing prepares other statements. */
	struct arena a;
	arena_init(&a);
	struct row {
		int64_t user, case_id;
		const char *kind, *due;
	} *v = NULL;
	size_t n = 0, cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (n == cap) {
			struct row *more = arena_array(&a, cap ? cap * 2 : 256, sizeof *more);
			if (n)
				memcpy(more, v, n * sizeof *v);
			v = more;
			cap = cap ? cap * 2 : 256;
		}
		v[n++] = (struct row){store_col_int64(st, 0), store_col_int64(st, 3),
				      store_col_strdup(st, 1, &a), store_col_strdup(st, 2, &a)};
	}
	struct buf items;
	buf_init(&items, 64 * 1024);
	int overdue = 0, coming = 0, listed = 0;
	int64_t user = 0;
	for (size_t i = 0; rc >= 0 && i <= n; i++) {
		if (i == n || v[i].user != user) {
			rc = digest_flush(c, user, &items, overdue, coming, today, now, added);
			buf_reset(&items);
			overdue = coming = listed = 0;
			if (i == n)
				break;
			user = v[i].user;
		}
		bool late = strcmp(v[i].due, td) < 0;
		late ? overdue++ : coming++;
		if (listed++ < DIGEST_ITEMS)
			buf_printf(&items, "%s{\"kind\": \"%s\", \"due\": \"%s\", \"case\": %lld, "
					   "\"overdue\": %s}",
				   listed > 1 ? ", " : "", v[i].kind, v[i].due,
				   (long long)v[i].case_id, late ? "true" : "false");
	}
	buf_release(&items);
	arena_release(&a);
	return rc < 0 ? rc : 0;
}

static int hearings(struct store_conn *c, day_t today, int64_t now, int64_t *added)
{
	char from[DATE_STR_LEN], until[DATE_STR_LEN];
	date_format(today, from);
	date_format(today + HEARING_DAYS, until);
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT DISTINCT t.case_id, t.due, c.person_id FROM tasks t JOIN "
			       "cases c ON c.id = t.case_id WHERE t.kind = 'reassessment_decision' "
			       "AND t.done = 0 AND t.due >= $1 AND t.due <= $2 AND c.status = "
			       "'open' ORDER BY t.case_id",
			       &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, from);
	store_bind_str(st, 2, until);
	struct arena a;
	arena_init(&a);
	struct row {
		int64_t case_id, person;
		const char *due;
	} *v = NULL;
	size_t n = 0, cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (n == cap) {
			struct row *more = arena_array(&a, cap ? cap * 2 : 64, sizeof *more);
			if (n)
				memcpy(more, v, n * sizeof *v);
			v = more;
			cap = cap ? cap * 2 : 64;
		}
		v[n++] = (struct row){store_col_int64(st, 0), store_col_int64(st, 2),
				      store_col_strdup(st, 1, &a)};
	}
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		char params[96], key[64];
		str_fmt(params, sizeof params, "{\"case\": %lld, \"due\": \"%s\"}",
			(long long)v[i].case_id, v[i].due);
		str_fmt(key, sizeof key, "hearing:%lld:%s", (long long)v[i].case_id, v[i].due);
		rc = outbox_add_user(c, v[i].person, OUTBOX_TOPIC_DECISIONS, "hearing_due", params,
				     key, now);
		*added += 1;
	}
	arena_release(&a);
	return rc < 0 ? rc : 0;
}

int notify_scheduled(struct store_conn *c, int64_t at, int64_t now, int64_t *added)
{
	int64_t dummy = 0;
	if (!added)
		added = &dummy;
	*added = 0;
	struct clock_dk_local local = clock_dk_local(at);
	day_t today = local.day;
	int hour = local.minute / 60;
	int rc = store_begin_write(c);
	if (rc)
		return rc;
	if (date_is_weekday(today))
		rc = reminders(c, today, now, added);
	if (!rc && date_is_weekday(today) && hour >= DIGEST_HOUR)
		rc = digests(c, today, now, added);
	if (!rc)
		rc = hearings(c, today, now, added);
	return store_end(c, rc);
}
