/* i18n.h: message catalogues (GNU .po files) for "en" and "da".
 *
 * Keys are dotted ids ("nav.home"); the English msgstr is the English
 * text. For a language L the catalogue is locale/L.po followed by every
 * locale/SUBDIR/L.po (subdirectories in name order); a key defined twice is
 * an error. An empty msgstr counts as untranslated (as in gettext), and so
 * do entries marked "#, fuzzy".
 *
 * A loaded catalogue is immutable: share it read-only across threads.
 * Look-up is a binary search over a sorted array. */
#ifndef IBBIS_VIEW_I18N_H
#define IBBIS_VIEW_I18N_H

#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/i18n_key.h" /* N_() */

#define I18N_DEFAULT_LANG "en"

struct i18n; /* opaque */

/* From the files compiled into the binary (src/base/embed.h). */
int i18n_load_embedded(struct i18n **out); /* caller frees with i18n_free */
/* From dir/L.po and dir/SUBDIR/L.po on disk (tests, tools). */
int i18n_load_dir(const char *dir, struct i18n **out); /* caller frees */
void i18n_free(struct i18n *cat);                       /* NULL is fine */

/* True for the languages we serve: "en", "da". */
int i18n_supported(const char *lang);
/* Number of keys in a language's catalogue; 0 for an unknown language. */
size_t i18n_count(const struct i18n *cat, const char *lang);
/* The i-th key in sorted order (i < i18n_count), static to the catalogue. */
const char *i18n_key_at(const struct i18n *cat, const char *lang, size_t i);

/* The text, or NULL when the language or key is missing. Borrowed from cat. */
const char *i18n_get(const struct i18n *cat, const char *lang, const char *key);
/* Like i18n_get, falling back to English and then to the key itself. */
const char *i18n_text(const struct i18n *cat, const char *lang, const char *key);

/* "en" or "da" (static) from an Accept-Language header by q-value; "en"
 * when nothing acceptable is offered or the header is NULL. */
const char *i18n_negotiate(const char *accept_language);

/* "1 June 2016" (en) or "1. juni 2016" (da); other languages get English. */
int i18n_format_date(const char *lang, day_t d, struct buf *out);
/* The same into dst (NUL-terminated); ERR_TOO_LARGE when it does not fit. */
int i18n_date_str(const char *lang, day_t d, char *dst, size_t dstsz);

/* i18n_text(key) with "{name}" / "{a.b}" placeholders filled from params
 * (borrowed; may be NULL). Strings that are YYYY-MM-DD dates are written in
 * the language's long form; numbers as numbers. A placeholder with no value
 * is left as written. Plain text: the caller escapes it for HTML. */
int i18n_format(const struct i18n *cat, const char *lang, const char *key, json_t *params,
		struct buf *out);

/* For struct mustache_env: translate_user is a struct i18n_binding. */
struct i18n_binding {
	const struct i18n *cat; /* borrowed */
	const char *lang;       /* borrowed */
};
const char *i18n_hook_text(void *binding, const char *key);
int i18n_hook_date(void *binding, day_t d, char *dst, size_t dstsz);

#endif
