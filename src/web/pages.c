/* pages.c: the layout around a page (templates live in view/view.c). */
#include "web/pages.h"

#include "view/view.h"

int pages_render(const struct view *v, const struct i18n *cat, const char *name,
		 const char *lang, json_t *model, struct buf *out)
{
	struct buf content;
	buf_init(&content, out->max);
	int rc = view_render(v, name, model, cat, lang, &content);
	if (!rc) {
		/* Our own rendering, so valid UTF-8: no second scan. */
		json_object_set_new(model, "content",
				    json_stringn_nocheck(content.data, content.len));
		rc = view_render(v, "layout", model, cat, lang, out);
		json_object_del(model, "content");
	}
	buf_release(&content);
	return rc;
}
