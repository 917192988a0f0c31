/* routes.c: the route table, assembled from one group per module. Every
 * route declares what access it needs; routes that touch case data
 * (ROUTE_CASE) name the category they touch, and their handlers go through
 * web/gate.h. A unit test walks this table. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "web/accounts/auth.h"
#include "web/handlers.h"
#include "web/web.h"

static const struct route routes_system[] = {
    {HTTP_GET, "/healthz", h_healthz, ROUTE_PUBLIC, NULL},
    {HTTP_GET, "/", h_home, ROUTE_SESSION, "staff_work,administration,core,clinical,joint"},
    {HTTP_GET, "/login", auth_login_page, ROUTE_PUBLIC, NULL},
    {HTTP_POST, "/login", auth_login, ROUTE_PUBLIC, NULL},
    {HTTP_POST, "/logout", auth_logout, ROUTE_SESSION, NULL},
    {HTTP_GET, "/me", auth_me, ROUTE_SESSION, NULL},
    {HTTP_GET, "/__test/slow", h_test_slow, ROUTE_PUBLIC, NULL},
    /* test-only (IBBIS_TEST_SLOW=1): asks what the path names; declares one */
    {HTTP_GET, "/__test/ask/{category}", h_test_ask, ROUTE_SESSION, "staff_work"},
};

#define GROUP(name)                                                                                \
	{                                                                                          \
		name, &name##_n                                                                    \
	}
static const size_t routes_system_n = sizeof routes_system / sizeof routes_system[0];

static const struct {
	const struct route *r;
	const size_t *n;
} groups[] = {
	GROUP(routes_system), GROUP(routes_teams),    GROUP(routes_cases), GROUP(routes_meetings),
	GROUP(routes_plans),  GROUP(routes_trust),    GROUP(routes_timeline),
	GROUP(routes_person),   GROUP(routes_day),
	GROUP(routes_insight),
	GROUP(routes_law),
	GROUP(routes_messages),
	GROUP(routes_research),
	GROUP(routes_research_qual),
	GROUP(routes_admin),
	GROUP(routes_admin_accounts),
	GROUP(routes_admin_log),
};

static struct route *table; /* owned; built once */
static size_t ntable;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
	size_t n = 0;
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
		n += *groups[g].n;
	table = calloc(n ? n : 1, sizeof *table);
	if (!table)
		abort();
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		memcpy(table + ntable, groups[g].r, *groups[g].n * sizeof *table);
		ntable += *groups[g].n;
	}
}

const struct route *web_route_table(size_t *n)
{
	pthread_once(&once, build);
	*n = ntable;
	return table;
}
