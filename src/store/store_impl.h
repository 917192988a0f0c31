/* store_impl.h: what store.c shares with its backends. Not for callers.
 *
 * A backend embeds struct store_conn / struct store_stmt as the FIRST
 * member of its own connection and statement structs, and fills a
 * struct store_backend with its functions. store.c owns the generic parts:
 * the per-thread connections, the statement cache and transaction depth. */
#ifndef IBBIS_STORE_IMPL_H
#define IBBIS_STORE_IMPL_H

#include "store/store.h"

#include <pthread.h>

struct store_backend {
	const char *name;    /* "sqlite" */
	const char *dialect; /* directory under sql/ */
	const char *sql_begin_read;
	const char *sql_begin_write;
	/* Store-wide setup from the URL; may set s->impl. */
	int (*open)(struct store *s, const char *url, char *err, size_t errsz);
	void (*close)(struct store *s);
	/* *out: allocated by the backend; freed by conn_close. */
	int (*conn_open)(struct store *s, struct store_conn **out, char *err, size_t errsz);
	void (*conn_close)(struct store_conn *c);
	int (*exec)(struct store_conn *c, const char *sql);
	int (*set_triggers)(struct store_conn *c, bool on); /* NULL: not offered */
	const char *(*errmsg)(struct store_conn *c);
	/* *out: allocated by the backend; freed by stmt_finalize. */
	int (*stmt_prepare)(struct store_conn *c, const char *sql, struct store_stmt **out);
	void (*stmt_finalize)(struct store_stmt *st);
	int (*bind_int64)(struct store_stmt *st, int idx, int64_t v);
	int (*bind_text)(struct store_stmt *st, int idx, const char *s, size_t n);
	int (*bind_null)(struct store_stmt *st, int idx);
	int (*bind_blob)(struct store_stmt *st, int idx, const void *p, size_t n);
	int (*step)(struct store_stmt *st);
	void (*reset)(struct store_stmt *st);         /* keeps bindings */
	void (*clear_bindings)(struct store_stmt *st);
	int64_t (*changes)(struct store_stmt *st);
	int (*col_count)(struct store_stmt *st);
	bool (*col_is_null)(struct store_stmt *st, int col);
	int64_t (*col_int64)(struct store_stmt *st, int col);
	const char *(*col_text)(struct store_stmt *st, int col, size_t *len);
	const void *(*col_blob)(struct store_stmt *st, int col, size_t *len);
};

struct store {
	const struct store_backend *be; /* static */
	char *url;                      /* owned */
	pthread_key_t key;              /* this thread's struct store_conn */
	pthread_mutex_t mu;             /* guards conns */
	struct store_conn *conns;       /* owned: every open connection */
	void *impl;                     /* backend's; owned by the backend */
};

struct store_stmt {
	struct store_conn *conn; /* borrowed: the owner */
	char *sql;               /* owned: the cache key */
	const char *caller_sql;  /* borrowed, compared only: the address the
				  * caller passed (a string literal, mostly) */
	uint64_t hash;
	struct store_stmt *next; /* cache chain */
	bool active;             /* stepped to a ROW and not reset since */
};

#define STORE_FRONT 128 /* a power of two */

struct store_conn {
	struct store *store;              /* borrowed */
	struct store_conn *prev, *next;   /* in store->conns */
	struct store_stmt **buckets;      /* owned: the statement cache */
	size_t nbuckets, nstmts;
	/* By the caller's address: a hit skips hashing the text (a long
	 * statement costs a microsecond); strcmp still confirms it. */
	struct store_stmt *front[STORE_FRONT];
	int active;                       /* statements with active set */
	int tx_depth;                     /* 0: autocommit */
	bool tx_write;
	bool tx_doomed;                   /* an inner rollback happened */
};

extern const struct store_backend store_sqlite_backend;

#endif
