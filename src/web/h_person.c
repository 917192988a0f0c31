/* h_person.c: the person module's routes and handlers. */
#include "web/handlers.h"
#include "web/web.h"

const struct route routes_person[1] = {{0}};
const size_t routes_person_n = 0;
