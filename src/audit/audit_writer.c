/* audit_writer.c: group commit for the audit log (DESIGN.md section 4).
 *
 * audit_record copies an entry into a bounded ring; one writer thread, with
 * its own store connection, takes everything queued and appends it in one
 * write transaction (the hash chain in queue order), so a read on the hot
 * path costs a copy and a signal, never an fsync. A full ring makes the
 * caller wait: an entry is never dropped. Without a started writer (CLI
 * tools), audit_record appends synchronously.
 *
 * A batch that cannot be written (full disk, database gone) is retried
 * until it is in. Answers held for their entries wait for it at most
 * AUDIT_FAIL_HOLD_MS; then they, and every answer held after them, are
 * refused (the server answers 503) until a commit succeeds again. */
#include "audit/audit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "base/log.h"
#include "store/store.h"

#define AUDIT_QUEUE_CAP 8192 /* entries; a power of two */
#define AUDIT_BATCH_MAX 1024 /* entries per transaction */

/* One queued entry: the struct and its strings in one allocation. */
struct queued {
	struct audit_entry e; /* strings point into the same block */
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full, committed;
	pthread_t thread;
	bool running;  /* a writer thread exists */
	bool stopping; /* audit_stop asked it to finish */
	int start_rc;  /* the writer's connection result, for audit_start */
	bool start_done;
	bool flush_wanted; /* audit_flush is waiting: commit now */
	int waiters;       /* answers held for their entries: commit now */
	int linger_ms;     /* the group-commit window */
	struct store *store;                  /* borrowed */
	struct queued *ring[AUDIT_QUEUE_CAP]; /* owned entries */
	uint64_t head, tail;                  /* taken, queued (monotonic) */
	uint64_t done;                        /* entries committed (monotonic) */
	uint64_t commits;                     /* batches committed */
	int64_t fail_since_ms; /* monotonic; 0: the last commit succeeded */
	bool failing; /* failing for AUDIT_FAIL_HOLD_MS: holds are refused */
} w = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.not_empty = PTHREAD_COND_INITIALIZER,
	.not_full = PTHREAD_COND_INITIALIZER,
	.committed = PTHREAD_COND_INITIALIZER,
};

static size_t slen(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies s to *p and advances; NULL stays NULL. */
static const char *put(char **p, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = *p;
	memcpy(d, s, n);
	*p += n;
	return d;
}

static struct queued *queued_copy(const struct audit_entry *e) /* caller frees */
{
	size_t n = sizeof(struct queued) + slen(e->actor_role) + slen(e->actor_name) +
		   slen(e->actor_org) + slen(e->item) + slen(e->category) + slen(e->action) +
		   slen(e->purpose);
	struct queued *q = malloc(n);
	if (!q)
		abort();
	char *p = (char *)(q + 1);
	q->e = *e;
	q->e.actor_role = put(&p, e->actor_role);
	q->e.actor_name = put(&p, e->actor_name);
	q->e.actor_org = put(&p, e->actor_org);
	q->e.item = put(&p, e->item);
	q->e.category = put(&p, e->category);
	q->e.action = put(&p, e->action);
	q->e.purpose = put(&p, e->purpose);
	return q;
}

/* One batch in one transaction. Returns 0 or the store's error. */
static int write_batch(struct store_conn *conn, struct queued **batch, size_t n)
{
	static const struct audit_entry *entries[AUDIT_BATCH_MAX]; /* the writer's only */
	int rc = store_begin_write(conn);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		entries[i] = &batch[i]->e;
	rc = audit_append_many(conn, entries, n);
	if (rc) {
		store_rollback(conn);
		return rc;
	}
	return store_commit(conn);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A ticket that no commit reaches: its answer is refused at once. */
#define TICKET_REFUSED UINT64_MAX

struct hold;
static struct hold *holds_take_all(void);
static void holds_wake(struct hold *h, int rc);

/* A batch failed: after AUDIT_FAIL_HOLD_MS of failing, the held answers
 * are refused and so is every new hold (one clear line says so). */
static void note_failure(int rc, size_t n, unsigned tries)
{
	struct hold *refused = NULL;
	pthread_mutex_lock(&w.mu);
	int64_t now = now_ms();
	if (!w.fail_since_ms)
		w.fail_since_ms = now;
	if (!w.failing && now - w.fail_since_ms >= AUDIT_FAIL_HOLD_MS) {
		w.failing = true;
		refused = holds_take_all();
		pthread_cond_broadcast(&w.not_full); /* callers waiting on a full ring */
		log_error("audit: the log cannot be written (%s) for %lld ms: answers that "
			  "wait for their entries get 503 until it can",
			  err_code(rc), (long long)(now - w.fail_since_ms));
	} else if (tries == 1 || tries % 64 == 0) {
		log_error("audit: batch of %zu entries not written (%s); retrying", n,
			  err_code(rc));
	}
	pthread_mutex_unlock(&w.mu);
	holds_wake(refused, ERR_UNAVAILABLE);
}

/* A batch went in: if earlier ones failed, say the log is written again. */
static void note_success(void)
{
	pthread_mutex_lock(&w.mu);
	if (w.fail_since_ms) {
		long long ms = (long long)(now_ms() - w.fail_since_ms);
		if (w.failing)
			log_info("audit: the log is written again after %lld ms; answers leave again",
				 ms);
		else
			log_info("audit: the log is written again after %lld ms", ms);
	}
	w.fail_since_ms = 0;
	w.failing = false;
	pthread_mutex_unlock(&w.mu);
}

/* Retries until the batch is in: an audit entry is never dropped. The
 * pause between tries grows to 250 ms, so the log is written again soon
 * after the disk or the database is back. */
static void write_batch_retrying(struct store_conn *conn, struct queued **batch, size_t n)
{
	int delay_ms = 5;
	for (unsigned tries = 1;; tries++) {
		int rc = write_batch(conn, batch, n);
		if (rc == 0) {
			note_success();
			return;
		}
		note_failure(rc, n, tries);
		struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		if (delay_ms < 250)
			delay_ms *= 2;
	}
}

/* After the first entry arrives the writer lingers this long for more, so
 * a busy server commits hundreds of entries per transaction instead of one
 * or two (each commit rewrites whole pages into the WAL). A request waiting
 * for its entry (audit_wait_mine) or audit_flush cuts the wait short: then
 * the batch is whatever queued while the previous commit was syncing, which
 * is group commit without a timer. */
#define AUDIT_LINGER_DEFAULT_MS 20

static void linger(void)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)w.linger_ms * 1000000L;
	while (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (w.tail - w.head < AUDIT_BATCH_MAX && !w.stopping && !w.flush_wanted &&
	       w.waiters == 0)
		if (pthread_cond_timedwait(&w.not_empty, &w.mu, &until) != 0)
			break;
}

/* Takes up to AUDIT_BATCH_MAX entries; waits while there are none. Returns
 * 0 entries only when stopping with an empty ring. Called locked. */
static size_t take_batch(struct queued **batch)
{
	while (w.head == w.tail && !w.stopping)
		pthread_cond_wait(&w.not_empty, &w.mu);
	linger();
	w.flush_wanted = false;
	size_t n = 0;
	while (w.head != w.tail && n < AUDIT_BATCH_MAX) {
		batch[n++] = w.ring[w.head % AUDIT_QUEUE_CAP];
		w.head++;
	}
	if (n)
		pthread_cond_broadcast(&w.not_full);
	return n;
}

/* The sequence number of the last entry this thread queued and has not yet
 * handed on (0: none). Each request runs on one thread from start to end. */
static _Thread_local uint64_t mine;

bool audit_durable_reads = true;

uint64_t audit_take_mine(void)
{
	uint64_t t = mine;
	mine = 0;
	return audit_durable_reads ? t : 0;
}

/* Someone waiting for an entry: called once the batch holding it commits. */
struct hold {
	uint64_t ticket;
	void (*wake)(void *, int);
	void *arg;
	struct hold *next;
};
static struct hold *holds; /* under w.mu; unordered */

void audit_when_committed(uint64_t ticket, void (*wake)(void *, int), void *arg)
{
	pthread_mutex_lock(&w.mu);
	if (ticket != TICKET_REFUSED && (!w.running || w.done >= ticket)) {
		pthread_mutex_unlock(&w.mu);
		wake(arg, 0);
		return;
	}
	if (ticket == TICKET_REFUSED || w.failing) {
		pthread_mutex_unlock(&w.mu);
		wake(arg, ERR_UNAVAILABLE);
		return;
	}
	struct hold *h = malloc(sizeof *h);
	if (!h)
		abort();
	*h = (struct hold){ticket, wake, arg, holds};
	holds = h;
	w.waiters++;
	pthread_cond_signal(&w.not_empty); /* no lingering: someone waits */
	pthread_mutex_unlock(&w.mu);
}

/* Takes the holds that are done (all of them when the writer is gone).
 * Called locked; the caller wakes them unlocked. */
static struct hold *holds_done(void)
{
	struct hold *ready = NULL, **pp = &holds;
	while (*pp) {
		struct hold *h = *pp;
		if (w.done >= h->ticket || !w.running) {
			*pp = h->next;
			h->next = ready;
			ready = h;
			w.waiters--;
		} else {
			pp = &h->next;
		}
	}
	return ready;
}

/* Takes every hold (the log is failing). Called locked. */
static struct hold *holds_take_all(void)
{
	struct hold *all = holds;
	holds = NULL;
	w.waiters = 0;
	return all;
}

static void holds_wake(struct hold *h, int rc)
{
	while (h) {
		struct hold *next = h->next;
		h->wake(h->arg, rc);
		free(h);
		h = next;
	}
}

static void *writer_main(void *arg)
{
	(void)arg;
	struct store_conn *conn = NULL;
	int rc = store_conn_get(w.store, &conn);
	pthread_mutex_lock(&w.mu);
	w.start_rc = rc;
	w.start_done = true;
	pthread_cond_broadcast(&w.committed);
	pthread_mutex_unlock(&w.mu);
	if (rc)
		return NULL;
	static struct queued *batch[AUDIT_BATCH_MAX]; /* only this thread uses it */
	for (;;) {
		pthread_mutex_lock(&w.mu);
		size_t n = take_batch(batch);
		pthread_mutex_unlock(&w.mu);
		if (n == 0)
			break;
		write_batch_retrying(conn, batch, n);
		for (size_t i = 0; i < n; i++)
			free(batch[i]);
		pthread_mutex_lock(&w.mu);
		w.done += n;
		w.commits++;
		pthread_cond_broadcast(&w.committed);
		struct hold *ready = holds_done();
		pthread_mutex_unlock(&w.mu);
		holds_wake(ready, 0);
	}
	return NULL;
}

int audit_start(struct store *s, int commit_ms)
{
	pthread_mutex_lock(&w.mu);
	w.linger_ms = commit_ms > 0 ? commit_ms : AUDIT_LINGER_DEFAULT_MS;
	if (w.running) {
		pthread_mutex_unlock(&w.mu);
		return ERR_INTERNAL;
	}
	w.store = s;
	w.stopping = false;
	w.start_done = false;
	w.start_rc = 0;
	pthread_mutex_unlock(&w.mu);
	if (pthread_create(&w.thread, NULL, writer_main, NULL) != 0)
		return ERR_INTERNAL;
	pthread_mutex_lock(&w.mu);
	while (!w.start_done)
		pthread_cond_wait(&w.committed, &w.mu);
	int rc = w.start_rc;
	w.running = rc == 0;
	pthread_mutex_unlock(&w.mu);
	if (rc)
		pthread_join(w.thread, NULL);
	return rc;
}

void audit_stop(void)
{
	pthread_mutex_lock(&w.mu);
	if (!w.running) {
		pthread_mutex_unlock(&w.mu);
		return;
	}
	w.stopping = true;
	pthread_cond_broadcast(&w.not_empty);
	pthread_mutex_unlock(&w.mu);
	pthread_join(w.thread, NULL); /* it drains the ring first */
	pthread_mutex_lock(&w.mu);
	w.running = false;
	struct hold *ready = holds_done(); /* none should be left; never strand one */
	if (w.commits)
		log_info("audit: %llu entries in %llu commits (%.1f per commit)",
			 (unsigned long long)w.done, (unsigned long long)w.commits,
			 (double)w.done / (double)w.commits);
	pthread_mutex_unlock(&w.mu);
	holds_wake(ready, 0);
}

int audit_flush(void)
{
	pthread_mutex_lock(&w.mu);
	uint64_t target = w.tail;
	w.flush_wanted = true; /* cut the writer's linger short */
	pthread_cond_signal(&w.not_empty);
	while (w.running && w.done < target)
		pthread_cond_wait(&w.committed, &w.mu);
	pthread_mutex_unlock(&w.mu);
	return 0;
}

static int record_sync(struct store_conn *conn, const struct audit_entry *e)
{
	if (store_in_transaction(conn))
		return audit_append_now(conn, e);
	int rc = store_begin_write(conn);
	if (rc)
		return rc;
	rc = audit_append_now(conn, e);
	if (rc) {
		store_rollback(conn);
		return rc;
	}
	return store_commit(conn);
}

int audit_record(struct store_conn *conn, const struct audit_entry *e)
{
	if (!e || !e->action)
		return ERR_INVALID;
	/* A write's entry goes into the write's own transaction: the change and
	 * its audit entry commit together or not at all. Reads are queued. */
	if (conn && store_in_write_transaction(conn))
		return audit_append_now(conn, e);
	pthread_mutex_lock(&w.mu);
	bool queue = w.running && !w.stopping;
	pthread_mutex_unlock(&w.mu);
	if (!queue)
		return record_sync(conn, e);
	struct queued *q = queued_copy(e);
	pthread_mutex_lock(&w.mu);
	/* A caller holding a transaction could hold the lock the writer needs:
	 * when the ring is full, it appends inside its own transaction instead. */
	if (w.tail - w.head >= AUDIT_QUEUE_CAP && conn && store_in_transaction(conn)) {
		pthread_mutex_unlock(&w.mu);
		int rc = audit_append_now(conn, &q->e);
		if (rc == 0) {
			free(q);
			return 0;
		}
		pthread_mutex_lock(&w.mu);
	}
	/* A full ring waits for the writer; once the log is failing, the read
	 * is refused instead (its answer gets 503, nothing is disclosed). Not
	 * when answers are not held for their entries (durable reads off, to
	 * measure): the answer would leave without its entry. */
	while (w.tail - w.head >= AUDIT_QUEUE_CAP) {
		if (w.failing && audit_durable_reads) {
			pthread_mutex_unlock(&w.mu);
			free(q);
			mine = TICKET_REFUSED;
			return ERR_UNAVAILABLE;
		}
		pthread_cond_wait(&w.not_full, &w.mu);
	}
	w.ring[w.tail % AUDIT_QUEUE_CAP] = q;
	w.tail++;
	if (mine != TICKET_REFUSED)
		mine = w.tail;
	/* Wake the writer for the first entry, and when a batch is full; in
	 * between it is lingering and need not be woken per entry. */
	uint64_t queued = w.tail - w.head;
	if (queued == 1 || queued >= AUDIT_BATCH_MAX || w.waiters)
		pthread_cond_signal(&w.not_empty);
	pthread_mutex_unlock(&w.mu);
	return 0;
}
