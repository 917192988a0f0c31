/* pages.c: the template registry. Templates are compiled once at start and
 * shared read-only by all worker threads. */
#include "web/pages.h"

#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "base/err.h"
#include "base/str.h"
#include "view/i18n.h"
#include "view/mustache.h"

#define PAGES_MAX 128

struct page {
	char name[64]; /* "case" for templates/case.mustache, "partials/nav" for a subfolder */
	struct mustache *tpl; /* owned */
};

struct pages {
	const struct i18n *i18n; /* borrowed */
	struct page items[PAGES_MAX];
	int n;
};

/* Per render: which language the t. hook answers in. */
struct render_lang {
	const struct pages *p;
	const char *lang;
};

static const struct mustache *find(const struct pages *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->items[i].name, name) == 0)
			return p->items[i].tpl;
	return NULL;
}

int pages_has(const struct pages *p, const char *name)
{
	return find(p, name) != NULL;
}

static const struct mustache *partial_cb(void *user, const char *name)
{
	const struct render_lang *rl = user;
	return find(rl->p, name);
}

static const char *translate_cb(void *user, const char *key)
{
	const struct render_lang *rl = user;
	return i18n_text(rl->p->i18n, rl->lang, key);
}

static int date_cb(void *user, day_t d, char *dst, size_t dstsz)
{
	const struct render_lang *rl = user;
	struct buf b;
	buf_init(&b, 64);
	int rc = i18n_format_date(rl->lang, d, &b);
	if (!rc)
		rc = str_copy(dst, dstsz, b.data);
	buf_release(&b);
	return rc;
}

int pages_load(const struct i18n *i18n, struct pages **out, char *err, size_t errsz)
{
	struct pages *p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->i18n = i18n;
	for (unsigned i = 0; i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		if (!str_starts_with(f->path, "templates/") || !str_ends_with(f->path, ".mustache"))
			continue;
		if (p->n >= PAGES_MAX) {
			str_fmt(err, errsz, "too many templates (max %d)", PAGES_MAX);
			pages_free(p);
			return ERR_TOO_LARGE;
		}
		struct page *pg = &p->items[p->n];
		const char *name = f->path + strlen("templates/");
		size_t nlen = strlen(name) - strlen(".mustache");
		if (nlen >= sizeof pg->name) {
			pages_free(p);
			return ERR_TOO_LARGE;
		}
		memcpy(pg->name, name, nlen);
		pg->name[nlen] = '\0';
		char msg[256];
		if (mustache_compile(f->data, f->len, &pg->tpl, msg, sizeof msg)) {
			str_fmt(err, errsz, "%s: %s", f->path, msg);
			pages_free(p);
			return ERR_INVALID;
		}
		p->n++;
	}
	*out = p;
	return 0;
}

void pages_free(struct pages *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++)
		mustache_free(p->items[i].tpl);
	free(p);
}

int pages_render(const struct pages *p, const char *name, const char *lang, json_t *model,
		 struct buf *out)
{
	const struct mustache *page = find(p, name);
	const struct mustache *layout = find(p, "layout");
	if (!page || !layout)
		return ERR_NOT_FOUND;
	struct render_lang rl = {p, lang};
	struct mustache_env env = {
		.partial = partial_cb,
		.partial_user = &rl,
		.translate = translate_cb,
		.format_date = date_cb,
		.translate_user = &rl,
	};
	struct buf content;
	buf_init(&content, out->max);
	int rc = mustache_render(page, model, &env, &content);
	if (!rc) {
		json_object_set_new(model, "content", json_stringn(content.data, content.len));
		rc = mustache_render(layout, model, &env, out);
		json_object_del(model, "content");
	}
	buf_release(&content);
	return rc;
}
