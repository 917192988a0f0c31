/* pagecache.h: rendered answers kept between requests (docs/cache.md).
 *
 * An entry is a body under a key and a stamp. The key is a BLAKE2b digest
 * of everything the body was built from that is not in the database: the
 * session, the actor's policy inputs, the language, the format. The stamp
 * holds the database's change counters for what the body shows (the case's
 * rev and activity, the shared generation) and the interval of wall-clock
 * time in which the body stays true (it shows "today" and "next meetings").
 * A body is served only when both the key and the stamp match: a changed
 * input is a different key, a changed counter a miss.
 *
 * Invariants:
 *  - a table of `slots` entries in sets of four, the set chosen by the key;
 *    a put into a full set replaces its least recently used entry, so
 *    memory stays under slots * PAGECACHE_MAX_BODY;
 *  - each set has its own lock; readers get a private copy, never a
 *    pointer into the table, so an entry may be replaced at any time;
 *  - a NULL cache (slots 0) is a cache that never hits. */
#ifndef IBBIS_PAGECACHE_H
#define IBBIS_PAGECACHE_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#define PAGECACHE_MAX_BODY (256 * 1024)

struct pagecache;

struct pagecache_key {
	unsigned char b[32];
};

struct pagecache_stamp {
	int64_t rev, act, gen; /* the database's change counters */
	int64_t from, until;   /* unix seconds: true for from <= now < until */
};

struct pagecache_stats {
	uint64_t hits, misses, puts;
};

/* slots 0 gives *out = NULL, the cache that is off. */
int pagecache_new(size_t slots, struct pagecache **out); /* caller frees: pagecache_free */
void pagecache_free(struct pagecache *pc);

/* A key from parts: init, add each part (length-prefixed, so "ab"+"c" and
 * "a"+"bc" differ), final. */
void pagecache_key_init(crypto_generichash_state *st, const char *purpose);
void pagecache_key_add(crypto_generichash_state *st, const void *p, size_t n);
void pagecache_key_add_i64(crypto_generichash_state *st, int64_t v);
void pagecache_key_add_str(crypto_generichash_state *st, const char *s); /* NULL is "" */
void pagecache_key_final(crypto_generichash_state *st, struct pagecache_key *out);

/* A copy of the body when an entry has this key, the same counters as s,
 * and s->from (now) inside its interval: 0 with *body (caller frees) and
 * *len; ERR_NOT_FOUND otherwise. */
int pagecache_get(struct pagecache *pc, const struct pagecache_key *k,
		  const struct pagecache_stamp *s, char **body, size_t *len);
/* Keeps a copy of body (ignored above PAGECACHE_MAX_BODY or when off). */
void pagecache_put(struct pagecache *pc, const struct pagecache_key *k,
		   const struct pagecache_stamp *s, const char *body, size_t len);
void pagecache_stats(const struct pagecache *pc, struct pagecache_stats *out);

#endif
