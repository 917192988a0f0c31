/* h_form_int.h: a form that fails keeps what was typed (any module's
 * handlers, h_*.c). A page submitted without JavaScript that fails
 * validation (400, or 409) comes back as the same page with the message,
 * the named field marked invalid, and every value the user typed put back.
 * See docs/web.md, "A failed form keeps what was typed". */
#ifndef IBBIS_H_FORM_INT_H
#define IBBIS_H_FORM_INT_H

#include <stdbool.h>

#include <jansson.h>

struct web_ctx;

/* For an HTML answer to a failed form (c->err recorded by web_fail, 400 or
 * 409): adds to c->model
 *   "kept": {NAME: {"v":   {field: the typed text},
 *                   "is":  {field: {typed value: true}},   (select, radio, checkbox)
 *                   "bad": {each bad field: true},
 *                   "msg": {each bad field: its message}}}
 * from the parsed input, never csrf_token or a password. Templates write
 * {{kept.NAME.v.field}} and {{#kept.NAME.is.field.value}} selected{{/...}}.
 * Does nothing for JSON or for another error. */
void form_keep(struct web_ctx *c, const char *name);

/* Sets flag (true/false) on each object of list: true where its key (a
 * string or an integer) equals value. For options built in C ("selected",
 * "checked") and for one form among many on a page ("kept_here"). value
 * NULL marks none. */
void form_mark(json_t *list, const char *key, const char *value, const char *flag);

/* The typed value of field (a string), or NULL: for form_mark while the
 * page is built again. Never parses anything. borrowed */
const char *form_typed(struct web_ctx *c, const char *field);

/* The failed form's page again: when err is a validation error for an HTML
 * answer, rolls back, runs page() (the GET handler that shows the form) to
 * build the model, and calls form_keep(c, name). The error recorded before
 * stays the answer; if page() fails, the plain error page is shown. Returns
 * err, so a handler can `return form_again(c, rc, "name", page);`. */
int form_again(struct web_ctx *c, int err, const char *name, int (*page)(struct web_ctx *c));

/* A form shown without a session (activation, password reset) carries a
 * pre-session token against cross-site posts: 32 hex digits kept in the
 * cookie `cookie` for an hour and put in c->model as "form_csrf". A token
 * still in its cookie is used again, so a form shown after an error
 * matches. */
void form_pre_token(struct web_ctx *c, const char *cookie);
/* The posted csrf_token matches the cookie. A JSON body needs none: a
 * browser cannot send one cross-site without a preflight. */
bool form_pre_token_ok(struct web_ctx *c, const char *cookie);

#endif
