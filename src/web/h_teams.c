/* h_teams.c: the teams module's routes and handlers. */
#include "web/handlers.h"
#include "web/web.h"

const struct route routes_teams[1] = {{0}};
const size_t routes_teams_n = 0;
