/* http.h: the HTTP layer: libmicrohttpd glue, requests and responses.
 *
 * The server calls one handler per complete request (after the body is in).
 * Everything a request allocates comes from req->arena and is freed when the
 * response has been sent. */
#ifndef IBBIS_HTTP_H
#define IBBIS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"

#define HTTP_MAX_URL 8192            /* longer: 414 */
#define HTTP_MAX_HEADERS (32 * 1024) /* MHD's per-connection memory: 431 beyond */
#define HTTP_MAX_BODY (1024 * 1024)  /* larger: 413 */

enum http_method {
	HTTP_GET = 1,
	HTTP_HEAD = 2,
	HTTP_POST = 4,
	HTTP_PUT = 8,
	HTTP_PATCH = 16,
	HTTP_DELETE = 32,
	HTTP_OPTIONS = 64,
	HTTP_OTHER = 128,
};

struct http_header {
	const char *name;  /* arena or static */
	const char *value; /* arena or static */
};

struct http_request {
	struct arena *arena;   /* borrowed: the request's arena */
	enum http_method method;
	const char *method_str; /* borrowed from MHD */
	const char *path;       /* arena: decoded path, no query */
	const char *query;      /* arena: raw query string without '?', "" if none */
	const char *body;       /* heap (owned by the server), NUL-terminated; "" if none */
	size_t body_len;
	const char *client_ip;  /* arena */
	void *conn;             /* borrowed: struct MHD_Connection */
	int limit_err;          /* 0, ERR_TOO_LARGE (body), ERR_URI_TOO_LONG or
				 * ERR_INVALID (a NUL in the path): the handler
				 * answers it in the client's representation */
};

struct http_response {
	int status;
	const char *content_type; /* static or arena */
	char *body;               /* see body_owned */
	size_t body_len;
	bool body_owned;          /* true: heap, freed by the server; false: static/cached */
	struct http_header headers[16];
	int nheaders;
	uint64_t hold; /* nonzero: send only once opts.hold says this ticket is done */
};

/* Called once per complete request; fills resp. Must not fail: errors are
 * turned into responses by the caller (web layer). */
typedef void (*http_handler_fn)(void *ud, struct http_request *req, struct http_response *resp);

struct http_server_opts {
	const char *listen; /* "127.0.0.1:8080" */
	/* The reverse proxy's address (IPv4 or IPv6), or NULL: requests from it
	 * take the client's address from the last X-Forwarded-For entry. */
	const char *trusted_proxy;
	unsigned workers;   /* thread pool size */
	http_handler_fn handler;
	void *handler_ud;
	bool access_log;
	/* An answer with resp->hold set is kept, its connection suspended (no
	 * worker thread waits), until hold calls wake(arg, rc) (any thread).
	 * rc 0 sends it; any other rc sends a plain 503 (in English and
	 * Danish, with Retry-After) instead: what it would disclose is not
	 * logged. */
	void (*hold)(uint64_t ticket, void (*wake)(void *arg, int rc), void *arg);
};

struct http_server;

int http_server_start(const struct http_server_opts *o, struct http_server **out);
/* Stop accepting, wait (up to grace_ms) for requests in flight, stop. */
void http_server_stop(struct http_server *s, int grace_ms);

/* Header look-up on the live request (case-insensitive). NULL if absent. */
const char *http_header(const struct http_request *req, const char *name); /* borrowed */
const char *http_cookie(const struct http_request *req, const char *name); /* borrowed */

/* Response helpers. Header names/values must outlive the response: static or
 * the request arena. */
void http_resp_header(struct http_response *r, const char *name, const char *value);
/* Takes ownership of heap memory p (malloc'ed), len bytes. */
void http_resp_take(struct http_response *r, int status, const char *ctype, char *p, size_t len);
/* Points at memory that outlives the response (static or a cache). */
void http_resp_static(struct http_response *r, int status, const char *ctype, const char *p,
		      size_t len);

/* Room for an address as text, NUL included (INET6_ADDRSTRLEN). */
#define HTTP_IP_MAX 46
/* The address in text[0..len) written canonically (inet_ntop) into out;
 * ERR_INVALID when it is no IPv4 or IPv6 address. */
int http_ip_canonical(const char *text, size_t len, char out[HTTP_IP_MAX]);

enum http_method http_method_parse(const char *m);
/* "GET, POST" for a bit set; arena */
const char *http_methods_str(struct arena *a, unsigned mask);

#endif
