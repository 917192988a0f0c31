/* mustache_render.c: walks a compiled template against a json_t context.
 *
 * The context stack is a fixed array inside the render state (on the C
 * stack), names are resolved with json_object_getn on slices of the
 * compiled template, and a partial's indentation is a chain of stack
 * records: rendering allocates nothing but output-buffer growth. */
#include "view/mustache.h"

#include "view/mustache_impl.h"

#include "base/err.h"
#include "base/str.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct frame {
	json_t *v;     /* borrowed; NULL when s is set */
	const char *s; /* borrowed: a translated text used as a section value */
};

struct indent {
	const char *s; /* borrowed: a standalone partial's leading blanks */
	size_t n;
	const struct indent *outer; /* the enclosing partial's, or NULL */
};

struct rstate {
	const struct mustache_env *env; /* borrowed; may be NULL */
	struct buf *out;                /* borrowed */
	int depth;                      /* frames in st */
	int partials;                   /* partials being rendered */
	struct frame st[MUSTACHE_MAX_DEPTH];
};

static int r_nodes(struct rstate *rs, const struct mnode *nd, uint32_t n,
		   const struct indent *ind);

static void r_put(struct rstate *rs, const char *s, size_t n, bool esc)
{
	if (esc)
		buf_append_html(rs->out, s, n);
	else
		buf_append(rs->out, s, n);
}

static void r_indent(struct rstate *rs, const struct indent *ind)
{
	if (!ind)
		return;
	r_indent(rs, ind->outer);
	buf_append(rs->out, ind->s, ind->n);
}

/* Text of a partial: its indentation goes after each newline that is not
 * the last byte (a following node at a line start indents itself). */
static void r_text(struct rstate *rs, const struct mnode *nd, const struct indent *ind)
{
	if (!ind) {
		buf_append(rs->out, nd->text, nd->len);
		return;
	}
	const char *s = nd->text, *end = nd->text + nd->len;
	for (;;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl || nl + 1 == end) {
			buf_append(rs->out, s, (size_t)(end - s));
			return;
		}
		buf_append(rs->out, s, (size_t)(nl + 1 - s));
		r_indent(rs, ind);
		s = nl + 1;
	}
}

/* Resolves a dotted name (a slice: "a.b.c", or "." for the top frame):
 * the first part through the stack from the top, the rest strictly inside
 * what the first part found. */
/* One step of a dotted name: a key of an object, or a decimal index into an
 * array ("goals.0": a section shown when the list has a first item, an
 * extension to the spec, which names only objects). */
static json_t *r_step(json_t *v, const char *p, size_t len)
{
	if (json_is_object(v))
		return json_object_getn(v, p, len);
	if (!json_is_array(v) || len == 0 || len > 9)
		return NULL;
	size_t idx = 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return NULL;
		idx = idx * 10 + (size_t)(p[i] - '0');
	}
	return json_array_get(v, idx);
}

static bool r_lookup(const struct rstate *rs, const char *name, size_t n, struct frame *f)
{
	*f = (struct frame){0};
	if (n == 1 && name[0] == '.') {
		if (rs->depth == 0)
			return false;
		*f = rs->st[rs->depth - 1];
		return true;
	}
	const char *dot = memchr(name, '.', n);
	size_t first = dot ? (size_t)(dot - name) : n;
	json_t *v = NULL;
	for (int i = rs->depth - 1; i >= 0 && !v; i--)
		if (json_is_object(rs->st[i].v))
			v = json_object_getn(rs->st[i].v, name, first);
	while (v && dot) {
		const char *p = dot + 1;
		size_t rest = n - (size_t)(p - name);
		dot = memchr(p, '.', rest);
		size_t len = dot ? (size_t)(dot - p) : rest;
		v = r_step(v, p, len);
	}
	f->v = v;
	return v != NULL;
}

static bool r_find(const struct rstate *rs, const struct mnode *nd, struct frame *f)
{
	if (nd->is_t) {
		const struct mustache_env *e = rs->env;
		*f = (struct frame){0};
		f->s = e && e->translate ? e->translate(e->translate_user, nd->key) : NULL;
		return f->s != NULL;
	}
	return r_lookup(rs, nd->name, nd->nlen, f);
}

static bool r_truthy(const struct frame *f)
{
	if (f->s)
		return true;
	if (!f->v || json_is_false(f->v) || json_is_null(f->v))
		return false;
	return !json_is_array(f->v) || json_array_size(f->v) > 0;
}

/* Shortest "%g" form that reads back as the same double. */
static void r_real(struct rstate *rs, double d)
{
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		if (str_fmt(tmp, sizeof tmp, "%.*g", prec, d) == 0 && strtod(tmp, NULL) == d)
			break;
	}
	buf_puts(rs->out, tmp);
}

static void r_value(struct rstate *rs, const struct frame *f, bool esc)
{
	json_t *v = f->v;
	if (f->s)
		r_put(rs, f->s, strlen(f->s), esc);
	else if (json_is_string(v))
		r_put(rs, json_string_value(v), json_string_length(v), esc);
	else if (json_is_integer(v))
		buf_printf(rs->out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		r_real(rs, json_real_value(v));
	else if (json_is_true(v))
		buf_puts(rs->out, "true");
	else if (json_is_false(v))
		buf_puts(rs->out, "false");
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

/* A placeholder's value; dates in the language's long form when the env
 * can format them. */
static void r_param(struct rstate *rs, const struct frame *f, bool esc)
{
	const struct mustache_env *e = rs->env;
	day_t d;
	char tmp[64];
	if (json_is_string(f->v) && e && e->format_date &&
	    date_parse(json_string_value(f->v), &d) == 0 &&
	    e->format_date(e->translate_user, d, tmp, sizeof tmp) == 0) {
		r_put(rs, tmp, strlen(tmp), esc);
		return;
	}
	r_value(rs, f, esc);
}

/* A translated text with its {name} placeholders filled from the context.
 * A placeholder whose name is not found is written as it stands. */
static void r_translated(struct rstate *rs, const char *s, bool esc)
{
	for (;;) {
		const char *open = strchr(s, '{');
		if (!open) {
			r_put(rs, s, strlen(s), esc);
			return;
		}
		const char *k = open + 1;
		size_t n = 0;
		while (is_key_char(k[n]))
			n++;
		struct frame f;
		if (k[n] == '}' && n > 0 && k[0] != '.' && r_lookup(rs, k, n, &f)) {
			r_put(rs, s, (size_t)(open - s), esc);
			r_param(rs, &f, esc);
			s = k + n + 1;
		} else {
			r_put(rs, s, (size_t)(k - s), esc);
			s = k;
		}
	}
}

static void r_var(struct rstate *rs, const struct mnode *nd)
{
	struct frame f;
	if (!r_find(rs, nd, &f))
		return;
	bool esc = nd->kind == MK_VAR;
	if (nd->is_t)
		r_translated(rs, f.s, esc);
	else
		r_value(rs, &f, esc);
}

/* One pass over a section body with f pushed as the top frame. */
static int r_body(struct rstate *rs, const struct mnode *nd, const struct frame *f,
		  const struct indent *ind)
{
	if (rs->depth == MUSTACHE_MAX_DEPTH)
		return ERR_TOO_LARGE;
	rs->st[rs->depth++] = *f;
	int rc = r_nodes(rs, nd->child, nd->nchild, ind);
	rs->depth--;
	if (ind && nd->close_line_start)
		r_indent(rs, ind);
	return rc;
}

static int r_section(struct rstate *rs, const struct mnode *nd, const struct indent *ind)
{
	struct frame f;
	bool found = r_find(rs, nd, &f);
	if (nd->kind == MK_INVERTED) {
		if (found && r_truthy(&f))
			return 0;
		int rc = r_nodes(rs, nd->child, nd->nchild, ind);
		if (ind && nd->close_line_start)
			r_indent(rs, ind);
		return rc;
	}
	if (!found || !r_truthy(&f))
		return 0;
	if (!json_is_array(f.v))
		return r_body(rs, nd, &f, ind);
	for (size_t i = 0; i < json_array_size(f.v); i++) {
		struct frame el = {.v = json_array_get(f.v, i)};
		int rc = r_body(rs, nd, &el, ind);
		if (rc)
			return rc;
	}
	return 0;
}

static int r_partial(struct rstate *rs, const struct mnode *nd, const struct indent *ind)
{
	const struct mustache_env *e = rs->env;
	const struct mustache *t = e && e->partial ? e->partial(e->partial_user, nd->key) : NULL;
	if (!t)
		return 0;
	if (rs->partials == MUSTACHE_MAX_DEPTH)
		return ERR_TOO_LARGE;
	struct indent mine = {.s = nd->text, .n = nd->len, .outer = ind};
	rs->partials++;
	int rc = r_nodes(rs, t->nodes, t->n, nd->standalone ? &mine : NULL);
	rs->partials--;
	return rc;
}

static int r_nodes(struct rstate *rs, const struct mnode *nd, uint32_t n,
		   const struct indent *ind)
{
	for (uint32_t i = 0; i < n && !rs->out->err; i++, nd++) {
		if (ind && nd->line_start)
			r_indent(rs, ind);
		int rc = 0;
		switch (nd->kind) {
		case MK_TEXT: r_text(rs, nd, ind); break;
		case MK_VAR:
		case MK_RAW: r_var(rs, nd); break;
		case MK_SECTION:
		case MK_INVERTED: rc = r_section(rs, nd, ind); break;
		case MK_PARTIAL: rc = r_partial(rs, nd, ind); break;
		default: rc = ERR_INTERNAL; break;
		}
		if (rc)
			return rc;
	}
	return rs->out->err;
}

int mustache_render(const struct mustache *t, json_t *ctx, const struct mustache_env *env,
		    struct buf *out)
{
	struct rstate rs = {.env = env, .out = out}; /* 2 KiB of context stack */
	if (ctx)
		rs.st[rs.depth++] = (struct frame){.v = ctx};
	int rc = r_nodes(&rs, t->nodes, t->n, NULL);
	return rc ? rc : out->err;
}
