/* seal.c: the key and secretbox. The key is process-wide state set once at
 * start (before worker threads) and only read afterwards. */
#include "domain/trust/seal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "store/store.h"

static unsigned char seal_key[SEAL_KEY_BYTES];
static bool seal_have_key;

void seal_set_key(const unsigned char key[SEAL_KEY_BYTES])
{
	memcpy(seal_key, key, SEAL_KEY_BYTES);
	seal_have_key = true;
	audit_set_key(key); /* the audit chain's MAC and checkpoint keys derive from it */
}

bool seal_ready(void)
{
	return seal_have_key;
}

int seal_load_key(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? ERR_NOT_FOUND : ERR_IO;
	struct stat st;
	char buf[130];
	ssize_t n = -1;
	if (fstat(fd, &st) == 0 && (st.st_mode & 077) == 0)
		n = read(fd, buf, sizeof buf);
	close(fd);
	if (n < 0)
		return ERR_INVALID;
	unsigned char key[SEAL_KEY_BYTES];
	size_t klen = 0;
	if (n == SEAL_KEY_BYTES) {
		memcpy(key, buf, SEAL_KEY_BYTES);
		klen = SEAL_KEY_BYTES;
	} else if (n >= 64 &&
		   sodium_hex2bin(key, sizeof key, buf, (size_t)n, "\n", &klen, NULL) != 0) {
		return ERR_INVALID;
	}
	if (klen != SEAL_KEY_BYTES)
		return ERR_INVALID;
	seal_set_key(key);
	sodium_memzero(key, sizeof key);
	return 0;
}

int seal_keygen(const char *path)
{
	unsigned char key[SEAL_KEY_BYTES];
	char hex[SEAL_KEY_BYTES * 2 + 2];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? ERR_CONFLICT : ERR_IO;
	crypto_secretbox_keygen(key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	size_t len = strlen(hex);
	hex[len++] = '\n';
	bool ok = write(fd, hex, len) == (ssize_t)len && fsync(fd) == 0;
	close(fd);
	sodium_memzero(key, sizeof key);
	sodium_memzero(hex, sizeof hex);
	return ok ? 0 : ERR_IO;
}

int seal_encrypt(struct arena *a, const char *text, size_t n, unsigned char **out, size_t *outlen)
{
	if (!seal_have_key)
		return ERR_UNAVAILABLE;
	size_t len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *p = arena_alloc(a, len);
	randombytes_buf(p, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(p + crypto_secretbox_NONCEBYTES, (const unsigned char *)text, n, p,
			      seal_key);
	*out = p;
	*outlen = len;
	return 0;
}

int seal_decrypt(struct arena *a, const void *sealed, size_t n, char **out)
{
	if (!seal_have_key)
		return ERR_UNAVAILABLE;
	const unsigned char *p = sealed;
	if (n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return ERR_INVALID;
	size_t len = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	char *text = arena_alloc(a, len + 1);
	if (crypto_secretbox_open_easy((unsigned char *)text, p + crypto_secretbox_NONCEBYTES,
				       n - crypto_secretbox_NONCEBYTES, p, seal_key) != 0)
		return ERR_INVALID;
	text[len] = '\0';
	*out = text;
	return 0;
}

int seal_key_path(const char *db_url, const char *key_file_or_null, char *out, size_t outsz)
{
	const char *env = getenv("IBBIS_KEY_FILE");
	if (key_file_or_null && *key_file_or_null)
		return str_copy(out, outsz, key_file_or_null);
	if (env && *env)
		return str_copy(out, outsz, env);
	if (!db_url || str_starts_with(db_url, "postgres://") ||
	    str_starts_with(db_url, "postgresql://"))
		return str_copy(out, outsz, "./ibbis.key");
	return str_fmt(out, outsz, "%s.key", db_url);
}

int seal_has_encrypted_data(struct store_conn *c, bool *out)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    c,
	    "SELECT (SELECT count(*) FROM notes WHERE body IS NOT NULL) + "
	    "(SELECT count(*) FROM assessments WHERE body IS NOT NULL) + "
	    "(SELECT count(*) FROM agenda_items WHERE body IS NOT NULL) + "
	    "(SELECT count(*) FROM studies) + (SELECT count(*) FROM qual_documents) + "
	    "(SELECT count(*) FROM meetings WHERE minutes_sealed IS NOT NULL) + "
	    "(SELECT count(*) FROM evidence WHERE text_sealed IS NOT NULL) + "
	    "(SELECT count(*) FROM survey_responses WHERE comment_sealed IS NOT NULL)",
	    &st);
	if (rc)
		return rc;
	rc = store_step(st);
	*out = rc == STORE_ROW && store_col_int64(st, 0) > 0;
	store_reset(st);
	return rc < 0 ? rc : 0;
}

/* The check value: a MAC of a fixed text under a key derived from the
 * loaded one (a subkey of its own, so it says nothing of the others). */
static void key_check_value(char out[SEAL_CHECK_HEX])
{
	static const char text[] = "ibbis key check";
	unsigned char sub[crypto_generichash_KEYBYTES], h[32];
	crypto_kdf_derive_from_key(sub, sizeof sub, 3, "ibbischk", seal_key);
	crypto_generichash(h, sizeof h, (const unsigned char *)text, sizeof text - 1, sub,
			   sizeof sub);
	sodium_bin2hex(out, SEAL_CHECK_HEX, h, sizeof h);
	sodium_memzero(sub, sizeof sub);
}

/* The stored check value into out (empty when the database has none). */
static int key_check_read(struct store_conn *c, char out[SEAL_CHECK_HEX])
{
	struct store_stmt *st;
	out[0] = '\0';
	int rc = store_prepare(c, "SELECT mac FROM key_check WHERE id = 1", &st);
	if (rc)
		return rc;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		const char *m = store_col_text(st, 0, NULL);
		if (m)
			str_copy(out, SEAL_CHECK_HEX, m);
		rc = 0;
	}
	store_reset(st);
	return rc < 0 ? rc : 0;
}

int seal_key_check_store(struct store_conn *c)
{
	if (!seal_have_key)
		return ERR_UNAVAILABLE;
	char mac[SEAL_CHECK_HEX];
	key_check_value(mac);
	return store_run(c,
			 "INSERT INTO key_check (id, mac) VALUES (1, $1) "
			 "ON CONFLICT (id) DO UPDATE SET mac = excluded.mac",
			 "s", mac);
}

/* With the key loaded: a database without a check value gets this key's;
 * one with another key's is refused, naming the file. */
static int key_check_match(struct store *s, const char *path)
{
	struct store_conn *c;
	char have[SEAL_CHECK_HEX], want[SEAL_CHECK_HEX];
	int rc = store_conn_get(s, &c);
	if (!rc)
		rc = key_check_read(c, have);
	if (rc)
		return rc;
	if (!have[0])
		return seal_key_check_store(c);
	key_check_value(want);
	if (strcmp(have, want) != 0) {
		log_error("key file %s is not this database's key: the database was set up with "
			  "another one (give its own with --key-file / IBBIS_KEY_FILE)",
			  path);
		return ERR_CONFLICT;
	}
	return 0;
}

int seal_setup(struct store *s, const char *db_url, const char *key_file_or_null,
	       bool create_if_missing)
{
	char path[4096];
	if (seal_key_path(db_url, key_file_or_null, path, sizeof path)) {
		log_error("key file: the path is too long");
		return ERR_INVALID;
	}
	int rc = seal_load_key(path);
	if (rc == ERR_INVALID)
		log_error("key file %s: not a key, or readable by others (it must be mode 0600)",
			  path);
	if (rc == 0)
		return key_check_match(s, path);
	if (rc != ERR_NOT_FOUND)
		return rc;
	struct store_conn *c;
	bool sealed = false, keyed = false;
	char have[SEAL_CHECK_HEX];
	rc = store_conn_get(s, &c);
	if (!rc)
		rc = seal_has_encrypted_data(c, &sealed);
	if (!rc)
		rc = audit_chain_keyed(c, &keyed);
	if (!rc)
		rc = key_check_read(c, have);
	if (rc)
		return rc;
	if (keyed || have[0]) {
		log_error(
		    "key file %s is missing, and the database was set up with a key (its "
		    "audit log is written with it): restore the key file (or give --key-file / "
		    "IBBIS_KEY_FILE)",
		    path);
		return ERR_NOT_FOUND;
	}
	if (sealed) {
		log_error("key file %s is missing, and the database holds encrypted text: "
			  "restore the key file (or give --key-file / IBBIS_KEY_FILE)",
			  path);
		return ERR_NOT_FOUND;
	}
	if (!create_if_missing) {
		log_warn("no key file %s: confidential notes cannot be written until one exists "
			 "(ibbis keygen)",
			 path);
		return 0;
	}
	rc = seal_keygen(path);
	if (rc == 0 || rc == ERR_CONFLICT)
		rc = seal_load_key(path);
	if (rc == 0)
		rc = seal_key_check_store(c);
	if (rc == 0)
		log_info("created the key file %s (mode 0600): keep a copy apart from backups of "
			 "the database",
			 path);
	else
		log_error("key file %s: cannot create it (%s)", path, err_code(rc));
	return rc;
}
