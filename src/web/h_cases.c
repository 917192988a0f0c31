/* h_cases.c: the cases module's routes and handlers. */
#include "web/handlers.h"
#include "web/web.h"

const struct route routes_cases[1] = {{0}};
const size_t routes_cases_n = 0;
