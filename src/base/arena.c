/* arena.c: bump allocation in growing blocks.
 *
 * Why: a request allocates many small strings and JSON pieces; freeing them
 * one by one is slow and leak-prone. The arena frees them all at once. */
#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_FIRST_BLOCK 8192
#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next; /* older block */
	size_t size;              /* usable bytes in mem[] */
	size_t off;               /* next free byte */
	_Alignas(ARENA_ALIGN) unsigned char mem[];
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("ibbis: out of memory\n", stderr);
		abort();
	}
	return p;
}

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->block_size = ARENA_FIRST_BLOCK;
	a->used = 0;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena_init(a);
}

void arena_reset(struct arena *a)
{
	/* Keep the newest (largest) block: the next request likely needs as much. */
	struct arena_block *keep = a->head;
	if (!keep)
		return;
	struct arena_block *b = keep->next;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	keep->next = NULL;
	keep->off = 0;
	a->used = 0;
}

static struct arena_block *arena_new_block(struct arena *a, size_t n)
{
	size_t size = a->block_size;
	while (size < n)
		size *= 2;
	struct arena_block *b = xmalloc(sizeof(*b) + size);
	b->size = size;
	b->off = 0;
	b->next = a->head;
	a->head = b;
	if (a->block_size < ((size_t)1 << 20))
		a->block_size *= 2;
	return b;
}

void *arena_alloc(struct arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2) {
		fputs("ibbis: arena allocation too large\n", stderr);
		abort();
	}
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	struct arena_block *b = a->head;
	if (!b || b->size - b->off < need)
		b = arena_new_block(a, need);
	void *p = b->mem + b->off;
	b->off += need;
	a->used += need;
	memset(p, 0, n);
	return p;
}

void *arena_array(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / 2 / size) {
		fputs("ibbis: arena array too large\n", stderr);
		abort();
	}
	return arena_alloc(a, count * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void *arena_grow(struct arena *a, void *items, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return items;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = arena_array(a, ncap, size);
	if (n)
		memcpy(p, items, n * size);
	*cap = ncap;
	return p;
}
