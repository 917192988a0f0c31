/* arena.h: a bump allocator. One per request (and per CLI run).
 *
 * Invariants:
 *  - every pointer it returns lives until arena_reset/arena_release;
 *  - allocations are 16-byte aligned and zero-filled;
 *  - out of memory aborts the process (an application server, not a library).
 * Memory from an arena is never freed one piece at a time. */
#ifndef IBBIS_ARENA_H
#define IBBIS_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* owned: the newest block first */
	size_t block_size;        /* size of the next block to allocate */
	size_t used;              /* bytes handed out (for stats) */
};

void arena_init(struct arena *a);
/* Free every block but the first, and rewind; keeps one block for reuse. */
void arena_reset(struct arena *a);
/* Free everything. The arena may be arena_init'ed again. */
void arena_release(struct arena *a);

void *arena_alloc(struct arena *a, size_t n);                       /* arena, zeroed */
void *arena_array(struct arena *a, size_t count, size_t size);      /* arena, zeroed, overflow-checked */
char *arena_strdup(struct arena *a, const char *s);                 /* arena */
char *arena_strndup(struct arena *a, const char *s, size_t n);      /* arena, NUL-terminated */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));                       /* arena */
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);  /* arena */

/* A growing array in the arena: returns items, or a copy with double the
 * room when items (n used, *cap allocated) is full; *cap is updated. The
 * old copy is simply left in the arena. */
void *arena_grow(struct arena *a, void *items, size_t n, size_t *cap, size_t size); /* arena */
/* Makes room for item n of the arena array arr: ARENA_RESERVE(a, v, n, cap); */
#define ARENA_RESERVE(a, arr, n, cap) ((arr) = arena_grow((a), (arr), (n), &(cap), sizeof *(arr)))

#endif
