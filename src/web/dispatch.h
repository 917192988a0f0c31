/* dispatch.h: the request handler given to the HTTP server: static files,
 * routing (web/routes.c), the session (web/accounts/auth.h), CSRF, then the
 * handler, then the answer as JSON or as a page (web/web.h). */
#ifndef IBBIS_WEB_DISPATCH_H
#define IBBIS_WEB_DISPATCH_H

#include "http/http.h"

/* ud is the struct web_app (web/web.h). */
void web_handle(void *ud, struct http_request *req, struct http_response *resp);

#endif
