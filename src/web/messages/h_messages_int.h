/* h_messages_int.h: what the messages module's handlers share. */
#ifndef IBBIS_H_MESSAGES_INT_H
#define IBBIS_H_MESSAGES_INT_H

#include <stdint.h>

#include <jansson.h>

struct web_ctx;

int h_outbox(struct web_ctx *c);
int h_notifications_get(struct web_ctx *c);
int h_notifications_set(struct web_ctx *c);
int h_reset_page(struct web_ctx *c);
int h_reset_request(struct web_ctx *c);
int h_reset_link(struct web_ctx *c);
int h_reset_set(struct web_ctx *c);

json_t *msg_iso_time(int64_t t); /* new reference; null for 0 */

#endif
