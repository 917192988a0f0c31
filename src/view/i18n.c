/* i18n.c: loading .po catalogues and looking keys up.
 *
 * Memory: a struct i18n owns an arena holding every key and text, and per
 * language one malloc'd array of entries, sorted by key after loading. */
#include "view/i18n.h"

#include "base/arena.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const langs[] = {"en", "da"};
#define NLANGS 2
#define PO_MAX ((size_t)8 << 20)

struct entry {
	const char *key;  /* arena */
	const char *text; /* arena */
	const char *file; /* arena: where it was defined, for messages */
};

struct cat_lang {
	struct entry *v; /* owned */
	size_t n, cap;
};

struct i18n {
	struct arena arena;
	struct cat_lang lang[NLANGS];
};

/* Parser state for one .po file. */
struct po {
	struct i18n *cat;
	struct cat_lang *dst;
	const char *file; /* arena */
	int line;
	struct buf id, str;
	struct buf *target; /* id, str, or NULL (a part we ignore) */
	bool have_id, fuzzy, in_str;
};

static int lang_index(const char *lang)
{
	for (int i = 0; lang && i < NLANGS; i++)
		if (strcmp(lang, langs[i]) == 0)
			return i;
	return -1;
}

int i18n_supported(const char *lang)
{
	return lang_index(lang) >= 0;
}

static int po_fail(const struct po *p, const char *what)
{
	log_error("%s:%d: %s", p->file, p->line, what);
	return ERR_INVALID;
}

static void po_add(struct po *p)
{
	struct cat_lang *l = p->dst;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 128;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (!l->v)
			abort();
	}
	struct entry *e = &l->v[l->n++];
	e->key = arena_strndup(&p->cat->arena, p->id.data, p->id.len);
	e->text = arena_strndup(&p->cat->arena, p->str.data, p->str.len);
	e->file = p->file;
}

/* Ends the entry being read. The header (msgid "") and untranslated or
 * fuzzy entries are dropped. */
static int po_flush(struct po *p)
{
	if (p->have_id && p->id.len && p->str.len && !p->fuzzy) {
		if (memchr(p->id.data, '\0', p->id.len) || memchr(p->str.data, '\0', p->str.len) ||
		    !str_valid_utf8(p->id.data, p->id.len) || !str_valid_utf8(p->str.data, p->str.len))
			return po_fail(p, "not valid UTF-8 text");
		po_add(p);
	}
	buf_reset(&p->id);
	buf_reset(&p->str);
	p->target = NULL;
	p->have_id = p->fuzzy = p->in_str = false;
	return 0;
}

/* Appends the C-escaped string literal at s (which starts with '"') to
 * the current target. Only blanks may follow it. */
static int po_string(struct po *p, const char *s, const char *end)
{
	if (s >= end || *s != '"')
		return po_fail(p, "expected a quoted string");
	for (s++; s < end && *s != '"'; s++) {
		char c = *s;
		if (c == '\\') {
			if (++s >= end)
				break;
			switch (*s) {
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			default: return po_fail(p, "unknown escape in string");
			}
		}
		if (p->target)
			buf_putc(p->target, c);
	}
	if (s >= end)
		return po_fail(p, "unterminated string");
	for (s++; s < end; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return po_fail(p, "text after the closing quote");
	if (p->target && p->target->err)
		return po_fail(p, "string too long");
	return 0;
}

static bool po_keyword(const char **s, const char *end, const char *kw)
{
	size_t n = strlen(kw);
	if ((size_t)(end - *s) <= n || memcmp(*s, kw, n) != 0 || ((*s)[n] != ' ' && (*s)[n] != '\t'))
		return false;
	*s += n;
	while (*s < end && (**s == ' ' || **s == '\t'))
		(*s)++;
	return true;
}

static int po_line(struct po *p, const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	if (s == end)
		return po_flush(p);
	if (*s == '#') {
		int rc = p->in_str ? po_flush(p) : 0;
		if (end - s >= 2 && s[1] == ',' && memmem(s, (size_t)(end - s), "fuzzy", 5))
			p->fuzzy = true;
		return rc;
	}
	if (*s == '"') {
		if (!p->have_id)
			return po_fail(p, "string outside an entry");
		return po_string(p, s, end);
	}
	if (po_keyword(&s, end, "msgctxt"))
		return po_fail(p, "msgctxt is not used in IBBIS catalogues");
	if (po_keyword(&s, end, "msgid")) {
		int rc = p->have_id ? po_flush(p) : 0;
		p->have_id = true;
		p->target = &p->id;
		return rc ? rc : po_string(p, s, end);
	}
	if (p->have_id && po_keyword(&s, end, "msgid_plural")) {
		p->target = NULL;
		return po_string(p, s, end);
	}
	bool first = po_keyword(&s, end, "msgstr") || po_keyword(&s, end, "msgstr[0]");
	if (p->have_id && !p->in_str && first) {
		p->in_str = true;
		p->target = &p->str;
		return po_string(p, s, end);
	}
	if (p->have_id && p->in_str && end - s > 7 && memcmp(s, "msgstr[", 7) == 0) {
		p->target = NULL; /* other plural forms: unused */
		while (s < end && *s != '"')
			s++;
		return po_string(p, s, end);
	}
	return po_fail(p, "not a .po line");
}

static int po_parse(struct i18n *cat, int lang, const char *file, const char *data, size_t len)
{
	struct po p = {.cat = cat, .dst = &cat->lang[lang]};
	p.file = arena_strdup(&cat->arena, file);
	buf_init(&p.id, PO_MAX);
	buf_init(&p.str, PO_MAX);
	const char *s = data, *end = data + len;
	int rc = 0;
	while (rc == 0 && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		p.line++;
		rc = po_line(&p, s, le);
		s = nl ? nl + 1 : end;
	}
	if (rc == 0)
		rc = po_flush(&p);
	buf_release(&p.id);
	buf_release(&p.str);
	return rc;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

/* Sorts each language and rejects keys defined twice. */
static int cat_finish(struct i18n *cat)
{
	int rc = 0;
	for (int i = 0; i < NLANGS; i++) {
		struct cat_lang *l = &cat->lang[i];
		if (l->n)
			qsort(l->v, l->n, sizeof *l->v, entry_cmp);
		for (size_t k = 1; k < l->n; k++) {
			if (strcmp(l->v[k - 1].key, l->v[k].key) == 0) {
				log_error("i18n: key '%s' defined twice: %s and %s", l->v[k].key,
					  l->v[k - 1].file, l->v[k].file);
				rc = ERR_INVALID;
			}
		}
	}
	return rc;
}

static struct i18n *cat_new(void)
{
	struct i18n *cat = calloc(1, sizeof *cat);
	if (!cat)
		abort();
	arena_init(&cat->arena);
	return cat;
}

void i18n_free(struct i18n *cat)
{
	if (!cat)
		return;
	for (int i = 0; i < NLANGS; i++)
		free(cat->lang[i].v);
	arena_release(&cat->arena);
	free(cat);
}

/* "locale/SUB/L.po" with one directory level. */
static bool is_sub_catalogue(const char *path, const char *lang)
{
	const char *rest = path + strlen("locale/");
	const char *slash = strchr(rest, '/');
	if (!str_starts_with(path, "locale/") || !slash || slash == rest || strchr(slash + 1, '/'))
		return false;
	return strlen(slash + 1) == strlen(lang) + 3 && str_starts_with(slash + 1, lang) &&
	       str_ends_with(path, ".po");
}

int i18n_load_embedded(struct i18n **out)
{
	struct i18n *cat = cat_new();
	int rc = 0;
	for (int i = 0; rc == 0 && i < NLANGS; i++) {
		char main_path[32];
		str_fmt(main_path, sizeof main_path, "locale/%s.po", langs[i]);
		const struct embed_file *f = embed_find(main_path);
		if (!f) {
			log_error("i18n: %s is not embedded", main_path);
			rc = ERR_NOT_FOUND;
			break;
		}
		rc = po_parse(cat, i, f->path, f->data, f->len);
		for (unsigned k = 0; rc == 0 && k < embed_count; k++)
			if (is_sub_catalogue(embed_files[k].path, langs[i]))
				rc = po_parse(cat, i, embed_files[k].path, embed_files[k].data,
					      embed_files[k].len);
	}
	if (rc == 0)
		rc = cat_finish(cat);
	if (rc) {
		i18n_free(cat);
		cat = NULL;
	}
	*out = cat;
	return rc;
}

/* Reads and parses one file; a missing file is ERR_NOT_FOUND. */
static int load_file(struct i18n *cat, int lang, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ERR_NOT_FOUND;
	struct buf b;
	buf_init(&b, PO_MAX);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	int rc = ferror(f) ? ERR_IO : b.err;
	fclose(f);
	if (rc == 0)
		rc = po_parse(cat, lang, path, b.data, b.len);
	buf_release(&b);
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* dir/SUB/L.po for every subdirectory SUB, in name order. */
static int load_subdirs(struct i18n *cat, int lang, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return ERR_IO;
	char *names[256]; /* arena */
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && n < 256)
		if (de->d_name[0] != '.')
			names[n++] = arena_strdup(&cat->arena, de->d_name);
	closedir(d);
	qsort(names, n, sizeof *names, name_cmp);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char path[1024];
		if (str_fmt(path, sizeof path, "%s/%s/%s.po", dir, names[i], langs[lang]))
			return ERR_TOO_LARGE;
		rc = load_file(cat, lang, path);
		if (rc == ERR_NOT_FOUND)
			rc = 0;
	}
	return rc;
}

int i18n_load_dir(const char *dir, struct i18n **out)
{
	struct i18n *cat = cat_new();
	int rc = 0;
	for (int i = 0; rc == 0 && i < NLANGS; i++) {
		char path[1024];
		rc = str_fmt(path, sizeof path, "%s/%s.po", dir, langs[i]);
		if (rc == 0)
			rc = load_file(cat, i, path);
		if (rc == ERR_NOT_FOUND)
			log_error("i18n: cannot read %s", path);
		if (rc == 0)
			rc = load_subdirs(cat, i, dir);
	}
	if (rc == 0)
		rc = cat_finish(cat);
	if (rc) {
		i18n_free(cat);
		cat = NULL;
	}
	*out = cat;
	return rc;
}

size_t i18n_count(const struct i18n *cat, const char *lang)
{
	int i = lang_index(lang);
	return cat && i >= 0 ? cat->lang[i].n : 0;
}

const char *i18n_key_at(const struct i18n *cat, const char *lang, size_t k)
{
	int i = lang_index(lang);
	return cat && i >= 0 && k < cat->lang[i].n ? cat->lang[i].v[k].key : NULL;
}

const char *i18n_get(const struct i18n *cat, const char *lang, const char *key)
{
	int i = lang_index(lang);
	if (!cat || i < 0 || !key)
		return NULL;
	const struct cat_lang *l = &cat->lang[i];
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, l->v[mid].key);
		if (c == 0)
			return l->v[mid].text;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *i18n_text(const struct i18n *cat, const char *lang, const char *key)
{
	const char *s = i18n_get(cat, lang, key);
	if (!s)
		s = i18n_get(cat, I18N_DEFAULT_LANG, key);
	return s ? s : key;
}
