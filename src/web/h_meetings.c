/* h_meetings.c: the meetings module's routes and handlers. */
#include "web/handlers.h"
#include "web/web.h"

const struct route routes_meetings[1] = {{0}};
const size_t routes_meetings_n = 0;
