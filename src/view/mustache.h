/* mustache.h: the project's logic-less Mustache renderer over jansson values.
 *
 * Compile once, render many. mustache_compile parses a template into an
 * immutable tree; mustache_render walks it against a json_t context and
 * appends to a struct buf. Rendering never re-parses and allocates nothing
 * beyond the output buffer, so one compiled template may be shared
 * read-only by any number of threads.
 *
 * Supported (the public Mustache spec, minus lambdas): {{x}} (HTML-escapes
 * & < > " '), {{{x}}} and {{& x}}, dotted names, {{.}}, sections, inverted
 * sections, partials (with standalone indentation), comments, set
 * delimiters and the standalone-line rules.
 *
 * Falsy values: a missing name, false, null and the empty list. Everything
 * else (including "" and 0) is truthy.
 *
 * Names beginning with "t." are not looked up in the context: the rest of
 * the name is a message-catalogue key given to env->translate. In the text
 * that comes back, "{name}" or "{a.b}" placeholders are filled from the
 * context (as {{name}} would be); string values that are "YYYY-MM-DD" dates
 * go through env->format_date when it is set. */
#ifndef IBBIS_VIEW_MUSTACHE_H
#define IBBIS_VIEW_MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/date.h"

/* Nesting limits: a template nested deeper fails to compile; rendering
 * deeper (context frames or partials within partials) fails with
 * ERR_TOO_LARGE. Both keep hostile input from exhausting the stack. */
#define MUSTACHE_MAX_NEST 64
#define MUSTACHE_MAX_DEPTH 128
#define MUSTACHE_MAX_DELIM 16

struct mustache; /* opaque; immutable after mustache_compile */

struct mustache_env {
	/* Partial name -> compiled template, or NULL for "renders as empty".
	 * The returned template is borrowed and must outlive the render. */
	const struct mustache *(*partial)(void *user, const char *name);
	void *partial_user; /* borrowed */
	/* Catalogue key (without "t.") -> text, or NULL (renders as empty).
	 * The text is borrowed and must outlive the render. */
	const char *(*translate)(void *user, const char *key);
	/* A date found in a translated text's placeholder -> its long form in
	 * dst (NUL-terminated). 0 or a negative enum err. */
	int (*format_date)(void *user, day_t d, char *dst, size_t dstsz);
	void *translate_user; /* borrowed; given to translate and format_date */
};

/* Parses src[0..len) (need not be NUL-terminated). On success *out is a new
 * template (caller frees with mustache_free). On a parse error returns
 * ERR_INVALID, *out is NULL, and err (when not NULL) holds a message such
 * as "line 3: unclosed section 'items'". */
int mustache_compile(const char *src, size_t len, struct mustache **out, char *err,
		     size_t errsz);
void mustache_free(struct mustache *t); /* NULL is fine */

/* Appends the rendering of t against ctx (borrowed; may be NULL) to out.
 * env (borrowed) may be NULL: no partials, no translations.
 * Returns 0, ERR_TOO_LARGE (output over out->max, or nesting over
 * MUSTACHE_MAX_DEPTH). */
int mustache_render(const struct mustache *t, json_t *ctx, const struct mustache_env *env,
		    struct buf *out);

#endif
