/* prefs.h: what a user wants to be told, and their own e-mail address. */
#ifndef IBBIS_PREFS_H
#define IBBIS_PREFS_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct store_conn;

struct prefs {
	const char *email; /* arena; NULL when none */
	bool meetings, reminders, digest, decisions;
};

int prefs_get(struct store_conn *c, int64_t user_id, struct arena *a, struct prefs *out);
/* Writes all of p (email NULL or "" removes the address) in the caller's
 * write transaction. ERR_INVALID for an address outbox_email_ok refuses. */
int prefs_set(struct store_conn *c, int64_t user_id, const struct prefs *p);
/* Only the address (the referral's). */
int prefs_set_email(struct store_conn *c, int64_t user_id, const char *email);

#endif
