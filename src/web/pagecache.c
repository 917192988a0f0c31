/* pagecache.c: a fixed table of stamped bodies (see pagecache.h). */
#include "web/pagecache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

#define WAYS 4 /* entries per set: keys that share a set do not evict each other */

struct entry {
	struct pagecache_key key;
	struct pagecache_stamp stamp;
	uint64_t used; /* the set's tick at the last get or put: the oldest goes */
	char *body;    /* heap, owned; NULL when the entry is empty */
	size_t len;
};

struct set {
	pthread_mutex_t lock;
	uint64_t tick;
	struct entry e[WAYS];
};

struct pagecache {
	size_t n;          /* sets */
	struct set *sets;  /* heap, owned: n of them */
	atomic_uint_fast64_t hits, misses, puts;
};

int pagecache_new(size_t slots, struct pagecache **out)
{
	*out = NULL;
	if (slots == 0)
		return 0;
	size_t n = (slots + WAYS - 1) / WAYS;
	struct pagecache *pc = calloc(1, sizeof *pc);
	struct set *s = pc ? calloc(n, sizeof *s) : NULL;
	if (!s) {
		free(pc);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		pthread_mutex_init(&s[i].lock, NULL);
	pc->n = n;
	pc->sets = s;
	*out = pc;
	return 0;
}

void pagecache_free(struct pagecache *pc)
{
	if (!pc)
		return;
	for (size_t i = 0; i < pc->n; i++) {
		pthread_mutex_destroy(&pc->sets[i].lock);
		for (int j = 0; j < WAYS; j++)
			free(pc->sets[i].e[j].body);
	}
	free(pc->sets);
	free(pc);
}

void pagecache_key_init(crypto_generichash_state *st, const char *purpose)
{
	crypto_generichash_init(st, NULL, 0, sizeof(struct pagecache_key));
	pagecache_key_add_str(st, purpose);
}

void pagecache_key_add(crypto_generichash_state *st, const void *p, size_t n)
{
	uint64_t len = n;
	crypto_generichash_update(st, (const unsigned char *)&len, sizeof len);
	crypto_generichash_update(st, p, n);
}

void pagecache_key_add_i64(crypto_generichash_state *st, int64_t v)
{
	pagecache_key_add(st, &v, sizeof v);
}

void pagecache_key_add_str(crypto_generichash_state *st, const char *s)
{
	pagecache_key_add(st, s ? s : "", s ? strlen(s) : 0);
}

void pagecache_key_final(crypto_generichash_state *st, struct pagecache_key *out)
{
	crypto_generichash_final(st, out->b, sizeof out->b);
}

static struct set *set_of(struct pagecache *pc, const struct pagecache_key *k)
{
	uint64_t h;
	memcpy(&h, k->b, sizeof h); /* a digest: any 8 bytes are uniform */
	return &pc->sets[h % pc->n];
}

/* The entry with this key, or NULL. Called locked. */
static struct entry *find(struct set *st, const struct pagecache_key *k)
{
	for (int i = 0; i < WAYS; i++)
		if (st->e[i].body && memcmp(st->e[i].key.b, k->b, sizeof k->b) == 0)
			return &st->e[i];
	return NULL;
}

/* Where a new entry goes: an empty one, else the least recently used. */
static struct entry *victim(struct set *st)
{
	struct entry *v = &st->e[0];
	for (int i = 0; i < WAYS; i++) {
		if (!st->e[i].body)
			return &st->e[i];
		if (st->e[i].used < v->used)
			v = &st->e[i];
	}
	return v;
}

/* The entry's counters equal the current ones, and now is in its interval. */
static bool fresh(const struct pagecache_stamp *have, const struct pagecache_stamp *now)
{
	return have->rev == now->rev && have->act == now->act && have->gen == now->gen &&
	       have->from <= now->from && now->from < have->until;
}

int pagecache_get(struct pagecache *pc, const struct pagecache_key *k,
		  const struct pagecache_stamp *s, char **body, size_t *len)
{
	*body = NULL;
	*len = 0;
	if (!pc)
		return ERR_NOT_FOUND;
	struct set *st = set_of(pc, k);
	char *copy = NULL;
	pthread_mutex_lock(&st->lock);
	struct entry *e = find(st, k);
	if (e && fresh(&e->stamp, s)) {
		copy = malloc(e->len ? e->len : 1);
		if (!copy)
			abort();
		memcpy(copy, e->body, e->len);
		*len = e->len;
		e->used = ++st->tick;
	}
	pthread_mutex_unlock(&st->lock);
	if (!copy) {
		atomic_fetch_add_explicit(&pc->misses, 1, memory_order_relaxed);
		return ERR_NOT_FOUND;
	}
	atomic_fetch_add_explicit(&pc->hits, 1, memory_order_relaxed);
	*body = copy;
	return 0;
}

void pagecache_put(struct pagecache *pc, const struct pagecache_key *k,
		   const struct pagecache_stamp *s, const char *body, size_t len)
{
	if (!pc || len > PAGECACHE_MAX_BODY || s->from >= s->until)
		return;
	char *copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	memcpy(copy, body, len);
	struct set *st = set_of(pc, k);
	pthread_mutex_lock(&st->lock);
	struct entry *e = find(st, k);
	if (!e)
		e = victim(st);
	char *old = e->body;
	e->key = *k;
	e->stamp = *s;
	e->body = copy;
	e->len = len;
	e->used = ++st->tick;
	pthread_mutex_unlock(&st->lock);
	free(old);
	atomic_fetch_add_explicit(&pc->puts, 1, memory_order_relaxed);
}

void pagecache_stats(const struct pagecache *pc, struct pagecache_stats *out)
{
	memset(out, 0, sizeof *out);
	if (!pc)
		return;
	out->hits = atomic_load(&pc->hits);
	out->misses = atomic_load(&pc->misses);
	out->puts = atomic_load(&pc->puts);
}
