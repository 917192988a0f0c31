/* h_plans.c: the plans module's routes and handlers. */
#include "web/handlers.h"
#include "web/web.h"

const struct route routes_plans[1] = {{0}};
const size_t routes_plans_n = 0;
