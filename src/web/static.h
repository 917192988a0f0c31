/* static.h: static files under /static/, cached in memory with ETag and a
 * gzip variant. Files are read once; a deployment's assets do not change
 * while it runs (restart to pick up new ones). */
#ifndef IBBIS_STATIC_H
#define IBBIS_STATIC_H

#include "http/http.h"

/* Mount dir (a folder on disk) under the URL prefix ("/static/dkfds/").
 * Longer prefixes win. Call before serving; not thread-safe. */
int static_mount(const char *prefix, const char *dir);
/* Serves path if it is under a mount: returns 0 with resp filled (200, 304,
 * or 404 when the file is missing); ERR_NOT_FOUND when no mount matches. */
int static_serve(const struct http_request *req, struct http_response *resp);
void static_free(void);

#endif
