/* instrument.c: parsing and loading survey instruments (instrument.h).
 * Strict like the rules profiles: every key once, unknown keys refused. */
#include "domain/insight/instrument.h"

#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/str.h"

#define MAX_ITEMS 200
#define MAX_FILE (1u << 20)

static const char *const dimensions[INSTR_DIMENSIONS] = {
    "frequent_communication", "timely_communication", "accurate_communication",
    "problem_solving_communication", "shared_goals", "shared_knowledge", "mutual_respect",
};

static const char *const roles[INSTR_ROLES] = {
    "care_manager", "employment_consultant", "supervisor_health", "supervisor_jobcentre"};

const char *instr_dimension_name(int d)
{
	return d >= 0 && d < INSTR_DIMENSIONS ? dimensions[d] : NULL;
}

int instr_dimension_parse(const char *s)
{
	for (int i = 0; s && i < INSTR_DIMENSIONS; i++)
		if (str_eq(s, dimensions[i]))
			return i;
	return -1;
}

const char *instr_role_name(int r)
{
	return r >= 0 && r < INSTR_ROLES ? roles[r] : NULL;
}

int instr_role_parse(const char *s)
{
	for (int i = 0; s && i < INSTR_ROLES; i++)
		if (str_eq(s, roles[i]))
			return i;
	return -1;
}

/* One item while parsing: the line each part was given on (0: not yet). */
struct pitem {
	int first, dim_line, en_line, da_line;
};

struct pstate {
	const char *file;
	int line;
	char *err;
	size_t errsz;
	struct arena *a;
	struct instrument *out;
	struct pitem *pi;
	size_t cap;
	int id_line, name_en_line, name_da_line, min_line, max_line;
};

static int fail(struct pstate *s, int line, const char *key, const char *what)
{
	str_fmt(s->err, s->errsz, "%s:%d: %s: %s", s->file, line, key, what);
	return ERR_INVALID;
}

static bool id_ok(const char *v, bool dash)
{
	if (!*v || strlen(v) > 64)
		return false;
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      (dash && *p == '-')))
			return false;
	return true;
}

static int once(struct pstate *s, int *seen, const char *key)
{
	if (*seen)
		return fail(s, s->line, key, "given twice");
	*seen = s->line;
	return 0;
}

static int item_slot(struct pstate *s, const char *key, const char *id, size_t *out)
{
	struct instrument *in = s->out;
	for (size_t i = 0; i < in->nitems; i++)
		if (str_eq(in->items[i].id, id)) {
			*out = i;
			return 0;
		}
	if (!id_ok(id, false))
		return fail(s, s->line, key, "an item id is lower-case letters, digits and _");
	if (in->nitems == MAX_ITEMS)
		return fail(s, s->line, key, "too many items");
	size_t cap = s->cap;
	in->items = arena_grow(s->a, in->items, in->nitems, &cap, sizeof *in->items);
	s->pi = arena_grow(s->a, s->pi, in->nitems, &s->cap, sizeof *s->pi);
	in->items[in->nitems].id = arena_strdup(s->a, id);
	s->pi[in->nitems].first = s->line;
	*out = in->nitems++;
	return 0;
}

static int set_text(struct pstate *s, const char *key, const char *v, const char **dst, int *seen)
{
	if (!*v)
		return fail(s, s->line, key, "empty text");
	if (!str_valid_utf8(v, strlen(v)))
		return fail(s, s->line, key, "not UTF-8");
	int rc = once(s, seen, key);
	if (!rc)
		*dst = arena_strdup(s->a, v);
	return rc;
}

static int set_item(struct pstate *s, const char *key, const char *v)
{
	const char *rest = key + 5; /* after "item." */
	const char *dot = strrchr(rest, '.');
	if (!dot || dot == rest)
		return fail(s, s->line, key, "expected item.ID.dimension, item.ID.en or item.ID.da");
	char id[80];
	if (str_fmt(id, sizeof id, "%.*s", (int)(dot - rest), rest))
		return fail(s, s->line, key, "item id too long");
	size_t i;
	int rc = item_slot(s, key, id, &i);
	if (rc)
		return rc;
	struct instr_item *it = &s->out->items[i];
	struct pitem *p = &s->pi[i];
	const char *part = dot + 1;
	if (str_eq(part, "dimension")) {
		int d = instr_dimension_parse(v);
		if (d < 0)
			return fail(s, s->line, key, "not one of the seven dimensions");
		if ((rc = once(s, &p->dim_line, key)))
			return rc;
		it->dimension = d;
		return 0;
	}
	if (str_eq(part, "en"))
		return set_text(s, key, v, &it->en, &p->en_line);
	if (str_eq(part, "da"))
		return set_text(s, key, v, &it->da, &p->da_line);
	return fail(s, s->line, key, "unknown key");
}

static int set_scale(struct pstate *s, const char *key, const char *v, int *dst, int *seen)
{
	long n;
	if (str_to_long(v, 0, 10, &n))
		return fail(s, s->line, key, "not an integer from 0 to 10");
	int rc = once(s, seen, key);
	if (!rc)
		*dst = (int)n;
	return rc;
}

static int set_key(struct pstate *s, const char *key, const char *v)
{
	struct instrument *in = s->out;
	if (str_eq(key, "id")) {
		if (!id_ok(v, true))
			return fail(s, s->line, key, "lower-case letters, digits, _ and -");
		int rc = once(s, &s->id_line, key);
		if (!rc)
			in->id = arena_strdup(s->a, v);
		return rc;
	}
	if (str_eq(key, "name.en"))
		return set_text(s, key, v, &in->name_en, &s->name_en_line);
	if (str_eq(key, "name.da"))
		return set_text(s, key, v, &in->name_da, &s->name_da_line);
	if (str_eq(key, "scale.min"))
		return set_scale(s, key, v, &in->min, &s->min_line);
	if (str_eq(key, "scale.max"))
		return set_scale(s, key, v, &in->max, &s->max_line);
	if (str_starts_with(key, "item."))
		return set_item(s, key, v);
	return fail(s, s->line, key, "unknown key");
}

static void trim(const char **p, const char **e)
{
	while (*p < *e && (**p == ' ' || **p == '\t' || **p == '\r'))
		(*p)++;
	while (*e > *p && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

static int parse_line(struct pstate *s, const char *p, const char *e)
{
	trim(&p, &e);
	if (p == e || *p == '#')
		return 0;
	const char *eq = memchr(p, '=', (size_t)(e - p));
	if (!eq)
		return fail(s, s->line, arena_strndup(s->a, p, (size_t)(e - p)),
			    "expected KEY = VALUE");
	const char *ke = eq, *vp = eq + 1;
	trim(&p, &ke);
	trim(&vp, &e);
	const char *key = arena_strndup(s->a, p, (size_t)(ke - p));
	if (!*key)
		return fail(s, s->line, "(empty)", "a line without a key");
	return set_key(s, key, arena_strndup(s->a, vp, (size_t)(e - vp)));
}

/* Everything required was given. */
static int check_complete(struct pstate *s)
{
	struct instrument *in = s->out;
	static const char *const keys[] = {"id", "name.en", "name.da", "scale.min", "scale.max"};
	int lines[] = {s->id_line, s->name_en_line, s->name_da_line, s->min_line, s->max_line};
	for (int k = 0; k < 5; k++)
		if (!lines[k])
			return fail(s, s->line, keys[k], "missing");
	if (in->min >= in->max)
		return fail(s, s->max_line, "scale.max", "must be above scale.min");
	if (!in->nitems)
		return fail(s, s->line, "item", "no items");
	for (size_t i = 0; i < in->nitems; i++) {
		const char *id = in->items[i].id;
		int l = s->pi[i].first;
		if (!s->pi[i].dim_line)
			return fail(s, l, arena_printf(s->a, "item.%s.dimension", id), "missing");
		if (!s->pi[i].en_line)
			return fail(s, l, arena_printf(s->a, "item.%s.en", id), "missing");
		if (!s->pi[i].da_line)
			return fail(s, l, arena_printf(s->a, "item.%s.da", id), "missing");
	}
	return 0;
}

int instrument_parse(const char *file, const char *text, size_t len, struct arena *a,
		     struct instrument *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	struct pstate s = {.file = file, .err = err, .errsz = errsz, .a = a, .out = out};
	out->file = arena_strdup(a, file);
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		s.line++;
		if (memchr(p, '\0', (size_t)(e - p)))
			return fail(&s, s.line, "(line)", "a NUL byte");
		int rc = parse_line(&s, p, e);
		if (rc)
			return rc;
		p = nl ? nl + 1 : end;
	}
	if (!s.line)
		s.line = 1;
	return check_complete(&s);
}

/* The loaded set: one arena for its life. */
static struct arena set_arena;
static struct instrument *set_v;
static size_t set_n, set_cap;
static bool set_loaded;
static pthread_once_t set_once = PTHREAD_ONCE_INIT;

static int add(const char *file, const char *text, size_t len, char *err, size_t errsz)
{
	struct instrument in;
	int rc = instrument_parse(file, text, len, &set_arena, &in, err, errsz);
	if (rc)
		return rc;
	for (size_t i = 0; i < set_n; i++)
		if (str_eq(set_v[i].id, in.id)) {
			str_fmt(err, errsz, "%s:1: id: '%s' is already given by %s", file, in.id,
				set_v[i].file);
			return ERR_INVALID;
		}
	set_v = arena_grow(&set_arena, set_v, set_n, &set_cap, sizeof *set_v);
	set_v[set_n++] = in;
	return 0;
}

static int load_embedded(char *err, size_t errsz)
{
	for (unsigned i = 0; i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		if (!str_starts_with(f->path, "surveys/") || !str_ends_with(f->path, ".conf"))
			continue;
		int rc = add(f->path, f->data, f->len, err, errsz);
		if (rc)
			return rc;
	}
	return 0;
}

static int cmp_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ERR_IO;
	char *b = malloc(MAX_FILE + 1);
	if (!b)
		abort();
	size_t n = fread(b, 1, MAX_FILE + 1, f);
	int bad = ferror(f) || n > MAX_FILE;
	fclose(f);
	if (bad) {
		free(b);
		return ERR_IO;
	}
	b[n] = '\0';
	*out = b;
	*len = n;
	return 0;
}

/* The *.conf files of dir, in name order. */
static int load_dir(const char *dir, char *err, size_t errsz)
{
	DIR *d = opendir(dir);
	if (!d) {
		str_fmt(err, errsz, "%s: cannot open the survey folder", dir);
		return ERR_IO;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.' || !str_ends_with(e->d_name, ".conf"))
			continue;
		names = arena_grow(&set_arena, names, n, &cap, sizeof *names);
		names[n++] = arena_printf(&set_arena, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_name);
	for (size_t i = 0; i < n; i++) {
		char *text;
		size_t len;
		if (read_file(names[i], &text, &len)) {
			str_fmt(err, errsz, "%s: cannot read the file", names[i]);
			return ERR_IO;
		}
		int rc = add(names[i], text, len, err, errsz);
		free(text);
		if (rc)
			return rc;
	}
	return 0;
}

void instruments_free(void)
{
	if (set_loaded)
		arena_release(&set_arena);
	set_v = NULL;
	set_n = set_cap = 0;
	set_loaded = false;
}

int instruments_load(const char *dir, char *err, size_t errsz)
{
	instruments_free();
	arena_init(&set_arena);
	set_loaded = true;
	int rc = load_embedded(err, errsz);
	if (!rc && dir && *dir)
		rc = load_dir(dir, err, errsz);
	if (rc)
		instruments_free();
	return rc;
}

static void load_default(void)
{
	char err[INSTR_ERR_LEN];
	if (!set_loaded)
		instruments_load(NULL, err, sizeof err);
}

const struct instrument *instruments_all(size_t *n)
{
	pthread_once(&set_once, load_default);
	*n = set_n;
	return set_v;
}

const struct instrument *instrument_find(const char *id)
{
	size_t n;
	const struct instrument *v = instruments_all(&n);
	for (size_t i = 0; i < n; i++)
		if (str_eq(v[i].id, id))
			return &v[i];
	return NULL;
}

const struct instr_item *instrument_item(const struct instrument *in, const char *id)
{
	for (size_t i = 0; in && i < in->nitems; i++)
		if (str_eq(in->items[i].id, id))
			return &in->items[i];
	return NULL;
}
