/* mustache.c: the Mustache parser. Turns template text into the immutable
 * node tree of mustache_impl.h, applying the standalone-line rules once
 * here so that rendering does no text analysis beyond partial indentation.
 *
 * Memory: everything a compiled template holds (a copy of the source and
 * all nodes) lives in the template's own arena; mustache_free drops it.
 * While parsing, each open section collects its children in a malloc'd
 * scratch vector that is copied into the arena when the section closes. */
#include "view/mustache.h"

#include "view/mustache_impl.h"

#include "base/err.h"
#include "base/str.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct plevel {
	struct mnode *v; /* owned scratch: children so far */
	size_t n, cap;
	struct mnode open; /* the section being built (levels > 0) */
	size_t open_pos;   /* where its opening tag starts, for errors */
};

struct parser {
	struct mustache *t;
	const char *src; /* arena copy of the template */
	size_t len, pos;
	char otag[MUSTACHE_MAX_DELIM + 1], ctag[MUSTACHE_MAX_DELIM + 2];
	size_t olen, clen;
	struct plevel lv[MUSTACHE_MAX_NEST + 1];
	int depth;
	char *err; /* borrowed; may be NULL */
	size_t errsz;
};

static int p_line(const struct parser *p, size_t pos)
{
	int line = 1;
	for (size_t i = 0; i < pos && i < p->len; i++)
		line += p->src[i] == '\n';
	return line;
}

static int p_fail(struct parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int p_fail(struct parser *p, size_t pos, const char *fmt, ...)
{
	if (p->err && p->errsz) {
		char msg[160];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		snprintf(p->err, p->errsz, "line %d: %s", p_line(p, pos), msg);
	}
	return ERR_INVALID;
}

static void p_push(struct parser *p, const struct mnode *nd)
{
	struct plevel *l = &p->lv[p->depth];
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct mnode *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			abort();
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *nd;
}

static bool p_at_line_start(const struct parser *p, size_t pos)
{
	return pos == 0 || p->src[pos - 1] == '\n';
}

static void p_text(struct parser *p, size_t from, size_t to)
{
	if (to <= from)
		return;
	struct mnode nd = {.kind = MK_TEXT, .text = p->src + from, .len = to - from};
	nd.line_start = p_at_line_start(p, from);
	p_push(p, &nd);
}

/* Moves level depth's children into the arena; frees the scratch. */
static void p_seal(struct parser *p, const struct mnode **out, uint32_t *n)
{
	struct plevel *l = &p->lv[p->depth];
	struct mnode *v = arena_array(&p->t->arena, l->n ? l->n : 1, sizeof *v);
	if (l->n)
		memcpy(v, l->v, l->n * sizeof *v);
	*out = v;
	*n = (uint32_t)l->n;
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_ws(**s))
		(*s)++, (*n)--;
	while (*n && is_ws((*s)[*n - 1]))
		(*n)--;
}

/* Checks and stores a tag's name: "." or dot-separated non-empty parts. */
static int p_name(struct parser *p, size_t at, const char *s, size_t n, struct mnode *nd)
{
	trim(&s, &n);
	if (n == 0)
		return p_fail(p, at, "empty tag name");
	if (!(n == 1 && s[0] == '.')) {
		if (s[0] == '.' || s[n - 1] == '.' || memmem(s, n, "..", 2))
			return p_fail(p, at, "bad name '%.*s'", (int)(n > 40 ? 40 : n), s);
	}
	nd->name = s;
	nd->nlen = n;
	if (n > 2 && s[0] == 't' && s[1] == '.') {
		nd->is_t = 1;
		nd->key = arena_strndup(&p->t->arena, s + 2, n - 2);
	}
	return 0;
}

/* A tag alone on its line (only blanks around it): where its line starts
 * and where the next line starts. */
static bool p_standalone(const struct parser *p, size_t t, size_t end, size_t *ls, size_t *next)
{
	size_t i = t;
	while (i > p->pos && (p->src[i - 1] == ' ' || p->src[i - 1] == '\t'))
		i--;
	if (!p_at_line_start(p, i))
		return false;
	size_t j = end;
	while (j < p->len && (p->src[j] == ' ' || p->src[j] == '\t'))
		j++;
	if (j + 1 < p->len && p->src[j] == '\r' && p->src[j + 1] == '\n')
		j += 2;
	else if (j < p->len && p->src[j] == '\n')
		j++;
	else if (j != p->len)
		return false;
	*ls = i;
	*next = j;
	return true;
}

static int p_delims(struct parser *p, size_t at, const char *s, size_t n)
{
	if (n == 0 || s[n - 1] != '=')
		return p_fail(p, at, "set-delimiter tag must end with '='");
	n--;
	trim(&s, &n);
	size_t a = 0;
	while (a < n && !is_ws(s[a]))
		a++;
	size_t b = a;
	while (b < n && is_ws(s[b]))
		b++;
	const char *o = s, *c = s + b;
	size_t ol = a, cl = n - b;
	if (ol == 0 || cl == 0 || memchr(c, ' ', cl) || memchr(c, '\t', cl) ||
	    memchr(o, '=', ol) || memchr(c, '=', cl))
		return p_fail(p, at, "bad set-delimiter tag");
	if (ol > MUSTACHE_MAX_DELIM || cl > MUSTACHE_MAX_DELIM)
		return p_fail(p, at, "delimiter longer than %d bytes", MUSTACHE_MAX_DELIM);
	memcpy(p->otag, o, ol);
	p->olen = ol;
	memcpy(p->ctag, c, cl);
	p->clen = cl;
	return 0;
}

static int p_open(struct parser *p, size_t t, struct mnode *nd)
{
	if (p->depth == MUSTACHE_MAX_NEST)
		return p_fail(p, t, "sections nested deeper than %d", MUSTACHE_MAX_NEST);
	p->depth++;
	struct plevel *l = &p->lv[p->depth];
	l->open = *nd;
	l->open_pos = t;
	l->v = NULL;
	l->n = l->cap = 0;
	return 0;
}

static int p_close(struct parser *p, size_t t, const char *s, size_t n, bool ls)
{
	trim(&s, &n);
	if (p->depth == 0)
		return p_fail(p, t, "'/%.*s' closes no open section", (int)(n > 40 ? 40 : n), s);
	struct plevel *l = &p->lv[p->depth];
	if (n != l->open.nlen || memcmp(s, l->open.name, n) != 0)
		return p_fail(p, t, "'/%.*s' does not close section '%.*s' (line %d)",
			      (int)(n > 40 ? 40 : n), s, (int)(l->open.nlen > 40 ? 40 : l->open.nlen),
			      l->open.name, p_line(p, l->open_pos));
	struct mnode nd = l->open;
	nd.close_line_start = ls;
	p_seal(p, &nd.child, &nd.nchild);
	p->depth--;
	p_push(p, &nd);
	return 0;
}

/* Finds where the tag at t ends. Sets the content slice and sigil. */
static int p_scan_tag(struct parser *p, size_t t, size_t *cs, size_t *ce, size_t *end, char *sigil)
{
	size_t c = t + p->olen;
	const char *hit;
	if (c < p->len && p->src[c] == '{') {
		char close[MUSTACHE_MAX_DELIM + 2];
		close[0] = '}';
		memcpy(close + 1, p->ctag, p->clen);
		hit = memmem(p->src + c + 1, p->len - c - 1, close, p->clen + 1);
		if (!hit)
			return p_fail(p, t, "unclosed tag");
		*sigil = '{';
		*cs = c + 1;
		*ce = (size_t)(hit - p->src);
		*end = *ce + 1 + p->clen;
		return 0;
	}
	hit = memmem(p->src + c, p->len - c, p->ctag, p->clen);
	if (!hit)
		return p_fail(p, t, "unclosed tag");
	*ce = (size_t)(hit - p->src);
	*end = *ce + p->clen;
	*sigil = 0;
	if (c < *ce && p->src[c] && strchr("#^/>&!=", p->src[c]))
		*sigil = p->src[c++];
	*cs = c;
	return 0;
}

static int p_tag(struct parser *p, size_t t)
{
	size_t cs = 0, ce = 0, end = 0, ls = t, next = 0;
	char sigil = 0;
	int rc = p_scan_tag(p, t, &cs, &ce, &end, &sigil);
	if (rc)
		return rc;
	bool sa = sigil && strchr("#^/>!=", sigil) && p_standalone(p, t, end, &ls, &next);
	p_text(p, p->pos, sa ? ls : t);
	p->pos = sa ? next : end;
	bool line_start = !sa && p_at_line_start(p, t);
	struct mnode nd = {.line_start = line_start};
	const char *s = p->src + cs;
	size_t n = ce - cs;
	switch (sigil) {
	case '!':
		return 0;
	case '=':
		return p_delims(p, t, s, n);
	case '/':
		return p_close(p, t, s, n, line_start);
	case '>':
		trim(&s, &n);
		if (n == 0)
			return p_fail(p, t, "empty partial name");
		nd.kind = MK_PARTIAL;
		nd.standalone = sa;
		nd.text = p->src + ls;
		nd.len = sa ? t - ls : 0;
		nd.name = s;
		nd.nlen = n;
		nd.key = arena_strndup(&p->t->arena, s, n);
		p_push(p, &nd);
		return 0;
	case '#':
	case '^':
		nd.kind = sigil == '#' ? MK_SECTION : MK_INVERTED;
		rc = p_name(p, t, s, n, &nd);
		return rc ? rc : p_open(p, t, &nd);
	default:
		nd.kind = sigil == '&' || sigil == '{' ? MK_RAW : MK_VAR;
		rc = p_name(p, t, s, n, &nd);
		if (rc == 0)
			p_push(p, &nd);
		return rc;
	}
}

static int p_run(struct parser *p)
{
	while (p->pos < p->len) {
		const char *hit = memmem(p->src + p->pos, p->len - p->pos, p->otag, p->olen);
		if (!hit) {
			p_text(p, p->pos, p->len);
			p->pos = p->len;
			break;
		}
		int rc = p_tag(p, (size_t)(hit - p->src));
		if (rc)
			return rc;
	}
	if (p->depth > 0) {
		const struct plevel *l = &p->lv[p->depth];
		return p_fail(p, l->open_pos, "unclosed section '%.*s'",
			      (int)(l->open.nlen > 40 ? 40 : l->open.nlen), l->open.name);
	}
	return 0;
}

int mustache_compile(const char *src, size_t len, struct mustache **out, char *err,
		     size_t errsz)
{
	*out = NULL;
	if (err && errsz)
		err[0] = '\0';
	struct mustache *t = calloc(1, sizeof *t);
	struct parser *p = calloc(1, sizeof *p);
	if (!t || !p)
		abort();
	arena_init(&t->arena);
	p->t = t;
	p->src = arena_strndup(&t->arena, src ? src : "", src ? len : 0);
	p->len = src ? len : 0;
	memcpy(p->otag, "{{", 2);
	memcpy(p->ctag, "}}", 2);
	p->olen = p->clen = 2;
	p->err = err;
	p->errsz = errsz;
	int rc = p_run(p);
	if (rc == 0) {
		p_seal(p, &t->nodes, &t->n);
		*out = t;
	} else {
		for (int i = 0; i <= p->depth; i++)
			free(p->lv[i].v);
		mustache_free(t);
	}
	free(p);
	return rc;
}

void mustache_free(struct mustache *t)
{
	if (!t)
		return;
	arena_release(&t->arena);
	free(t);
}
