/* account_prefs.h: per-user settings. */
#ifndef IBBIS_ACCOUNT_PREFS_H
#define IBBIS_ACCOUNT_PREFS_H

#include <stdint.h>

struct store_conn;

/* lang is "en" or "da" (ERR_INVALID otherwise). */
int account_set_language(struct store_conn *c, int64_t user_id, const char *lang);

#endif
