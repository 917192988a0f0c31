/* pages.c: the layout around a page (templates live in view/view.c), and
 * a request's page: its model with the layout's part (user, menu, success
 * message), rendered. */
#include "web/pages.h"

#include <stdbool.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "view/i18n.h"
#include "view/view.h"
#include "web/accounts/auth.h"
#include "web/pagecache.h"
#include "web/web.h"

#define HTML_MAX (4u << 20)

/* The tag around position at: [*start, *end) from its '<' to its '>'. */
static bool tag_around(const char *html, const char *at, const char *lim, const char **start,
		       const char **end)
{
	const char *s = at;
	while (s > html && *s != '<' && *s != '>')
		s--;
	if (*s != '<')
		return false;
	const char *e = memchr(at, '>', (size_t)(lim - at));
	if (!e)
		return false;
	*start = s, *end = e;
	return str_starts_with(s, "<input") || str_starts_with(s, "<select") ||
	       str_starts_with(s, "<textarea");
}

/* The value of attribute attr (' id="') inside [s, e), copied to out. */
static bool attr_value(const char *s, const char *e, const char *attr, char *out, size_t max)
{
	size_t alen = strlen(attr);
	for (const char *p = s; p + alen < e; p++) {
		if (memcmp(p, attr, alen))
			continue;
		const char *v = p + alen, *q = memchr(v, '"', (size_t)(e - v));
		size_t n = q ? (size_t)(q - v) : 0;
		if (!q || n == 0 || n >= max)
			return false;
		for (size_t i = 0; i < n; i++) {
			char ch = v[i];
			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
				return false;
		}
		memcpy(out, v, n);
		out[n] = 0;
		return true;
	}
	return false;
}

int pages_field_id(const char *html, size_t len, const char *field, char *id, size_t idmax)
{
	char needle[160];
	if (!field || !*field || str_fmt(needle, sizeof needle, " name=\"%s\"", field))
		return ERR_NOT_FOUND;
	size_t nlen = strlen(needle);
	const char *lim = html + len;
	bool found = false;
	for (const char *p = html; p + nlen <= lim; p++) {
		p = memmem(p, (size_t)(lim - p), needle, nlen);
		if (!p)
			break;
		const char *s, *e;
		if (!tag_around(html, p, lim, &s, &e))
			continue;
		char cand[128];
		if (!attr_value(s, e, " id=\"", cand, sizeof cand))
			continue;
		static const char inv[] = "aria-invalid=\"true\"";
		bool invalid = memmem(s, (size_t)(e - s), inv, sizeof inv - 1) != NULL;
		if (!found || invalid) {
			if (str_copy(id, idmax, cand))
				return ERR_NOT_FOUND;
			found = true;
		}
		if (invalid)
			break;
	}
	return found ? 0 : ERR_NOT_FOUND;
}

/* The error summary's link: the failed field's control on this page. */
static void summary_link(json_t *model, const struct buf *content)
{
	json_t *err = json_object_get(model, "error");
	if (!json_is_true(json_object_get(err, "summary")))
		return;
	char id[128];
	const char *field = json_string_value(json_object_get(err, "field"));
	if (field && pages_field_id(content->data, content->len, field, id, sizeof id) == 0)
		json_object_set_new(err, "href", json_string(id));
	size_t i;
	json_t *line;
	json_array_foreach(json_object_get(err, "list"), i, line)
	{
		field = json_string_value(json_object_get(line, "field"));
		/* false, not absent: a line without a field must not find the
		 * page's own "href" further up the model */
		json_object_set_new(line, "href",
				    field && pages_field_id(content->data, content->len, field, id,
							    sizeof id) == 0
					? json_string(id)
					: json_false());
	}
}

int pages_render(const struct view *v, const struct i18n *cat, const char *name,
		 const char *lang, json_t *model, struct buf *out)
{
	struct buf content;
	buf_init(&content, out->max);
	int rc = view_render(v, name, model, cat, lang, &content);
	if (!rc) {
		summary_link(model, &content);
		/* Our own rendering, so valid UTF-8: no second scan. */
		json_object_set_new(model, "content",
				    json_stringn_nocheck(content.data, content.len));
		rc = view_render(v, "layout", model, cat, lang, out);
		json_object_del(model, "content");
	}
	buf_release(&content);
	return rc;
}

/* The success messages a redirect may carry (?flash=NAME): a fixed list, so
 * a link cannot make a page say anything else. */
static const char *const flashes[] = {"saved", "created", "added", "ended", "withdrawn",
				      "granted", "disabled", "enabled", "deleted"};

static const char *flash_known(const char *name)
{
	for (size_t i = 0; name && i < sizeof flashes / sizeof flashes[0]; i++)
		if (str_eq(name, flashes[i]))
			return flashes[i];
	return NULL;
}

void web_flash(struct web_ctx *c, const char *name)
{
	c->flash = flash_known(name);
}

/* The layout's part of a page model: language, user, menu, CSRF token, the
 * controller's name for the footer, a success message. */
static void set_page_info(struct web_ctx *c, json_t *model, const char *title_key)
{
	json_t *app = auth_page_info(c);
	json_object_set_new(app, "title", json_string(web_t(c, title_key)));
	if (c->app->controller.name && *c->app->controller.name)
		json_object_set_new(app, "controller", json_string(c->app->controller.name));
	const char *flash = c->err ? NULL : flash_known(web_query(c, "flash"));
	if (flash)
		json_object_set_new(app, "flash", json_string(web_t(c, arena_printf(c->a, "flash.%s", flash))));
	json_object_set_new(model, "app", app);
}

int pages_render_request(struct web_ctx *c, const char *tpl, const char *title_key, json_t *model,
		       struct buf *out)
{
	set_page_info(c, model, title_key);
	buf_init(out, HTML_MAX);
	int rc = pages_render(c->app->views, c->app->i18n, tpl, c->lang, model, out);
	if (rc) {
		log_error("render %s: %s", tpl, err_code(rc));
		buf_release(out);
	}
	return rc;
}

int web_render_page(struct web_ctx *c, char **html, size_t *len)
{
	struct buf out;
	int rc = pages_render_request(c, c->template, c->title_key, c->model, &out);
	if (rc)
		return rc;
	*html = buf_detach(&out, len);
	return 0;
}

void web_respond_page(struct web_ctx *c, char *html, size_t len)
{
	web_respond_raw_take(c, PAGES_HTML_TYPE, html, len);
}

int web_kept_answer(struct web_ctx *c, const struct pagecache_key *k,
		    const struct pagecache_stamp *s)
{
	char *body;
	size_t len;
	if (pagecache_get(c->app->pages, k, s, &body, &len))
		return ERR_NOT_FOUND;
	if (c->want_json)
		web_respond_raw_take(c, "application/json", body, len);
	else
		web_respond_page(c, body, len);
	return 0;
}

int web_keep_answer(struct web_ctx *c, const struct pagecache_key *k,
		    const struct pagecache_stamp *s)
{
	char *body;
	size_t len;
	if (c->want_json) {
		body = json_dumps(c->model, JSON_COMPACT);
		if (!body)
			return ERR_INTERNAL;
		len = strlen(body);
	} else {
		int rc = web_render_page(c, &body, &len);
		if (rc)
			return rc;
	}
	pagecache_put(c->app->pages, k, s, body, len);
	if (c->want_json)
		web_respond_raw_take(c, "application/json", body, len);
	else
		web_respond_page(c, body, len);
	return 0;
}
