/* pages.h: a page is a template rendered inside the layout. */
#ifndef IBBIS_PAGES_H
#define IBBIS_PAGES_H

#include <jansson.h>

#include "base/buf.h"

struct view;
struct i18n;

/* Renders template `name` with model in lang, then "layout" with the page's
 * HTML as {{{content}}}. ERR_NOT_FOUND for an unknown template. */
int pages_render(const struct view *v, const struct i18n *cat, const char *name,
		 const char *lang, json_t *model, struct buf *out);

#endif
