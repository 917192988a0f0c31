/* fuzz_mustache.c: compiles arbitrary bytes as a template and renders it
 * against a fixed context, with partials (the template itself, so that
 * recursion is exercised) and a t. hook. Compile errors are fine; crashes,
 * leaks and sanitizer reports are not. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/str.h"
#include "view/mustache.h"

static const char ctx_json[] =
	"{\"name\": \"<b>Anna & 'Bo'</b>\", \"n\": 42, \"pi\": 3.25, \"yes\": true,"
	" \"no\": false, \"none\": null, \"empty\": [], \"date\": \"2016-06-01\","
	" \"list\": [1, \"two\", {\"name\": \"three\", \"list\": [[], [1]]}],"
	" \"a\": {\"b\": {\"c\": \"deep\"}}, \"t\": \"not a key\"}";

static const struct mustache *self_partial(void *user, const char *name)
{
	return strcmp(name, "self") == 0 ? user : NULL;
}

static const char *translate(void *user, const char *key)
{
	if (strcmp(key, "x") == 0)
		return "Hi {name}, {date} {a.b.c} {missing} {";
	return key[0] == 'y' ? "<y>" : NULL;
}

static int format_date(void *user, day_t d, char *dst, size_t dstsz)
{
	return str_fmt(dst, dstsz, "day %d", (int)d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *ctx; /* built once; never freed (process lifetime) */
	if (!ctx)
		ctx = json_loads(ctx_json, 0, NULL);
	struct mustache *t;
	char err[200];
	if (mustache_compile((const char *)data, size, &t, err, sizeof err) != 0)
		return 0;
	struct mustache_env env = {.partial = self_partial, .partial_user = t,
				   .translate = translate, .format_date = format_date};
	struct buf out;
	buf_init(&out, (size_t)1 << 20); /* recursion may blow up: cap it */
	mustache_render(t, ctx, &env, &out);
	mustache_render(t, NULL, NULL, &out);
	buf_release(&out);
	mustache_free(t);
	return 0;
}
