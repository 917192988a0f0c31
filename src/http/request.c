/* request.c: request look-ups and response helpers. */
#include "http/http.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *http_header(const struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

void http_resp_header(struct http_response *r, const char *name, const char *value)
{
	if (r->nheaders >= (int)(sizeof r->headers / sizeof r->headers[0]))
		abort(); /* a programming error: raise the table size */
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = value;
	r->nheaders++;
}

static void resp_drop_body(struct http_response *r)
{
	if (r->body_owned)
		free(r->body);
	r->body = NULL;
	r->body_owned = false;
}

void http_resp_take(struct http_response *r, int status, const char *ctype, char *p, size_t len)
{
	resp_drop_body(r);
	r->status = status;
	r->content_type = ctype;
	r->body = p;
	r->body_len = len;
	r->body_owned = true;
}

void http_resp_static(struct http_response *r, int status, const char *ctype, const char *p,
		      size_t len)
{
	resp_drop_body(r);
	r->status = status;
	r->content_type = ctype;
	r->body = (char *)p;
	r->body_len = len;
	r->body_owned = false;
}

enum http_method http_method_parse(const char *m)
{
	static const struct {
		const char *name;
		enum http_method m;
	} map[] = {{"GET", HTTP_GET},       {"HEAD", HTTP_HEAD},     {"POST", HTTP_POST},
		   {"PUT", HTTP_PUT},       {"PATCH", HTTP_PATCH},   {"DELETE", HTTP_DELETE},
		   {"OPTIONS", HTTP_OPTIONS}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(m, map[i].name) == 0)
			return map[i].m;
	return HTTP_OTHER;
}

const char *http_methods_str(struct arena *a, unsigned mask)
{
	static const char *names[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
	struct buf b;
	buf_init(&b, 256);
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		buf_puts(&b, names[i]);
	}
	char *s = arena_strndup(a, b.data, b.len);
	buf_release(&b);
	return s;
}
