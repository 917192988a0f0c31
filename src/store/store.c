/* store.c: the backend-independent half of the store: opening, one
 * connection per thread, the statement cache, transaction depth, and the
 * thin dispatch to the backend's functions. */
#include "store/store_impl.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_MIN_BUCKETS 64

static void conn_destroy(struct store_conn *c);

/* Runs at thread exit for a thread that still holds a connection. */
static void conn_thread_exit(void *p)
{
	struct store_conn *c = p;
	struct store *s = c->store;
	pthread_mutex_lock(&s->mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&s->mu);
	conn_destroy(c);
}

extern const struct store_backend store_pg_backend; /* store_pg.c */

static const struct store_backend *backend_for(const char *url)
{
	if (str_starts_with(url, "postgres://") || str_starts_with(url, "postgresql://"))
		return &store_pg_backend;
	return &store_sqlite_backend;
}

int store_open(const char *url, struct store **out, char *err, size_t errsz)
{
	*out = NULL;
	if (!url || !*url) {
		str_fmt(err, errsz, "no database given");
		return ERR_INVALID;
	}
	const struct store_backend *be = backend_for(url);
	if (!be) {
		str_fmt(err, errsz, "the PostgreSQL backend is not available yet");
		return ERR_UNAVAILABLE;
	}
	struct store *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->be = be;
	s->url = strdup(url);
	if (!s->url)
		abort();
	pthread_mutex_init(&s->mu, NULL);
	if (pthread_key_create(&s->key, conn_thread_exit) != 0) {
		str_fmt(err, errsz, "out of thread-local keys");
		pthread_mutex_destroy(&s->mu);
		free(s->url);
		free(s);
		return ERR_INTERNAL;
	}
	int rc = be->open(s, url, err, errsz);
	struct store_conn *c = NULL;
	if (rc == 0) {
		rc = be->conn_open(s, &c, err, errsz);
		if (rc == 0) {
			c->store = s;
			s->conns = c;
			pthread_setspecific(s->key, c);
		} else {
			be->close(s);
		}
	}
	if (rc != 0) {
		pthread_key_delete(s->key);
		pthread_mutex_destroy(&s->mu);
		free(s->url);
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static void cache_free(struct store_conn *c)
{
	for (size_t i = 0; i < c->nbuckets; i++) {
		struct store_stmt *st = c->buckets[i];
		while (st) {
			struct store_stmt *next = st->next;
			char *sql = st->sql;
			c->store->be->stmt_finalize(st);
			free(sql);
			st = next;
		}
	}
	free(c->buckets);
	c->buckets = NULL;
	c->nbuckets = c->nstmts = 0;
	memset(c->front, 0, sizeof c->front);
}

static void conn_destroy(struct store_conn *c)
{
	if (c->tx_depth > 0)
		c->store->be->exec(c, "ROLLBACK");
	cache_free(c);
	c->store->be->conn_close(c);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	pthread_setspecific(s->key, NULL);
	pthread_mutex_lock(&s->mu);
	struct store_conn *c = s->conns;
	s->conns = NULL;
	pthread_mutex_unlock(&s->mu);
	while (c) {
		struct store_conn *next = c->next;
		conn_destroy(c);
		c = next;
	}
	pthread_key_delete(s->key);
	s->be->close(s);
	pthread_mutex_destroy(&s->mu);
	free(s->url);
	free(s);
}

const char *store_backend_name(const struct store *s)
{
	return s->be->name;
}

const char *store_dialect(const struct store *s)
{
	return s->be->dialect;
}

int store_conn_get(struct store *s, struct store_conn **out)
{
	struct store_conn *c = pthread_getspecific(s->key);
	if (c) {
		*out = c;
		return 0;
	}
	char err[256];
	int rc = s->be->conn_open(s, &c, err, sizeof err);
	if (rc != 0) {
		log_error("store: cannot open a connection: %s", err);
		*out = NULL;
		return rc;
	}
	c->store = s;
	pthread_mutex_lock(&s->mu);
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	pthread_mutex_unlock(&s->mu);
	pthread_setspecific(s->key, c);
	*out = c;
	return 0;
}

struct store *store_conn_store(struct store_conn *c)
{
	return c->store;
}

/* FNV-1a over the SQL text. */
static uint64_t sql_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static void cache_grow(struct store_conn *c)
{
	size_t n = c->nbuckets ? c->nbuckets * 2 : CACHE_MIN_BUCKETS;
	struct store_stmt **b = calloc(n, sizeof *b);
	if (!b)
		abort();
	for (size_t i = 0; i < c->nbuckets; i++) {
		struct store_stmt *st = c->buckets[i];
		while (st) {
			struct store_stmt *next = st->next;
			st->next = b[st->hash & (n - 1)];
			b[st->hash & (n - 1)] = st;
			st = next;
		}
	}
	free(c->buckets);
	c->buckets = b;
	c->nbuckets = n;
}

static void stmt_release(struct store_stmt *st)
{
	if (st->active) {
		st->active = false;
		st->conn->active--;
	}
}

/* A cached statement handed out again: no row pending, no bindings. */
static struct store_stmt *reuse(struct store_conn *c, struct store_stmt *st, const char *sql)
{
	/* store.h: never prepare the same SQL again while still stepping it. A
	 * use that stops after a ROW calls store_reset. */
	assert(!st->active);
	c->store->be->reset(st);
	c->store->be->clear_bindings(st);
	stmt_release(st);
	st->caller_sql = sql;
	c->front[((uintptr_t)sql >> 3) & (STORE_FRONT - 1)] = st;
	return st;
}

int store_prepare(struct store_conn *c, const char *sql, struct store_stmt **out)
{
	struct store_stmt *f = c->front[((uintptr_t)sql >> 3) & (STORE_FRONT - 1)];
	if (f && f->caller_sql == sql && strcmp(f->sql, sql) == 0) {
		*out = reuse(c, f, sql);
		return 0;
	}
	uint64_t h = sql_hash(sql);
	if (c->nbuckets) {
		for (struct store_stmt *st = c->buckets[h & (c->nbuckets - 1)]; st; st = st->next) {
			if (st->hash == h && strcmp(st->sql, sql) == 0) {
				*out = reuse(c, st, sql);
				return 0;
			}
		}
	}
	struct store_stmt *st = NULL;
	int rc = c->store->be->stmt_prepare(c, sql, &st);
	if (rc != 0) {
		*out = NULL;
		return rc;
	}
	st->conn = c;
	st->sql = strdup(sql);
	if (!st->sql)
		abort();
	st->hash = h;
	st->active = false;
	if (c->nstmts + 1 > c->nbuckets * 2)
		cache_grow(c);
	st->next = c->buckets[h & (c->nbuckets - 1)];
	c->buckets[h & (c->nbuckets - 1)] = st;
	c->nstmts++;
	st->caller_sql = sql;
	c->front[((uintptr_t)sql >> 3) & (STORE_FRONT - 1)] = st;
	*out = st;
	return 0;
}

#define BE(st) ((st)->conn->store->be)

int store_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
	return BE(st)->bind_int64(st, idx, v);
}

int store_bind_text(struct store_stmt *st, int idx, const char *s, size_t n)
{
	return BE(st)->bind_text(st, idx, s, n);
}

int store_bind_str(struct store_stmt *st, int idx, const char *s)
{
	if (!s)
		return BE(st)->bind_null(st, idx);
	return BE(st)->bind_text(st, idx, s, strlen(s));
}

int store_bind_null(struct store_stmt *st, int idx)
{
	return BE(st)->bind_null(st, idx);
}

int store_bind_blob(struct store_stmt *st, int idx, const void *p, size_t n)
{
	return BE(st)->bind_blob(st, idx, p, n);
}

int store_step_id(struct store_stmt *st, int64_t *id)
{
	int rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_DB;
	if (id)
		*id = store_col_int64(st, 0);
	store_reset(st);
	return 0;
}

int store_step(struct store_stmt *st)
{
	int rc = BE(st)->step(st);
	if (rc == STORE_ROW) {
		if (!st->active) {
			st->active = true;
			st->conn->active++;
		}
		return rc;
	}
	BE(st)->reset(st);
	stmt_release(st);
	return rc;
}

int store_reset(struct store_stmt *st)
{
	BE(st)->reset(st);
	stmt_release(st);
	return 0;
}

int64_t store_changes(struct store_stmt *st)
{
	return BE(st)->changes(st);
}

int store_col_count(struct store_stmt *st)
{
	return BE(st)->col_count(st);
}

bool store_col_is_null(struct store_stmt *st, int col)
{
	return BE(st)->col_is_null(st, col);
}

int64_t store_col_int64(struct store_stmt *st, int col)
{
	return BE(st)->col_int64(st, col);
}

const char *store_col_text(struct store_stmt *st, int col, size_t *len)
{
	size_t n = 0;
	const char *s = BE(st)->col_text(st, col, &n);
	if (len)
		*len = n;
	return s;
}

const void *store_col_blob(struct store_stmt *st, int col, size_t *len)
{
	size_t n = 0;
	const void *p = BE(st)->col_blob(st, col, &n);
	if (len)
		*len = n;
	return p;
}

char *store_col_strdup(struct store_stmt *st, int col, struct arena *a)
{
	if (BE(st)->col_is_null(st, col))
		return NULL;
	size_t n = 0;
	const char *s = BE(st)->col_text(st, col, &n);
	return arena_strndup(a, s, n);
}

int store_read_row(struct store_stmt *st, struct arena *a, store_row_fn read, void *ud,
		   void *elem)
{
	int rc = store_step(st);
	if (rc == STORE_ROW) {
		rc = read(st, a, elem, ud);
		if (rc == STORE_SKIP)
			rc = ERR_NOT_FOUND;
	} else if (rc == STORE_DONE) {
		rc = ERR_NOT_FOUND;
	}
	store_reset(st);
	return rc;
}

int store_read_int64(struct store_stmt *st, int64_t *out)
{
	int rc = store_step(st);
	if (rc == STORE_ROW) {
		*out = store_col_int64(st, 0);
		rc = 0;
	} else if (rc == STORE_DONE) {
		rc = ERR_NOT_FOUND;
	}
	store_reset(st);
	return rc;
}

int store_row_text(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	char *s = store_col_strdup(st, 0, a);
	memcpy(elem, &s, sizeof s); /* elem is the caller's char ** or const char ** */
	return 0;
}

int store_read_rows(struct store_stmt *st, struct arena *a, size_t elem_size, store_row_fn read,
		    void *ud, void *out, size_t *n)
{
	char *arr = NULL;
	size_t cap = 0;
	int rc;
	*n = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		arr = arena_grow(a, arr, *n, &cap, elem_size);
		char *elem = arr + *n * elem_size;
		memset(elem, 0, elem_size);
		rc = read(st, a, elem, ud);
		if (rc < 0)
			break;
		if (rc == 0)
			(*n)++;
	}
	store_reset(st);
	void *p = arr;
	memcpy(out, &p, sizeof p); /* out is the caller's T **, any object type T */
	return rc < 0 ? rc : 0;
}

/* Resets statements left mid-result, so COMMIT/ROLLBACK are not blocked. */
static void reset_active(struct store_conn *c)
{
	if (c->active == 0)
		return;
	for (size_t i = 0; i < c->nbuckets; i++)
		for (struct store_stmt *st = c->buckets[i]; st; st = st->next)
			if (st->active) {
				c->store->be->reset(st);
				stmt_release(st);
			}
}

static int tx_begin(struct store_conn *c, bool write)
{
	if (c->tx_depth > 0) {
		if (write && !c->tx_write) {
			log_error("store: write transaction begun inside a read transaction");
			return ERR_INTERNAL;
		}
		c->tx_depth++;
		return 0;
	}
	const struct store_backend *be = c->store->be;
	int rc = be->exec(c, write ? be->sql_begin_write : be->sql_begin_read);
	if (rc != 0)
		return rc;
	c->tx_depth = 1;
	c->tx_write = write;
	c->tx_doomed = false;
	return 0;
}

int store_begin_read(struct store_conn *c)
{
	return tx_begin(c, false);
}

int store_begin_write(struct store_conn *c)
{
	return tx_begin(c, true);
}

int store_commit(struct store_conn *c)
{
	if (c->tx_depth == 0) {
		log_error("store: commit outside a transaction");
		return ERR_INTERNAL;
	}
	if (c->tx_depth > 1) {
		c->tx_depth--;
		return 0;
	}
	reset_active(c);
	const struct store_backend *be = c->store->be;
	int rc;
	if (c->tx_doomed) {
		log_error("store: commit after an inner rollback; rolled back");
		be->exec(c, "ROLLBACK");
		rc = ERR_DB;
	} else {
		rc = be->exec(c, "COMMIT");
		if (rc != 0)
			be->exec(c, "ROLLBACK");
	}
	c->tx_depth = 0;
	c->tx_doomed = false;
	return rc;
}

int store_rollback(struct store_conn *c)
{
	if (c->tx_depth == 0)
		return 0;
	if (c->tx_depth > 1) {
		c->tx_depth--;
		c->tx_doomed = true;
		return 0;
	}
	reset_active(c);
	int rc = c->store->be->exec(c, "ROLLBACK");
	c->tx_depth = 0;
	c->tx_doomed = false;
	return rc;
}

bool store_in_transaction(const struct store_conn *c)
{
	return c->tx_depth > 0;
}

bool store_in_write_transaction(const struct store_conn *c)
{
	return c->tx_depth > 0 && c->tx_write;
}

int store_set_triggers(struct store_conn *c, bool on)
{
	const struct store_backend *be = c->store->be;
	return be->set_triggers ? be->set_triggers(c, on) : 0;
}

int store_exec(struct store_conn *c, const char *sql)
{
	return c->store->be->exec(c, sql);
}

const char *store_errmsg(struct store_conn *c)
{
	return c->store->be->errmsg(c);
}

int store_ping(struct store *s)
{
	struct store_conn *c;
	int rc = store_conn_get(s, &c);
	if (rc != 0)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(c, "SELECT 1", &st);
	if (rc != 0)
		return rc;
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_DB;
	int ok = store_col_int64(st, 0) == 1;
	store_reset(st);
	return ok ? 0 : ERR_DB;
}

int store_end(struct store_conn *c, int rc)
{
	if (rc != 0) {
		store_rollback(c);
		return rc;
	}
	return store_commit(c);
}

int store_run(struct store_conn *c, const char *sql, const char *fmt, ...)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	va_list ap;
	va_start(ap, fmt);
	for (int i = 0; rc == 0 && fmt[i]; i++) {
		if (fmt[i] == 's')
			rc = store_bind_str(st, i + 1, va_arg(ap, const char *));
		else if (fmt[i] == 'i')
			rc = store_bind_int64(st, i + 1, va_arg(ap, int64_t));
		else
			rc = ERR_INTERNAL;
	}
	va_end(ap);
	if (rc == 0)
		rc = store_step(st);
	if (rc == STORE_ROW)
		rc = store_reset(st);
	return rc < 0 ? rc : 0;
}
