/* pages.h: the compiled templates (the .mustache files of templates/, embedded in the
 * binary), and rendering a page inside the layout in one language. */
#ifndef IBBIS_PAGES_H
#define IBBIS_PAGES_H

#include <jansson.h>

#include "base/buf.h"

struct pages;
struct i18n;

/* Compiles every embedded template. A template that fails to compile is
 * reported with its name and line, and the load fails. */
int pages_load(const struct i18n *i18n, struct pages **out, char *err, size_t errsz);
void pages_free(struct pages *p);
/* True when a template of that name exists. */
int pages_has(const struct pages *p, const char *name);
/* Renders template `name` with model, in lang, and wraps it in "layout"
 * (which receives the page's HTML as {{{content}}}). */
int pages_render(const struct pages *p, const char *name, const char *lang, json_t *model,
		 struct buf *out);

#endif
