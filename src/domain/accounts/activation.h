/* activation.h: the service user's one-time activation link.
 *
 * The token is 32 random bytes as 64 hex digits; only its BLAKE2b-256 hash
 * (hex) is stored, in the activations table. A link is valid for 14 days
 * and once. A new link for a person revokes (deletes) their older unused
 * ones. Call these outside a transaction: they open their own, and setting
 * the password hashes it (argon2id) before the transaction starts. */
#ifndef IBBIS_ACTIVATION_H
#define IBBIS_ACTIVATION_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct store_conn;

#define ACTIVATION_TOKEN_BYTES 32
#define ACTIVATION_TOKEN_HEX (ACTIVATION_TOKEN_BYTES * 2 + 1)
#define ACTIVATION_TTL (14 * 24 * 3600)

/* What person_create stores until the person sets a password: no argon2
 * hash, so no password matches it. */
#define ACTIVATION_NO_PASSWORD "!"

/* Whether the account has ever had a password set (*set). */
int activation_password_set(struct store_conn *c, int64_t user_id, bool *set);

/* A new link for user_id; token for the URL, *expires_at unix seconds.
 * ERR_CONFLICT once the account has a password: staff never get a
 * credential for an activated account (the person resets their own). */
int activation_create(struct store_conn *c, int64_t user_id, int64_t by, int64_t now,
		      char token[ACTIVATION_TOKEN_HEX], int64_t *expires_at);

enum activation_state {
	ACTIVATION_VALID,
	ACTIVATION_UNKNOWN, /* malformed, never issued, or revoked by a newer link */
	ACTIVATION_USED,
	ACTIVATION_EXPIRED,
};

/* The state of a token and, when it exists, its account's username (arena). */
int activation_check(struct store_conn *c, const char *token, int64_t now, struct arena *a,
		     enum activation_state *state, const char **username);

/* Sets the password (checked with account_password_check: ERR_INVALID) and
 * marks the token used, in one transaction; the person's sessions end.
 * ERR_NOT_FOUND for an unknown token, ERR_CONFLICT for a used or expired
 * one (*state says which). */
int activation_use(struct store_conn *c, const char *token, const char *password, int64_t now,
		   struct arena *a, enum activation_state *state, const char **username);

/* account_set_password: replaces a user's password hash (in the caller's
 * write transaction). hash: from account_password_hash. */
int activation_set_password(struct store_conn *c, int64_t user_id, const char *hash);

#endif
