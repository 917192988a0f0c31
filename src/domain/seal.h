/* seal.h: encryption at rest for confidential text (clinical, private),
 * with libsodium's secretbox (XSalsa20-Poly1305). The key lives in a key
 * file outside the database (DESIGN.md section 4).
 *
 * A sealed value is nonce (24 bytes) || ciphertext+MAC, stored as a BLOB. */
#ifndef IBBIS_SEAL_H
#define IBBIS_SEAL_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

#define SEAL_KEY_BYTES 32
#define SEAL_OVERHEAD (24 + 16)

/* Loads the key (SEAL_KEY_BYTES raw bytes, or 64 hex characters and a
 * newline) from path. The process keeps one key. 0, ERR_IO (no file),
 * ERR_INVALID (wrong size or mode wider than 0600). */
int seal_load_key(const char *path);
/* Writes a new random key file with mode 0600; ERR_CONFLICT if it exists. */
int seal_keygen(const char *path);
/* Whether a key is loaded. */
bool seal_ready(void);
/* Sets the key directly (tests). */
void seal_set_key(const unsigned char key[SEAL_KEY_BYTES]);

/* Encrypts n bytes of text; *out (arena) holds *outlen bytes.
 * ERR_UNAVAILABLE when no key is loaded. */
int seal_encrypt(struct arena *a, const char *text, size_t n, unsigned char **out,
		 size_t *outlen);
/* Decrypts into a NUL-terminated arena string. ERR_INVALID when the value
 * was tampered with or sealed with another key. */
int seal_decrypt(struct arena *a, const void *sealed, size_t n, char **out);

#endif
