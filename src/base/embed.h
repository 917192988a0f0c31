/* embed.h: files compiled into the binary (sql/, templates/, locale/,
 * rules/). Paths are as in the repository: "templates/layout.mustache". */
#ifndef IBBIS_EMBED_H
#define IBBIS_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *path;
	const char *data; /* static; NUL-terminated */
	size_t len;
};

extern const struct embed_file embed_files[];
extern const unsigned embed_count;

/* The file at path, or NULL. */
const struct embed_file *embed_find(const char *path);

#endif
