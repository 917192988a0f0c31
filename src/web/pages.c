/* pages.c: the layout around a page (templates live in view/view.c). */
#include "web/pages.h"

#include <stdbool.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "view/view.h"

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
