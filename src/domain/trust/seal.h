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
struct store;
struct store_conn;

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

/* The key file for a database: key_file_or_null when given, else
 * $IBBIS_KEY_FILE, else the SQLite path + ".key" (./ibbis.key for a
 * postgres:// URL). ERR_TOO_LARGE when it does not fit in out. */
int seal_key_path(const char *db_url, const char *key_file_or_null, char *out, size_t outsz);

/* Whether the database already holds sealed text (notes, assessments,
 * agenda items). */
int seal_has_encrypted_data(struct store_conn *c, bool *out);

/* The hex check value's size with its NUL (key_check.mac). */
#define SEAL_CHECK_HEX 65

/* Writes the loaded key's check value to key_check (inserted or replaced),
 * in the caller's transaction if it has one: rekey calls it with the new
 * key loaded. 0, ERR_UNAVAILABLE without a key, or a store error. */
int seal_key_check_store(struct store_conn *c);

/* Loads the key for a database at start (before any worker thread):
 *  - the key file exists: loads it (ERR_INVALID when it is malformed or its
 *    mode is wider than 0600);
 *  - it does not, and the database holds sealed text: ERR_NOT_FOUND, with a
 *    message naming the key file (serve must refuse to start);
 *  - it does not, and there is no sealed text: creates it (mode 0600) when
 *    create_if_missing, else returns 0 with no key (sealing then answers
 *    ERR_UNAVAILABLE).
 * Messages go to the log (stderr). */
int seal_setup(struct store *s, const char *db_url, const char *key_file_or_null,
	       bool create_if_missing);

#endif
