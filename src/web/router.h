/* router.h: method + path pattern -> handler, with {name} parameters.
 *
 * Patterns are literal segments and {name} segments: "/cases/{id}/notes".
 * A HEAD request matches GET routes. */
#ifndef IBBIS_ROUTER_H
#define IBBIS_ROUTER_H

#include <stddef.h>

#include "base/arena.h"
#include "http/http.h"

#define ROUTE_MAX_PARAMS 4

struct web_ctx;
typedef int (*web_handler_fn)(struct web_ctx *c);

/* What a route needs before its handler runs. */
enum route_access {
	ROUTE_PUBLIC,  /* anyone */
	ROUTE_SESSION, /* a logged-in actor */
	ROUTE_CASE,    /* a logged-in actor; the handler asks policy_check per item */
};

struct route {
	enum http_method method;
	const char *pattern;
	web_handler_fn fn;
	enum route_access access;
	const char *policy; /* the category the route touches ("core", "clinical"...), or NULL */
};

struct route_match {
	const struct route *route;
	int nparams;
	const char *names[ROUTE_MAX_PARAMS];  /* arena */
	const char *values[ROUTE_MAX_PARAMS]; /* arena */
};

/* 0 and *m on a match; ERR_METHOD with *allowed (a mask of enum http_method)
 * when the path matches under other methods; ERR_NOT_FOUND otherwise. */
int router_match(struct arena *a, const struct route *routes, size_t n, enum http_method method,
		 const char *path, struct route_match *m, unsigned *allowed);

const char *route_param(const struct route_match *m, const char *name); /* arena or NULL */

#endif
