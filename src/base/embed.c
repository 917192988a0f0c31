/* embed.c: look-up in the generated table of embedded files. */
#include "base/embed.h"

#include <string.h>

const struct embed_file *embed_find(const char *path)
{
	for (unsigned i = 0; i < embed_count; i++)
		if (strcmp(embed_files[i].path, path) == 0)
			return &embed_files[i];
	return NULL;
}
