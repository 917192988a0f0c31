/* handlers.h: the handlers of the route table (web/h_*.c). */
#ifndef IBBIS_HANDLERS_H
#define IBBIS_HANDLERS_H

struct web_ctx;

int h_healthz(struct web_ctx *c);
int h_home(struct web_ctx *c);
int h_test_slow(struct web_ctx *c);

#endif
