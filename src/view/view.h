/* view.h: the set of page templates compiled into the binary.
 *
 * Every embedded templates/NAME.mustache (and templates/DIR/NAME.mustache)
 * is compiled once at start-up; its name is the path without "templates/"
 * and ".mustache" ("layout", "partials/nav"). Partials resolve by that
 * name. A loaded set is immutable: share it read-only across threads. */
#ifndef IBBIS_VIEW_VIEW_H
#define IBBIS_VIEW_VIEW_H

#include <jansson.h>

#include "base/buf.h"
#include "view/i18n.h"
#include "view/mustache.h"

struct view; /* opaque */

/* Compiles all embedded templates. A template that does not compile is
 * logged with its path and line, and fails the load (ERR_INVALID). */
int view_load_embedded(struct view **out); /* caller frees with view_free */
void view_free(struct view *v);            /* NULL is fine */

/* The compiled template called name, or NULL. Borrowed from v. */
const struct mustache *view_get(const struct view *v, const char *name);

/* Renders template name against model (borrowed) in lang, with partials
 * from v and {{t.KEY}} from cat. ERR_NOT_FOUND for an unknown template. */
int view_render(const struct view *v, const char *name, json_t *model, const struct i18n *cat,
		const char *lang, struct buf *out);

#endif
