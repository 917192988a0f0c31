/* server.c: libmicrohttpd glue.
 *
 * Why two phases: queuing a response on the first call of the access
 * handler makes MHD answer "Connection: close" (DESIGN.md section 7), so the
 * first call only sets up the request and the response is queued once the
 * body is complete. The request context is created in the URI-log callback,
 * which sees the raw URI (we need the raw query string and its length). */
#include "http/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "base/str.h"

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_server_opts opts;
	atomic_int inflight; /* requests between URI log and completion */
	char trusted_proxy[HTTP_IP_MAX]; /* canonical; "" for none */
};

struct req_ctx {
	struct arena arena;
	struct http_request req;
	struct buf body;
	struct timespec start;
	const char *raw_uri; /* arena */
	bool started;        /* the access handler has been called once */
	bool too_large;      /* body passed HTTP_MAX_BODY */
	int status;
	size_t bytes;
	struct MHD_Response *held; /* owned: the answer, waiting for opts.hold */
	int hold_rc;               /* what opts.hold said: nonzero, send 503 instead */
	struct MHD_Connection *conn;
};

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_server *s = cls;
	struct req_ctx *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	arena_init(&c->arena);
	buf_init(&c->body, HTTP_MAX_BODY);
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	c->raw_uri = arena_strdup(&c->arena, uri ? uri : "");
	atomic_fetch_add(&s->inflight, 1);
	return c;
}

static double elapsed_us(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e6 +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e3;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct req_ctx *c = *con_cls;
	if (!c)
		return;
	if (s->opts.access_log)
		log_msg(LOG_INFO, "%s %s %d %zu %.0fus client=%s",
			c->req.method_str ? c->req.method_str : "-",
			c->req.path ? c->req.path : c->raw_uri, c->status, c->bytes,
			elapsed_us(&c->start), c->req.client_ip ? c->req.client_ip : "-");
	if (c->held)
		MHD_destroy_response(c->held);
	buf_release(&c->body);
	arena_release(&c->arena);
	free(c);
	*con_cls = NULL;
	atomic_fetch_sub(&s->inflight, 1);
}

int http_ip_canonical(const char *text, size_t len, char out[HTTP_IP_MAX])
{
	char in[HTTP_IP_MAX];
	unsigned char bin[sizeof(struct in6_addr)];
	if (len == 0 || len >= sizeof in)
		return ERR_INVALID;
	memcpy(in, text, len);
	in[len] = '\0';
	if (inet_pton(AF_INET, in, bin) == 1)
		return inet_ntop(AF_INET, bin, out, HTTP_IP_MAX) ? 0 : ERR_INVALID;
	if (inet_pton(AF_INET6, in, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, HTTP_IP_MAX) ? 0 : ERR_INVALID;
	return ERR_INVALID;
}

/* The address the proxy appended: the last entry of X-Forwarded-For. The
 * entries before it come from the client and prove nothing. */
static bool forwarded_for(struct MHD_Connection *conn, char out[HTTP_IP_MAX])
{
	const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return false;
	const char *end = xff + strlen(xff);
	while (end > xff && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	const char *start = end;
	while (start > xff && start[-1] != ',')
		start--;
	while (start < end && (*start == ' ' || *start == '\t'))
		start++;
	return http_ip_canonical(start, (size_t)(end - start), out) == 0;
}

/* The peer's address; behind the trusted proxy, the client's address as
 * the proxy gives it in X-Forwarded-For. Only that peer is believed:
 * anyone else could write the header. */
static const char *client_ip(const struct http_server *s, struct MHD_Connection *conn,
			     struct arena *a)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char ip[HTTP_IP_MAX] = "-";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip,
				  sizeof ip);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip,
				  sizeof ip);
	}
	char fwd[HTTP_IP_MAX];
	if (s->trusted_proxy[0] && strcmp(ip, s->trusted_proxy) == 0 && forwarded_for(conn, fwd))
		return arena_strdup(a, fwd);
	return arena_strdup(a, ip);
}

static void fill_request(const struct http_server *s, struct req_ctx *c,
			 struct MHD_Connection *conn, const char *url, const char *method)
{
	struct http_request *r = &c->req;
	r->arena = &c->arena;
	r->conn = conn;
	r->method_str = method;
	r->method = http_method_parse(method);
	r->path = arena_strdup(&c->arena, url);
	const char *q = strchr(c->raw_uri, '?');
	r->query = q ? q + 1 : "";
	r->body = c->body.data;
	r->body_len = c->body.len;
	r->client_ip = client_ip(s, conn, &c->arena);
}

static struct MHD_Response *build(struct req_ctx *c, struct http_response *resp)
{
	struct MHD_Response *mr = MHD_create_response_from_buffer(
		resp->body_len, resp->body,
		resp->body_owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!mr)
		return NULL;
	if (resp->content_type)
		MHD_add_response_header(mr, "Content-Type", resp->content_type);
	for (int i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(mr, resp->headers[i].name, resp->headers[i].value);
	/* The pages need no script and no one else's resources; nothing may
	 * frame them (clickjacking), and no address leaves with a referrer. */
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "Content-Security-Policy",
				"default-src 'self'; script-src 'self'; style-src 'self' "
				"'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
				"base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(mr, "X-Frame-Options", "DENY");
	MHD_add_response_header(mr, "Referrer-Policy", "same-origin");
	c->status = resp->status;
	c->bytes = resp->body_len;
	return mr;
}

static enum MHD_Result send_response(struct req_ctx *c, struct MHD_Connection *conn,
				     struct MHD_Response *mr)
{
	enum MHD_Result rc = MHD_queue_response(conn, (unsigned)c->status, mr);
	MHD_destroy_response(mr);
	return rc;
}

static void wake(void *arg, int rc)
{
	struct req_ctx *c = arg;
	c->hold_rc = rc;
	MHD_resume_connection(c->conn); /* MHD calls on_request again */
}

/* Instead of a held answer whose audit entries could not be written: plain
 * text in both languages, since the request's language is the web layer's
 * and the answer it built is not sent. */
static const char unavailable_text[] =
	"The service is temporarily unavailable: the audit log cannot be written "
	"just now, so nothing was shown. Please try again in a moment.\n"
	"Tjenesten er midlertidigt utilgængelig: adgangsloggen kan ikke skrives lige "
	"nu, så intet blev vist. Prøv igen om lidt.\n";

static struct MHD_Response *unavailable(struct req_ctx *c)
{
	struct http_response resp = {
		.status = 503,
		.content_type = "text/plain; charset=utf-8",
		.body = (char *)unavailable_text,
		.body_len = sizeof unavailable_text - 1,
		.headers = {{"Retry-After", "5"}, {"Cache-Control", "no-store"}},
		.nheaders = 2,
	};
	return build(c, &resp);
}

/* A declared Content-Length over HTTP_MAX_BODY. An unparsable one is left
 * to MHD, which refuses it itself. */
static bool declared_too_large(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	if (!cl || !*cl)
		return false;
	unsigned long long n = 0;
	for (const char *p = cl; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		if (n > HTTP_MAX_BODY)
			return true; /* and stays so, without overflowing */
		n = n * 10 + (unsigned long long)(*p - '0');
	}
	return n > HTTP_MAX_BODY;
}

/* An encoded NUL (%00) in the path: the decoded path would end there, so a
 * handler would see another address than the one asked for. */
static bool path_has_nul(const char *raw_uri)
{
	for (const char *p = raw_uri; *p && *p != '?'; p++)
		if (p[0] == '%' && p[1] == '0' && p[2] == '0')
			return true;
	return false;
}

/* Runs the handler on the request as it stands and sends (or holds) its
 * answer. */
static enum MHD_Result answer(struct http_server *s, struct req_ctx *c,
			      struct MHD_Connection *conn, const char *url, const char *method)
{
	fill_request(s, c, conn, url, method);
	struct http_response resp = {.status = 500};
	if (strlen(c->raw_uri) > HTTP_MAX_URL)
		c->req.limit_err = ERR_URI_TOO_LONG;
	else if (path_has_nul(c->raw_uri))
		c->req.limit_err = ERR_INVALID;
	else if (c->too_large)
		c->req.limit_err = ERR_TOO_LARGE;
	s->opts.handler(s->opts.handler_ud, &c->req, &resp);
	if (!resp.body && resp.body_len == 0) {
		resp.body = "";
		resp.body_owned = false;
	}
	struct MHD_Response *mr = build(c, &resp);
	if (!mr)
		return MHD_NO;
	if (resp.hold && s->opts.hold) {
		c->held = mr;
		c->conn = conn;
		MHD_suspend_connection(conn); /* before the wake can come */
		s->opts.hold(resp.hold, wake, c);
		return MHD_YES;
	}
	return send_response(c, conn, mr);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct http_server *s = cls;
	struct req_ctx *c = *con_cls;
	if (!c)
		return MHD_NO;
	if (!c->started) {
		c->started = true;
		/* A body declared too large is refused before a byte of it is
		 * read: answering now also means no "100 Continue" is sent to a
		 * client that asked with Expect: 100-continue. MHD then closes
		 * the connection, which is right for a body we will not read. */
		if (declared_too_large(conn)) {
			c->too_large = true;
			return answer(s, c, conn, url, method);
		}
		return MHD_YES;
	}
	if (c->held) { /* resumed: the answer's audit entries are committed */
		struct MHD_Response *mr = c->held;
		c->held = NULL;
		if (c->hold_rc) { /* or could not be: the answer is not sent */
			MHD_destroy_response(mr);
			mr = unavailable(c);
			if (!mr)
				return MHD_NO;
		}
		return send_response(c, conn, mr);
	}
	if (*upload_data_size) {
		if (!c->too_large && buf_append(&c->body, upload_data, *upload_data_size))
			c->too_large = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	return answer(s, c, conn, url, method);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen)
		return ERR_INVALID;
	char host[64];
	size_t hl = (size_t)(colon - listen);
	if (hl >= sizeof host)
		return ERR_INVALID;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	long port;
	if (str_to_long(colon + 1, 0, 65535, &port))
		return ERR_INVALID;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		str_copy(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return ERR_INVALID;
	return 0;
}

int http_server_start(const struct http_server_opts *o, struct http_server **out)
{
	struct sockaddr_in sa;
	if (parse_listen(o->listen, &sa)) {
		log_error("listen: '%s' is not HOST:PORT with an IPv4 address", o->listen);
		return ERR_INVALID;
	}
	struct http_server *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->opts = *o;
	if (o->trusted_proxy && o->trusted_proxy[0] &&
	    http_ip_canonical(o->trusted_proxy, strlen(o->trusted_proxy), s->trusted_proxy)) {
		log_error("trusted proxy: '%s' is not an IPv4 or IPv6 address", o->trusted_proxy);
		free(s);
		return ERR_INVALID;
	}
	atomic_init(&s->inflight, 0);
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ITC |
			 MHD_ALLOW_SUSPEND_RESUME;
	s->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->workers ? o->workers : 1),
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MAX_HEADERS,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)30, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
		s, MHD_OPTION_END);
	if (!s->daemon) {
		log_error("cannot listen on %s (in use, or not a local address?)", o->listen);
		free(s);
		return ERR_IO;
	}
	*out = s;
	return 0;
}

void http_server_stop(struct http_server *s, int grace_ms)
{
	if (!s)
		return;
	MHD_quiesce_daemon(s->daemon); /* stop accepting; close the listen socket */
	for (int waited = 0; waited < grace_ms && atomic_load(&s->inflight) > 0; waited += 10)
		usleep(10 * 1000);
	MHD_stop_daemon(s->daemon);
	free(s);
}
