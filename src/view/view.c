/* view.c: the embedded template set. Memory: the set owns a sorted array
 * of (name, template); names and templates are freed by view_free. */
#include "view/view.h"

#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"

#include <stdlib.h>
#include <string.h>

struct view_entry {
	char *name;           /* owned */
	struct mustache *tpl; /* owned */
};

struct view {
	struct view_entry *v; /* owned; sorted by name */
	size_t n;
};

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct view_entry *)a)->name, ((const struct view_entry *)b)->name);
}

void view_free(struct view *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].name);
		mustache_free(v->v[i].tpl);
	}
	free(v->v);
	free(v);
}

static int view_add(struct view *v, const struct embed_file *f)
{
	const char *base = f->path + strlen("templates/");
	size_t n = strlen(base) - strlen(".mustache");
	char err[200];
	struct view_entry *e = &v->v[v->n];
	if (mustache_compile(f->data, f->len, &e->tpl, err, sizeof err) != 0) {
		log_error("%s: %s", f->path, err);
		return ERR_INVALID;
	}
	e->name = strndup(base, n);
	if (!e->name)
		abort();
	v->n++;
	return 0;
}

int view_load_embedded(struct view **out)
{
	struct view *v = calloc(1, sizeof *v);
	if (!v)
		abort();
	v->v = calloc(embed_count ? embed_count : 1, sizeof *v->v);
	if (!v->v)
		abort();
	int rc = 0;
	for (unsigned i = 0; rc == 0 && i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		if (str_starts_with(f->path, "templates/") && str_ends_with(f->path, ".mustache"))
			rc = view_add(v, f);
	}
	if (rc) {
		view_free(v);
		v = NULL;
	} else if (v->n) {
		qsort(v->v, v->n, sizeof *v->v, entry_cmp);
	}
	*out = v;
	return rc;
}

const struct mustache *view_get(const struct view *v, const char *name)
{
	size_t lo = 0, hi = v ? v->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, v->v[mid].name);
		if (c == 0)
			return v->v[mid].tpl;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const struct mustache *view_partial(void *user, const char *name)
{
	return view_get(user, name);
}

int view_render(const struct view *v, const char *name, json_t *model, const struct i18n *cat,
		const char *lang, struct buf *out)
{
	const struct mustache *t = view_get(v, name);
	if (!t)
		return ERR_NOT_FOUND;
	struct i18n_binding b = {.cat = cat, .lang = lang};
	struct mustache_env env = {
		.partial = view_partial,
		.partial_user = (void *)v, /* view_partial only reads it */
		.translate = i18n_hook_text,
		.format_date = i18n_hook_date,
		.translate_user = &b,
	};
	return mustache_render(t, model, &env, out);
}
