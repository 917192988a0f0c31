/* auth.h: who is asking. Session cookie -> actor, login, logout, /me.
 * The only file of the web layer that knows session internals. */
#ifndef IBBIS_WEB_AUTH_H
#define IBBIS_WEB_AUTH_H

#include <stdbool.h>

#include <jansson.h>

struct web_ctx;

#define AUTH_SESSION_COOKIE "ibbis_session"
#define AUTH_PRELOGIN_COOKIE "ibbis_login_csrf"

/* Loads the actor from the session cookie, if any and still valid. 0 also
 * when there is no valid session; an error when the database failed. */
int auth_load(struct web_ctx *c);
/* The actor's chosen language, or NULL. static */
const char *auth_actor_language(struct web_ctx *c);
/* Stores lang as the actor's setting (when logged in). */
void auth_remember_language(struct web_ctx *c, const char *lang);
/* Constant-time comparison of two tokens. */
bool auth_token_equal(const char *a, const char *b);
/* The layout's view of the request: user, csrf token, language links. */
json_t *auth_page_info(struct web_ctx *c); /* new reference */

int auth_login_page(struct web_ctx *c);
int auth_login(struct web_ctx *c);
int auth_logout(struct web_ctx *c);
int auth_me(struct web_ctx *c);

#endif
