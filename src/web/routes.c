/* routes.c: the route table. Every route declares what access it needs;
 * routes that touch case data declare the category they touch, and their
 * handlers ask policy_check (tests walk this table). */
#include "web/handlers.h"
#include "web/auth.h"
#include "web/web.h"

const struct route web_routes[] = {
	{HTTP_GET, "/healthz", h_healthz, ROUTE_PUBLIC, NULL},
	{HTTP_GET, "/", h_home, ROUTE_SESSION, NULL},
	{HTTP_GET, "/login", auth_login_page, ROUTE_PUBLIC, NULL},
	{HTTP_POST, "/login", auth_login, ROUTE_PUBLIC, NULL},
	{HTTP_POST, "/logout", auth_logout, ROUTE_SESSION, NULL},
	{HTTP_GET, "/me", auth_me, ROUTE_SESSION, NULL},
	{HTTP_GET, "/__test/slow", h_test_slow, ROUTE_PUBLIC, NULL},
};
const size_t web_nroutes = sizeof web_routes / sizeof web_routes[0];
