/* negotiate.h: content negotiation on the Accept header. Pure. */
#ifndef IBBIS_NEGOTIATE_H
#define IBBIS_NEGOTIATE_H

#include <stdbool.h>

/* True when accept prefers application/json to text/html (a missing header,
 * or a tie, means HTML: what a browser expects). */
bool negotiate_prefers_json(const char *accept);

#endif
