/* token.c: random secrets and their stored hashes (token.h). */
#include "domain/accounts/token.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void token_random_hex(char *out, size_t bytes)
{
	unsigned char raw[64];
	if (bytes > sizeof raw)
		abort(); /* a programming error: callers ask for 16 or 32 */
	randombytes_buf(raw, bytes);
	sodium_bin2hex(out, bytes * 2 + 1, raw, bytes);
	sodium_memzero(raw, bytes);
}

bool token_is_hex(const char *t, size_t len)
{
	if (!t || strlen(t) != len)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

void token_hash(const char *token, char out[TOKEN_HASH_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, TOKEN_HASH_HEX, h, sizeof h);
}
