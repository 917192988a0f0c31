/* token.h: random secrets handed to a browser or a calendar (session
 * cookies, activation links, feed URLs, form tokens) and the hash that is
 * stored in their place, so a copy of the database opens nothing. */
#ifndef IBBIS_TOKEN_H
#define IBBIS_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_HASH_HEX 65 /* BLAKE2b-256 as lower-case hex, NUL */

/* bytes (at most 64) random bytes as lower-case hex into out
 * (2 * bytes + 1 chars). */
void token_random_hex(char *out, size_t bytes);
/* t is exactly len lower-case hex digits (what token_random_hex makes). */
bool token_is_hex(const char *t, size_t len);
/* The stored form of a token: hex BLAKE2b-256 of its text. */
void token_hash(const char *token, char out[TOKEN_HASH_HEX]);

#endif
