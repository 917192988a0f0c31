/* h_trust.c: the trust module's routes and handlers. */
#include "web/handlers.h"
#include "web/web.h"

const struct route routes_trust[1] = {{0}};
const size_t routes_trust_n = 0;
