/* test_pagecache.c: the case-answer cache (web/pagecache.h) against the
 * contract written in its header.
 *
 * Expectations come from that contract, not from running the code: an
 * entry is served only when its key is equal, its rev, act and gen equal
 * the asked ones, and entry.from <= now < entry.until (now is the asked
 * stamp's from); a set holds four entries and a put into a full set drops
 * the least recently used (a get or a put is a use); a body over
 * PAGECACHE_MAX_BODY is not kept; slots 0 is the NULL cache that never
 * hits. The LRU tests use pagecache_new(4): four slots are exactly one set,
 * so every key shares it and the order of eviction is known. */
#include "testutil.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "web/pagecache.h"

#define N_ELEMS(x) (sizeof(x) / sizeof((x)[0]))

/* The stamp most tests store: counters 10/20/30, true for [1000, 2000). */
static const struct pagecache_stamp BASE = {
    .rev = 10, .act = 20, .gen = 30, .from = 1000, .until = 2000};

/* A key from string parts under a purpose. */
static struct pagecache_key key_parts(const char *purpose, const char *const *parts, size_t n)
{
	crypto_generichash_state st;
	struct pagecache_key k;
	pagecache_key_init(&st, purpose);
	for (size_t i = 0; i < n; i++)
		pagecache_key_add_str(&st, parts[i]);
	pagecache_key_final(&st, &k);
	return k;
}

/* Key number i: the parts ("key", i). */
static struct pagecache_key key_n(int64_t i)
{
	crypto_generichash_state st;
	struct pagecache_key k;
	pagecache_key_init(&st, "test");
	pagecache_key_add_str(&st, "key");
	pagecache_key_add_i64(&st, i);
	pagecache_key_final(&st, &k);
	return k;
}

static bool key_eq(const struct pagecache_key *a, const struct pagecache_key *b)
{
	return memcmp(a->b, b->b, sizeof a->b) == 0;
}

static struct pagecache *cache(size_t slots)
{
	struct pagecache *pc = NULL;
	assert_int_equal(pagecache_new(slots, &pc), 0);
	assert_non_null(pc);
	return pc;
}

static void put_str(struct pagecache *pc, const struct pagecache_key *k,
		    const struct pagecache_stamp *s, const char *body)
{
	pagecache_put(pc, k, s, body, strlen(body));
}

/* Whether get hits; on a hit the body must equal want (when want is not
 * NULL); on a miss body and len must be cleared. */
static bool hits(struct pagecache *pc, const struct pagecache_key *k,
		 const struct pagecache_stamp *s, const char *want)
{
	char *body = (char *)"not cleared";
	size_t len = 12345;
	int rc = pagecache_get(pc, k, s, &body, &len);
	if (rc != 0) {
		assert_int_equal(rc, ERR_NOT_FOUND);
		assert_null(body);
		assert_int_equal(len, 0);
		return false;
	}
	assert_non_null(body);
	if (want) {
		assert_int_equal(len, strlen(want));
		assert_memory_equal(body, want, len);
	}
	free(body);
	return true;
}

/* ------------------------------------------------------------ the stamp */

static void test_hit_with_equal_stamp(void **state)
{
	(void)state;
	struct pagecache *pc = cache(16);
	struct pagecache_key k = key_n(1);
	char src[] = "<p>the case page</p>";
	pagecache_put(pc, &k, &BASE, src, strlen(src));
	/* The cache kept a copy: changing the caller's buffer changes nothing. */
	src[1] = 'X';
	char *body = NULL;
	size_t len = 0;
	assert_int_equal(pagecache_get(pc, &k, &BASE, &body, &len), 0);
	assert_int_equal(len, strlen("<p>the case page</p>"));
	assert_memory_equal(body, "<p>the case page</p>", len);
	/* The reader gets a private copy: scribbling on it does not reach the
	 * table. */
	memset(body, '#', len);
	free(body);
	assert_true(hits(pc, &k, &BASE, "<p>the case page</p>"));
	pagecache_free(pc);
}

/* One stored entry (BASE), then one get per row in a fresh cache. */
static void test_stamp_table(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		struct pagecache_stamp ask; /* from is "now" */
		bool hit;
	} rows[] = {
	    {"all equal", {10, 20, 30, 1000, 2000}, true},
	    {"rev one more", {11, 20, 30, 1000, 2000}, false},
	    {"rev one less", {9, 20, 30, 1000, 2000}, false},
	    {"act one more", {10, 21, 30, 1000, 2000}, false},
	    {"act one less", {10, 19, 30, 1000, 2000}, false},
	    {"act zero", {10, 0, 30, 1000, 2000}, false},
	    {"gen one more", {10, 20, 31, 1000, 2000}, false},
	    {"gen one less", {10, 20, 29, 1000, 2000}, false},
	    {"all three differ", {11, 21, 31, 1000, 2000}, false},
	    {"now == from", {10, 20, 30, 1000, 2000}, true},
	    {"now inside", {10, 20, 30, 1500, 2000}, true},
	    {"now == until - 1", {10, 20, 30, 1999, 2000}, true},
	    {"now == until", {10, 20, 30, 2000, 2000}, false},
	    {"now after until", {10, 20, 30, 5000, 9000}, false},
	    {"now == from - 1", {10, 20, 30, 999, 2000}, false},
	    {"now well before from", {10, 20, 30, 0, 2000}, false},
	    /* Only the asked stamp's from is "now": its until plays no part. */
	    {"asked until earlier", {10, 20, 30, 1500, 1200}, true},
	    {"asked until later", {10, 20, 30, 1500, 99999}, true},
	    {"stale counter inside the interval", {10, 20, 31, 1500, 2000}, false},
	};
	for (size_t i = 0; i < N_ELEMS(rows); i++) {
		struct pagecache *pc = cache(16);
		struct pagecache_key k = key_n(7);
		put_str(pc, &k, &BASE, "kept");
		bool got = hits(pc, &k, &rows[i].ask, "kept");
		if (got != rows[i].hit)
			print_error("row \"%s\": %s, want %s\n", rows[i].name, got ? "hit" : "miss",
				    rows[i].hit ? "hit" : "miss");
		assert_int_equal(got, rows[i].hit);
		/* A miss does not spoil the entry for an asker with the right stamp. */
		assert_true(hits(pc, &k, &BASE, "kept"));
		pagecache_free(pc);
	}
}

/* An empty or backwards interval is true at no time, so it never hits. */
static void test_empty_interval_never_hits(void **state)
{
	(void)state;
	struct pagecache *pc = cache(16);
	struct pagecache_key k = key_n(3);
	struct pagecache_stamp empty = {1, 2, 3, 500, 500};
	struct pagecache_stamp backwards = {1, 2, 3, 600, 500};
	put_str(pc, &k, &empty, "empty");
	for (int64_t now = 498; now <= 502; now++) {
		struct pagecache_stamp ask = empty;
		ask.from = now;
		assert_false(hits(pc, &k, &ask, NULL));
	}
	put_str(pc, &k, &backwards, "backwards");
	for (int64_t now = 499; now <= 601; now++) {
		struct pagecache_stamp ask = backwards;
		ask.from = now;
		assert_false(hits(pc, &k, &ask, NULL));
	}
	pagecache_free(pc);
}

/* ------------------------------------------------------------- the key */

static void test_other_key_misses(void **state)
{
	(void)state;
	struct pagecache *pc = cache(16);
	struct pagecache_key a = key_n(1), b = key_n(2);
	assert_false(key_eq(&a, &b));
	put_str(pc, &a, &BASE, "for a");
	assert_false(hits(pc, &b, &BASE, NULL));
	/* A key that differs in one bit only. */
	struct pagecache_key flipped = a;
	flipped.b[31] ^= 1;
	assert_false(hits(pc, &flipped, &BASE, NULL));
	flipped = a;
	flipped.b[0] ^= 0x80;
	assert_false(hits(pc, &flipped, &BASE, NULL));
	assert_true(hits(pc, &a, &BASE, "for a"));
	pagecache_free(pc);
}

static void test_key_parts_length_prefixed(void **state)
{
	(void)state;
	static const char *const ab_c[] = {"ab", "c"}, *const a_bc[] = {"a", "bc"},
				 *const abc[] = {"abc"}, *const a_b_c[] = {"a", "b", "c"},
				 *const abc_empty[] = {"abc", ""}, *const empty_abc[] = {"", "abc"};
	struct pagecache_key k[] = {
	    key_parts("p", ab_c, 2),  key_parts("p", a_bc, 2),	    key_parts("p", abc, 1),
	    key_parts("p", a_b_c, 3), key_parts("p", abc_empty, 2), key_parts("p", empty_abc, 2),
	    key_parts("p", NULL, 0),  key_parts("pabc", NULL, 0),   key_parts("q", ab_c, 2),
	};
	for (size_t i = 0; i < N_ELEMS(k); i++)
		for (size_t j = i + 1; j < N_ELEMS(k); j++) {
			if (key_eq(&k[i], &k[j]))
				print_error("keys %zu and %zu are equal\n", i, j);
			assert_false(key_eq(&k[i], &k[j]));
		}
	/* The same parts give the same key. */
	struct pagecache_key again = key_parts("p", ab_c, 2);
	assert_true(key_eq(&k[0], &again));

	/* Through the cache: a body under "ab"+"c" is not found under "a"+"bc". */
	struct pagecache *pc = cache(16);
	put_str(pc, &k[0], &BASE, "ab|c");
	assert_false(hits(pc, &k[1], &BASE, NULL));
	assert_true(hits(pc, &again, &BASE, "ab|c"));
	pagecache_free(pc);
}

static void test_key_raw_and_int_parts(void **state)
{
	(void)state;
	crypto_generichash_state st;
	struct pagecache_key null_s, empty_s, raw_ab_c, raw_a_bc, i1, i2, i_neg, i_then_s, s_then_i;
	/* NULL is "". */
	pagecache_key_init(&st, "p");
	pagecache_key_add_str(&st, NULL);
	pagecache_key_final(&st, &null_s);
	pagecache_key_init(&st, "p");
	pagecache_key_add_str(&st, "");
	pagecache_key_final(&st, &empty_s);
	assert_true(key_eq(&null_s, &empty_s));
	/* Raw parts are length-prefixed as well. */
	pagecache_key_init(&st, "p");
	pagecache_key_add(&st, "ab", 2);
	pagecache_key_add(&st, "c", 1);
	pagecache_key_final(&st, &raw_ab_c);
	pagecache_key_init(&st, "p");
	pagecache_key_add(&st, "a", 1);
	pagecache_key_add(&st, "bc", 2);
	pagecache_key_final(&st, &raw_a_bc);
	assert_false(key_eq(&raw_ab_c, &raw_a_bc));
	/* Integers: each value its own key. */
	int64_t vals[] = {1, 2, -1};
	struct pagecache_key *outs[] = {&i1, &i2, &i_neg};
	for (size_t i = 0; i < N_ELEMS(vals); i++) {
		pagecache_key_init(&st, "p");
		pagecache_key_add_i64(&st, vals[i]);
		pagecache_key_final(&st, outs[i]);
	}
	assert_false(key_eq(&i1, &i2));
	assert_false(key_eq(&i1, &i_neg));
	assert_false(key_eq(&i2, &i_neg));
	/* Order matters. */
	pagecache_key_init(&st, "p");
	pagecache_key_add_i64(&st, 5);
	pagecache_key_add_str(&st, "x");
	pagecache_key_final(&st, &i_then_s);
	pagecache_key_init(&st, "p");
	pagecache_key_add_str(&st, "x");
	pagecache_key_add_i64(&st, 5);
	pagecache_key_final(&st, &s_then_i);
	assert_false(key_eq(&i_then_s, &s_then_i));
}

/* ---------------------------------------------------------- set and LRU */

/* One set of four ways: four keys are all kept. */
static void test_four_ways_keep_four(void **state)
{
	(void)state;
	struct pagecache *pc = cache(4);
	char want[32];
	for (int i = 0; i < 4; i++) {
		struct pagecache_key k = key_n(i);
		snprintf(want, sizeof want, "body %d", i);
		put_str(pc, &k, &BASE, want);
	}
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 4; i++) {
			struct pagecache_key k = key_n(i);
			snprintf(want, sizeof want, "body %d", i);
			assert_true(hits(pc, &k, &BASE, want));
		}
	pagecache_free(pc);
}

/* Each step: put or get a key number; each check: which keys then hit.
 * Expected contents were worked out by hand with a 4-entry LRU list. */
static void test_lru_eviction(void **state)
{
	(void)state;
	struct pagecache *pc = cache(4);
	char want[32];
#define PUT(i)                                                                                     \
	do {                                                                                       \
		struct pagecache_key k_ = key_n(i);                                                \
		snprintf(want, sizeof want, "body %d", (int)(i));                                  \
		put_str(pc, &k_, &BASE, want);                                                     \
	} while (0)
#define HITS(i)                                                                                    \
	(k_tmp = key_n(i), snprintf(want, sizeof want, "body %d", (int)(i)),                       \
	 hits(pc, &k_tmp, &BASE, want))
	struct pagecache_key k_tmp;

	/* Use order after these: 0 1 2 3 (0 oldest). */
	PUT(0);
	PUT(1);
	PUT(2);
	PUT(3);
	/* A get refreshes key 0: order 1 2 3 0. */
	assert_true(HITS(0));
	/* The fifth key evicts the least recently used, key 1: order 2 3 0 4. */
	PUT(4);
	assert_false(HITS(1));
	/* These gets (a miss changes nothing) make the order 2 3 0 4 again. */
	assert_true(HITS(2));
	assert_true(HITS(3));
	assert_true(HITS(0));
	assert_true(HITS(4));
	/* Key 5 evicts key 2 now: order 3 0 4 5. */
	PUT(5);
	assert_false(HITS(2));
	assert_false(HITS(1));
	/* Refresh 3 by a get: order 0 4 5 3; key 6 evicts 0: order 4 5 3 6. */
	assert_true(HITS(3));
	PUT(6);
	assert_false(HITS(0));
	/* A put of a kept key is a use too, and evicts nothing: order 5 3 6 4. */
	PUT(4);
	assert_true(HITS(5));
	assert_true(HITS(3));
	assert_true(HITS(6));
	assert_true(HITS(4));
	/* Order now 5 3 6 4: key 7 evicts 5. */
	PUT(7);
	assert_false(HITS(5));
	assert_true(HITS(3));
	assert_true(HITS(6));
	assert_true(HITS(4));
	assert_true(HITS(7));
#undef PUT
#undef HITS
	pagecache_free(pc);
}

/* A get that misses on a stale stamp is no use: it does not save the
 * entry from eviction. (The entry is asked with a newer rev, then four
 * other keys come.) */
static void test_stale_get_is_not_a_use(void **state)
{
	(void)state;
	struct pagecache *pc = cache(4);
	struct pagecache_key k0 = key_n(0), k1 = key_n(1), k2 = key_n(2), k3 = key_n(3),
			     k4 = key_n(4);
	put_str(pc, &k0, &BASE, "zero");
	put_str(pc, &k1, &BASE, "one");
	put_str(pc, &k2, &BASE, "two");
	put_str(pc, &k3, &BASE, "three");
	struct pagecache_stamp newer = BASE;
	newer.rev++;
	assert_false(hits(pc, &k0, &newer, NULL));
	put_str(pc, &k4, &BASE, "four");
	assert_false(hits(pc, &k0, &BASE, NULL));
	assert_true(hits(pc, &k1, &BASE, "one"));
	assert_true(hits(pc, &k4, &BASE, "four"));
	pagecache_free(pc);
}

/* A larger table spreads keys over its sets: 100 keys in 4096 slots (1024
 * sets) are all kept. (The keys are fixed, so this is deterministic; for
 * uniform digests the chance that five of them share a set is below 1e-4,
 * while a table that used one set only would keep four.) */
static void test_large_table_keeps_many(void **state)
{
	(void)state;
	struct pagecache *pc = cache(4096);
	char want[32];
	for (int i = 0; i < 100; i++) {
		struct pagecache_key k = key_n(1000 + i);
		snprintf(want, sizeof want, "many %d", i);
		put_str(pc, &k, &BASE, want);
	}
	for (int i = 0; i < 100; i++) {
		struct pagecache_key k = key_n(1000 + i);
		snprintf(want, sizeof want, "many %d", i);
		assert_true(hits(pc, &k, &BASE, want));
	}
	pagecache_free(pc);
}

/* ------------------------------------------------------------- the puts */

static void test_put_same_key_replaces(void **state)
{
	(void)state;
	struct pagecache *pc = cache(4);
	struct pagecache_key k = key_n(9);
	struct pagecache_stamp s2 = {11, 21, 31, 1500, 3000};
	put_str(pc, &k, &BASE, "first body");
	put_str(pc, &k, &s2, "second");
	assert_true(hits(pc, &k, &s2, "second"));
	/* The old entry is gone: its stamp no longer hits. */
	assert_false(hits(pc, &k, &BASE, NULL));
	/* Same stamp, new body: the new body. */
	put_str(pc, &k, &s2, "third, longer than the others");
	assert_true(hits(pc, &k, &s2, "third, longer than the others"));
	/* Replacing took one way only: three other keys still fit beside it. */
	struct pagecache_key o1 = key_n(91), o2 = key_n(92), o3 = key_n(93);
	put_str(pc, &o1, &BASE, "o1");
	put_str(pc, &o2, &BASE, "o2");
	put_str(pc, &o3, &BASE, "o3");
	assert_true(hits(pc, &k, &s2, "third, longer than the others"));
	assert_true(hits(pc, &o1, &BASE, "o1"));
	assert_true(hits(pc, &o2, &BASE, "o2"));
	assert_true(hits(pc, &o3, &BASE, "o3"));
	pagecache_free(pc);
}

static void test_body_size_limit(void **state)
{
	(void)state;
	struct pagecache *pc = cache(16);
	size_t n = PAGECACHE_MAX_BODY + 1;
	char *big = malloc(n);
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	struct pagecache_key at = key_n(1), over = key_n(2), empty = key_n(3);

	/* Exactly the limit is kept, byte for byte. */
	pagecache_put(pc, &at, &BASE, big, PAGECACHE_MAX_BODY);
	char *body = NULL;
	size_t len = 0;
	assert_int_equal(pagecache_get(pc, &at, &BASE, &body, &len), 0);
	assert_int_equal(len, PAGECACHE_MAX_BODY);
	assert_memory_equal(body, big, len);
	free(body);

	/* One byte more is not. */
	pagecache_put(pc, &over, &BASE, big, n);
	assert_false(hits(pc, &over, &BASE, NULL));

	/* An empty body is a body. */
	pagecache_put(pc, &empty, &BASE, "", 0);
	body = NULL;
	len = 99;
	assert_int_equal(pagecache_get(pc, &empty, &BASE, &body, &len), 0);
	assert_non_null(body);
	assert_int_equal(len, 0);
	free(body);

	free(big);
	pagecache_free(pc);
}

/* ----------------------------------------------------- the cache that is off */

static void test_null_cache(void **state)
{
	(void)state;
	struct pagecache *pc = (struct pagecache *)&pc; /* not NULL before the call */
	assert_int_equal(pagecache_new(0, &pc), 0);
	assert_null(pc);
	struct pagecache_key k = key_n(1);
	pagecache_put(pc, &k, &BASE, "never kept", 10);
	pagecache_put(pc, &k, &BASE, "never kept", 10);
	assert_false(hits(pc, &k, &BASE, NULL));
	struct pagecache_stats s = {1, 2, 3};
	pagecache_stats(pc, &s);
	assert_int_equal(s.hits, 0);
	assert_int_equal(s.misses, 0);
	assert_int_equal(s.puts, 0);
	pagecache_free(pc);
	pagecache_free(NULL);
}

/* ------------------------------------------------------------ the stats */

static void test_stats_count(void **state)
{
	(void)state;
	struct pagecache *pc = cache(4);
	struct pagecache_stats s;
	pagecache_stats(pc, &s);
	assert_int_equal(s.hits, 0);
	assert_int_equal(s.misses, 0);
	assert_int_equal(s.puts, 0);

	/* Count as we go: each hit, miss and kept put adds one. */
	uint64_t h = 0, m = 0, p = 0;
	struct pagecache_key a = key_n(1), b = key_n(2);
	struct pagecache_stamp stale = BASE;
	stale.gen++;
	struct pagecache_stamp late = BASE;
	late.from = BASE.until;

	m += !hits(pc, &a, &BASE, NULL); /* empty cache */
	put_str(pc, &a, &BASE, "a");
	p++;
	h += hits(pc, &a, &BASE, "a");
	h += hits(pc, &a, &BASE, "a");
	m += !hits(pc, &a, &stale, NULL); /* stale counter */
	m += !hits(pc, &a, &late, NULL);  /* out of its interval */
	m += !hits(pc, &b, &BASE, NULL);  /* other key */
	put_str(pc, &b, &BASE, "b");
	p++;
	put_str(pc, &b, &BASE, "b"); /* a replacing put counts */
	p++;
	h += hits(pc, &b, &BASE, "b");
	pagecache_stats(pc, &s);
	assert_int_equal(h, 3);
	assert_int_equal(m, 4);
	assert_int_equal(p, 3);
	assert_int_equal(s.hits, h);
	assert_int_equal(s.misses, m);
	assert_int_equal(s.puts, p);

	/* A body that is not kept is no put. */
	char *big = calloc(1, PAGECACHE_MAX_BODY + 1);
	assert_non_null(big);
	pagecache_put(pc, &a, &BASE, big, PAGECACHE_MAX_BODY + 1);
	free(big);
	pagecache_stats(pc, &s);
	assert_int_equal(s.puts, p);
	pagecache_free(pc);
}

/* ------------------------------------------------------------- threads */

#define THREADS 4
#define OPS 4000
#define KEYS 24

static struct pagecache *shared;

/* The body of key i at version v: it names both, so a torn or crossed copy
 * shows. */
static int body_of(int i, int v, char *out, size_t n)
{
	return snprintf(out, n, "key %d version %d %.*s", i, v, i * 7,
			"..........................."
			"......................................"
			"......................................"
			"......................................"
			"......................................");
}

static void *worker(void *arg)
{
	uint64_t x = 0x9E3779B97F4A7C15ull * ((uintptr_t)arg + 1);
	char want[256];
	for (int n = 0; n < OPS; n++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int i = (int)(x % KEYS);
		int v = (int)((x >> 8) % 3);
		struct pagecache_key k = key_n(i);
		struct pagecache_stamp s = BASE;
		s.rev = v;
		int len = body_of(i, v, want, sizeof want);
		if (x & 0x10000) {
			pagecache_put(shared, &k, &s, want, (size_t)len);
		} else {
			char *body;
			size_t blen;
			if (pagecache_get(shared, &k, &s, &body, &blen) == 0) {
				/* Only the body stored under this key and this rev. */
				if (blen != (size_t)len || memcmp(body, want, blen) != 0) {
					free(body);
					return (void *)1;
				}
				free(body);
			}
		}
	}
	return NULL;
}

static void test_threads_get_their_own_body(void **state)
{
	(void)state;
	shared = cache(8);
	pthread_t t[THREADS];
	for (uintptr_t i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, (void *)i), 0);
	int bad = 0;
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += r != NULL;
	}
	assert_int_equal(bad, 0);
	struct pagecache_stats s;
	pagecache_stats(shared, &s);
	/* Every operation was a put or a get, and every get a hit or a miss. */
	assert_true(s.hits + s.misses + s.puts == (uint64_t)THREADS * OPS);
	pagecache_free(shared);
	shared = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hit_with_equal_stamp),
	    cmocka_unit_test(test_stamp_table),
	    cmocka_unit_test(test_empty_interval_never_hits),
	    cmocka_unit_test(test_other_key_misses),
	    cmocka_unit_test(test_key_parts_length_prefixed),
	    cmocka_unit_test(test_key_raw_and_int_parts),
	    cmocka_unit_test(test_four_ways_keep_four),
	    cmocka_unit_test(test_lru_eviction),
	    cmocka_unit_test(test_stale_get_is_not_a_use),
	    cmocka_unit_test(test_large_table_keeps_many),
	    cmocka_unit_test(test_put_same_key_replaces),
	    cmocka_unit_test(test_body_size_limit),
	    cmocka_unit_test(test_null_cache),
	    cmocka_unit_test(test_stats_count),
	    cmocka_unit_test(test_threads_get_their_own_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
