/* mustache_impl.h: the compiled form shared by mustache.c (parser) and
 * mustache_render.c. Not for use outside src/view/mustache*.c. */
#ifndef IBBIS_VIEW_MUSTACHE_IMPL_H
#define IBBIS_VIEW_MUSTACHE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

enum mkind { MK_TEXT, MK_VAR, MK_RAW, MK_SECTION, MK_INVERTED, MK_PARTIAL };

struct mnode {
	uint8_t kind;             /* enum mkind */
	uint8_t line_start;       /* begins a source line: gets a partial's indent */
	uint8_t close_line_start; /* section whose closing tag begins a line */
	uint8_t standalone;       /* partial on a line of its own: indent its lines */
	uint8_t is_t;             /* name is "t.KEY": key is the catalogue key */
	const char *text;         /* arena: TEXT bytes; PARTIAL indentation */
	size_t len;               /* length of text */
	const char *name;         /* arena: name as written ("." for the iterator) */
	size_t nlen;              /* length of name */
	const char *key;          /* arena, NUL-terminated: partial name or t. key */
	const struct mnode *child; /* arena: section body */
	uint32_t nchild;
};

struct mustache {
	struct arena arena;        /* owns the source copy and every node */
	const struct mnode *nodes; /* arena */
	uint32_t n;
};

#endif
