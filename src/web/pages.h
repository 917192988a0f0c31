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

/* The id of the form control named field in html (an <input>, <select> or
 * <textarea> with name="field" and an id), for the error summary's link:
 * the one marked aria-invalid="true" when there is one, else the first.
 * Writes it to id (NUL-terminated); 0, or ERR_NOT_FOUND (also when it does
 * not fit or is not a plain [A-Za-z0-9_-] id). Pure. */
int pages_field_id(const char *html, size_t len, const char *field, char *id, size_t idmax);

#endif
