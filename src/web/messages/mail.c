/* mail.c: writing and sending the outbox's messages. */
#include "web/messages/mail.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "domain/meetings/ical.h"
#include "domain/messages/mime.h"
#include "domain/messages/notify.h"
#include "domain/messages/outbox.h"
#include "domain/messages/smtp.h"
#include "store/store.h"
#include "view/i18n.h"

#define MAIL_BATCH 4		/* rows per claim: 4 x the SMTP timeout < the lease */
#define MAIL_SMTP_TIMEOUT 60	/* seconds per message */
#define MAIL_SCHEDULE_EVERY 600 /* seconds between scheduled-message runs */

bool mail_configured(const struct mail_cfg *cfg)
{
	return cfg && cfg->smtp_url && *cfg->smtp_url && cfg->from && *cfg->from;
}

void mail_owner_name(char *out, size_t n)
{
	char host[64] = "host";
	gethostname(host, sizeof host - 1);
	host[sizeof host - 1] = 0;
	unsigned r = (unsigned)clock_now() ^ ((unsigned)getpid() << 16) ^ (unsigned)(uintptr_t)out;
	str_fmt(out, n, "%s:%ld:%08x", host, (long)getpid(), r);
}

static void local_time(int64_t t, char date[DATE_STR_LEN], char hm[6])
{
	struct clock_dk_local l = clock_dk_local(t);
	date_format(l.day, date);
	str_fmt(hm, 6, "%02d:%02d", l.minute / 60, l.minute % 60);
}

static bool is_meeting_kind(const char *k)
{
	return str_starts_with(k, "meeting_");
}

static void set_link(json_t *v, const struct mail_cfg *cfg, const char *name, const char *path)
{
	char *s = NULL;
	size_t n = strlen(cfg->public_url) + strlen(path) + 1;
	s = malloc(n);
	if (!s)
		abort();
	str_fmt(s, n, "%s%s", cfg->public_url, path);
	json_object_set_new(v, name, json_string(s));
	free(s);
}

/* The digest's list, one line per deadline. */
static void digest_lines(const struct i18n *cat, const char *lang, const struct mail_cfg *cfg,
			 json_t *v)
{
	struct buf lines, one;
	buf_init(&lines, 64 * 1024);
	buf_init(&one, 4096);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(v, "items"), i, it)
	{
		char key[96], path[64];
		str_fmt(key, sizeof key, "plans.task.kind.%s",
			json_string_value(json_object_get(it, "kind")));
		if (!i18n_get(cat, lang, key))
			str_copy(key, sizeof key, "plans.task.kind.other");
		json_object_set_new(it, "label", json_string(i18n_text(cat, lang, key)));
		str_fmt(path, sizeof path, "/cases/%lld",
			(long long)json_integer_value(json_object_get(it, "case")));
		set_link(it, cfg, "link", path);
		buf_reset(&one);
		i18n_format(cat, lang,
			    json_is_true(json_object_get(it, "overdue")) ? "mail.digest.item_overdue"
									  : "mail.digest.item",
			    it, &one);
		buf_printf(&lines, "- %s\n", one.data ? one.data : "");
	}
	json_object_set_new(v, "lines", json_string(lines.data ? lines.data : ""));
	buf_release(&one);
	buf_release(&lines);
}

/* The values the texts name, worked out from the row's facts. */
static json_t *values(const struct i18n *cat, const struct mail_cfg *cfg,
		      const struct outbox_row *r)
{
	json_t *v = json_loads(r->params ? r->params : "{}", 0, NULL);
	if (!json_is_object(v)) {
		json_decref(v);
		return NULL;
	}
	char path[128];
	if (is_meeting_kind(r->kind)) {
		char d[DATE_STR_LEN], t[6], ed[DATE_STR_LEN], et[6], key[64];
		local_time(json_integer_value(json_object_get(v, "start")), d, t);
		local_time(json_integer_value(json_object_get(v, "end")), ed, et);
		json_object_set_new(v, "date", json_string(d));
		json_object_set_new(v, "time", json_string(t));
		json_object_set_new(v, "end_time", json_string(et));
		str_fmt(key, sizeof key, "mail.what.%s", json_string_value(json_object_get(v, "what")));
		json_object_set_new(v, "what_label", json_string(i18n_text(cat, r->lang, key)));
		str_fmt(path, sizeof path, "/meetings/%lld",
			(long long)json_integer_value(json_object_get(v, "meeting")));
		set_link(v, cfg, "link", path);
	} else if (str_eq(r->kind, "password_reset")) {
		str_fmt(path, sizeof path, "/password-reset/%s",
			json_string_value(json_object_get(v, "token")));
		set_link(v, cfg, "link", path);
	} else if (str_eq(r->kind, "digest")) {
		digest_lines(cat, r->lang, cfg, v);
		set_link(v, cfg, "link", "/tasks");
	} else {
		set_link(v, cfg, "link", "/my");
	}
	set_link(v, cfg, "settings_link", "/me/notifications");
	return v;
}

static int calendar_part(const struct i18n *cat, const struct mail_cfg *cfg,
			 const struct outbox_row *r, json_t *v, int64_t now, struct buf *ics)
{
	char summary[200];
	str_fmt(summary, sizeof summary, "%s (IBBIS)",
		json_string_value(json_object_get(v, "what_label")));
	struct ical_event ev = {
	    .id = json_integer_value(json_object_get(v, "meeting")),
	    .start = json_integer_value(json_object_get(v, "start")),
	    .end = json_integer_value(json_object_get(v, "end")),
	    .summary = summary,
	    .cancelled = str_eq(r->kind, "meeting_cancel"),
	    .sequence = (int)json_integer_value(json_object_get(v, "seq")),
	    .organizer = cfg->from,
	    .attendee = r->to_addr,
	};
	return ical_write_method(ics, &ev, 1, now, ev.cancelled ? "CANCEL" : "REQUEST");
}

int mail_render(const struct i18n *cat, const struct mail_cfg *cfg, const struct outbox_row *r,
		int64_t now, struct buf *out)
{
	json_t *v = values(cat, cfg, r);
	if (!v)
		return ERR_INVALID;
	char key[96];
	struct buf subject, text, ics;
	buf_init(&subject, 4096);
	buf_init(&text, 256 * 1024);
	buf_init(&ics, 64 * 1024);
	str_fmt(key, sizeof key, "mail.%s.subject", r->kind);
	int rc = i18n_format(cat, r->lang, key, v, &subject);
	str_fmt(key, sizeof key, "mail.%s.body", r->kind);
	if (!rc)
		rc = i18n_format(cat, r->lang, key, v, &text);
	buf_puts(&text, "\n\n-- \n");
	if (!rc)
		rc = i18n_format(cat, r->lang, "mail.footer", v, &text);
	bool with_ics = is_meeting_kind(r->kind) && !str_eq(r->kind, "meeting_reminder");
	if (!rc && with_ics)
		rc = calendar_part(cat, cfg, r, v, now, &ics);
	char mid[160];
	const char *at = strchr(cfg->from, '@');
	str_fmt(mid, sizeof mid, "outbox-%lld.%lld@%s", (long long)r->id, (long long)r->created_at,
		at ? at + 1 : "ibbis");
	struct mime_msg m = {.from = cfg->from,
			     .to = r->to_addr,
			     .subject = subject.data ? subject.data : "IBBIS",
			     .text = text.data ? text.data : "",
			     .ical = with_ics ? ics.data : NULL,
			     .ical_method = str_eq(r->kind, "meeting_cancel") ? "CANCEL" : "REQUEST",
			     .message_id = mid,
			     .date = now};
	if (!rc)
		rc = mime_write(out, &m);
	buf_release(&subject);
	buf_release(&text);
	buf_release(&ics);
	json_decref(v);
	return rc;
}

static pthread_mutex_t sched_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t sched_last;

static void scheduled(struct store_conn *c, const struct mail_cfg *cfg, struct mail_stats *st)
{
	int64_t now = clock_now(), at = cfg->schedule_at ? cfg->schedule_at : now;
	pthread_mutex_lock(&sched_mu);
	bool due = !sched_last || cfg->schedule_at || now - sched_last >= MAIL_SCHEDULE_EVERY;
	if (due)
		sched_last = now;
	pthread_mutex_unlock(&sched_mu);
	int64_t added = 0;
	if (due && notify_scheduled(c, at, now, &added))
		log_warn("mail: scheduled messages: %s", store_errmsg(c));
	st->scheduled += added;
}

static void send_one(struct store_conn *c, const struct i18n *cat, const struct mail_cfg *cfg,
		     const char *owner, const struct outbox_row *r, struct mail_stats *st)
{
	struct buf msg;
	buf_init(&msg, 1 << 20);
	int64_t now = clock_now();
	char err[512] = "";
	bool permanent = false;
	int rc = mail_render(cat, cfg, r, now, &msg);
	if (rc) {
		permanent = true;
		str_copy(err, sizeof err, "the message could not be written");
	} else {
		struct smtp_cfg sc = {.url = cfg->smtp_url,
				      .from = cfg->from,
				      .user = cfg->user,
				      .password = cfg->password,
				      .timeout_s = MAIL_SMTP_TIMEOUT};
		rc = smtp_send(&sc, r->to_addr, msg.data, msg.len, err, sizeof err, &permanent);
	}
	buf_release(&msg);
	now = clock_now();
	if (!rc) {
		if (outbox_mark_sent(c, r->id, owner, now))
			log_warn("mail: message %lld sent but not marked", (long long)r->id);
		st->sent++;
		return;
	}
	bool last = permanent || r->attempts >= OUTBOX_MAX_ATTEMPTS;
	log_warn("mail: message %lld, attempt %d: %s%s", (long long)r->id, r->attempts, err,
		 last ? " (failed for good)" : "");
	outbox_mark_error(c, r->id, owner, permanent,
			  now + outbox_backoff(cfg->retry_base, r->attempts), err);
	last ? st->failed++ : st->retried++;
}

int mail_pass(struct store *s, const struct i18n *cat, const struct mail_cfg *cfg,
	      const char *owner, struct mail_stats *st)
{
	memset(st, 0, sizeof *st);
	struct store_conn *c;
	int rc = store_conn_get(s, &c);
	if (rc)
		return rc;
	scheduled(c, cfg, st);
	if (!mail_configured(cfg))
		return 0;
	for (;;) {
		struct arena a;
		arena_init(&a);
		struct outbox_row *rows;
		size_t n;
		int64_t claimed = clock_now();
		rc = outbox_claim(c, owner, claimed, MAIL_BATCH, &a, &rows, &n);
		/* Stop before a lease could run out under a slow server. */
		for (size_t i = 0; !rc && i < n; i++)
			if (clock_now() < claimed + OUTBOX_LEASE - MAIL_SMTP_TIMEOUT - 30)
				send_one(c, cat, cfg, owner, &rows[i], st);
		arena_release(&a);
		if (rc || n < MAIL_BATCH)
			return rc;
	}
}

static struct {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool running, stop;
	struct store *s;
	const struct i18n *cat;
	const struct mail_cfg *cfg;
	char owner[128];
} snd = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void *sender_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct mail_stats st;
		if (mail_pass(snd.s, snd.cat, snd.cfg, snd.owner, &st))
			log_warn("mail: a pass failed; trying again later");
		else if (st.sent || st.failed || st.retried)
			log_info("mail: %lld sent, %lld to retry, %lld failed", (long long)st.sent,
				 (long long)st.retried, (long long)st.failed);
		pthread_mutex_lock(&snd.mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += snd.cfg->interval_s > 0 ? snd.cfg->interval_s : 30;
		while (!snd.stop &&
		       pthread_cond_timedwait(&snd.cv, &snd.mu, &until) == 0)
			;
		bool stop = snd.stop;
		pthread_mutex_unlock(&snd.mu);
		if (stop)
			return NULL;
	}
}

int mail_sender_start(struct store *s, const struct i18n *cat, const struct mail_cfg *cfg)
{
	snd.s = s;
	snd.cat = cat;
	snd.cfg = cfg;
	snd.stop = false;
	mail_owner_name(snd.owner, sizeof snd.owner);
	if (pthread_create(&snd.th, NULL, sender_main, NULL))
		return ERR_INTERNAL;
	snd.running = true;
	return 0;
}

void mail_sender_stop(void)
{
	if (!snd.running)
		return;
	pthread_mutex_lock(&snd.mu);
	snd.stop = true;
	pthread_cond_broadcast(&snd.cv);
	pthread_mutex_unlock(&snd.mu);
	pthread_join(snd.th, NULL);
	snd.running = false;
}
