/* pages.h: a page is a template rendered inside the layout. */
#ifndef IBBIS_PAGES_H
#define IBBIS_PAGES_H

#include <jansson.h>

#include "base/buf.h"

struct view;
struct i18n;
struct web_ctx;

#define PAGES_HTML_TYPE "text/html; charset=utf-8"

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

/* The request's page: template tpl with model (given the layout's part:
 * language, user, menu, CSRF token, the title from title_key, a success
 * message) inside the layout. *out: caller releases; on failure (logged)
 * nothing is owned. */
int pages_render_request(struct web_ctx *c, const char *tpl, const char *title_key,
			 json_t *model, struct buf *out);
/* Renders the page (c->template with c->model, in the layout) now, as the
 * answer would: for a handler that keeps it. *html: caller frees. */
int web_render_page(struct web_ctx *c, char **html, size_t *len);
/* Answers with a page rendered before (heap, taken). */
void web_respond_page(struct web_ctx *c, char *html, size_t len);

/* Answers kept between requests (web/pagecache.h), JSON or page by the
 * request's format. web_kept_answer answers with the one kept under k and
 * s: 0, or ERR_NOT_FOUND when there is none. web_keep_answer renders
 * c->model (JSON, or c->template in the layout), keeps it under k and s,
 * and answers with it. */
struct pagecache_key;
struct pagecache_stamp;
int web_kept_answer(struct web_ctx *c, const struct pagecache_key *k,
		    const struct pagecache_stamp *s);
int web_keep_answer(struct web_ctx *c, const struct pagecache_key *k,
		    const struct pagecache_stamp *s);

#endif
