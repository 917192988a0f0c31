/* rekey.h: key rotation: every sealed value of a database opened with the
 * current key and sealed again with a new one, and the audit chain (whose
 * MAC key derives from the same key) verified and recomputed, in one write
 * transaction (all or nothing). Run with every server stopped: a running
 * server keeps the key it started with. */
#ifndef IBBIS_REKEY_H
#define IBBIS_REKEY_H

#include <stddef.h>
#include <stdint.h>

struct store_conn;

struct rekey_stats {
	long values;  /* values sealed again */
	int columns;  /* columns that held any */
	int64_t audit_entries; /* audit entries whose MAC was recomputed */
};

/* Both key files must exist (seal_keygen makes the new one). On return
 * the process holds the old key. err says what went wrong. */
int rekey_all(struct store_conn *c, const char *old_key_file, const char *new_key_file,
	      struct rekey_stats *out, char *err, size_t errsz);

#endif
