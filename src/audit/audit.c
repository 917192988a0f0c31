/* audit.c: appending to and verifying the chain. The group-commit writer
 * lives in audit_writer.c, checkpoints in audit_checkpoint.c.
 *
 * Each entry's hash is a MAC: BLAKE2b keyed with a key derived from the key
 * file, over the previous entry's hash and this entry. Someone who can
 * write the database but not read the key file cannot make a changed entry
 * match again. A chain begun before the chain was keyed keeps its plain
 * BLAKE2b entries at the start; the first keyed entry covers the last of
 * them, and no plain entry may follow a keyed one (docs/security.md). */
#include "audit/audit.h"
#include "audit/audit_int.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "store/store.h"

static const char audit_genesis[AUDIT_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* Length-prefixed fields, so no value can imitate a field boundary. */
static void canon_str(struct buf *b, const char *s)
{
	s = s ? s : "";
	buf_printf(b, "%zu:", strlen(s));
	buf_puts(b, s);
	buf_putc(b, ';');
}

static void canon_int(struct buf *b, int64_t v)
{
	buf_printf(b, "%lld;", (long long)v);
}

static unsigned char mac_key[crypto_generichash_KEYBYTES];
static unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES];
static unsigned char sign_sk[crypto_sign_SECRETKEYBYTES];
static bool have_key;

void audit_set_key(const unsigned char master[AUDIT_MASTER_KEY_BYTES])
{
	unsigned char seed[crypto_sign_SEEDBYTES];
	crypto_kdf_derive_from_key(mac_key, sizeof mac_key, 1, "ibbisaud", master);
	crypto_kdf_derive_from_key(seed, sizeof seed, 2, "ibbissig", master);
	crypto_sign_seed_keypair(sign_pk, sign_sk, seed);
	sodium_memzero(seed, sizeof seed);
	have_key = true;
}

bool audit_have_key(void)
{
	return have_key;
}

const unsigned char *audit_sign_sk(void)
{
	return sign_sk;
}

const unsigned char *audit_sign_pk(void)
{
	return sign_pk;
}

/* keyed: the MAC; otherwise the plain hash of chains from before keying. */
static void audit_hash(const char *prev, const struct audit_entry *e, bool keyed,
		       char out[AUDIT_HASH_HEX])
{
	struct buf b;
	buf_init(&b, 1 << 20);
	buf_puts(&b, prev);
	canon_int(&b, e->at);
	canon_int(&b, e->actor_id);
	canon_str(&b, e->actor_role);
	canon_str(&b, e->actor_name);
	canon_str(&b, e->actor_org);
	canon_int(&b, e->case_id);
	canon_str(&b, e->item);
	canon_str(&b, e->category);
	canon_str(&b, e->action);
	canon_str(&b, e->purpose);
	canon_int(&b, e->break_glass ? 1 : 0);
	unsigned char h[32];
	if (keyed)
		crypto_generichash(h, sizeof h, (const unsigned char *)b.data, b.len, mac_key,
				   sizeof mac_key);
	else
		crypto_generichash(h, sizeof h, (const unsigned char *)b.data, b.len, NULL, 0);
	sodium_bin2hex(out, AUDIT_HASH_HEX, h, sizeof h);
	buf_release(&b);
}

static int audit_head(struct store_conn *conn, char prev[AUDIT_HASH_HEX])
{
	struct store_stmt *st;
	int rc = store_prepare(conn, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", &st);
	if (rc)
		return rc;
	memcpy(prev, audit_genesis, AUDIT_HASH_HEX);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		const char *h = store_col_text(st, 0, NULL);
		if (h && strlen(h) == AUDIT_HASH_HEX - 1)
			memcpy(prev, h, AUDIT_HASH_HEX);
		rc = 0;
	}
	store_reset(st);
	return rc < 0 ? rc : 0;
}

static int audit_insert(struct store_conn *conn, const struct audit_entry *e, const char *prev,
			const char *hash)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    conn,
	    "INSERT INTO audit_log (at, actor_id, actor_role, actor_name, actor_org, case_id, "
	    "item, category, action, purpose, break_glass, prev_hash, hash) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
	    &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, e->at);
	if (e->actor_id)
		store_bind_int64(st, 2, e->actor_id);
	else
		store_bind_null(st, 2);
	store_bind_str(st, 3, e->actor_role ? e->actor_role : "system");
	store_bind_str(st, 4, e->actor_name ? e->actor_name : "");
	store_bind_str(st, 5, e->actor_org ? e->actor_org : "");
	if (e->case_id)
		store_bind_int64(st, 6, e->case_id);
	else
		store_bind_null(st, 6);
	store_bind_str(st, 7, e->item ? e->item : "");
	store_bind_str(st, 8, e->category ? e->category : "");
	store_bind_str(st, 9, e->action);
	store_bind_str(st, 10, e->purpose ? e->purpose : "");
	store_bind_int64(st, 11, e->break_glass ? 1 : 0);
	store_bind_str(st, 12, prev);
	store_bind_str(st, 13, hash);
	rc = store_step(st);
	store_reset(st);
	return rc < 0 ? rc : 0;
}

int audit_lock_chain(struct store_conn *conn)
{
	if (strcmp(store_dialect(store_conn_store(conn)), "pg") != 0)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(conn, "SELECT pg_advisory_xact_lock(7310451)", &st);
	if (rc)
		return rc;
	rc = store_step(st);
	store_reset(st);
	return rc < 0 ? rc : 0;
}

int audit_append_many(struct store_conn *conn, const struct audit_entry *const *e, size_t n)
{
	assert(store_in_transaction(conn)); /* the caller's: see audit.h */
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
	if (!have_key) {
		log_error("audit: no key loaded: an entry cannot be appended (key file?)");
		return ERR_UNAVAILABLE;
	}
	int rc = audit_lock_chain(conn);
	if (!rc)
		rc = audit_head(conn, prev); /* once: the chain continues in memory */
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!e[i]->action)
			return ERR_INVALID;
		audit_hash(prev, e[i], true, hash);
		rc = audit_insert(conn, e[i], prev, hash);
		memcpy(prev, hash, AUDIT_HASH_HEX);
	}
	return rc;
}

int audit_append_now(struct store_conn *conn, const struct audit_entry *e)
{
	return audit_append_many(conn, &e, 1);
}

static void audit_row(struct store_stmt *st, struct audit_entry *e)
{
	e->at = store_col_int64(st, 1);
	e->actor_id = store_col_is_null(st, 2) ? 0 : store_col_int64(st, 2);
	e->actor_role = store_col_text(st, 3, NULL);
	e->actor_name = store_col_text(st, 4, NULL);
	e->actor_org = store_col_text(st, 5, NULL);
	e->case_id = store_col_is_null(st, 6) ? 0 : store_col_int64(st, 6);
	e->item = store_col_text(st, 7, NULL);
	e->category = store_col_text(st, 8, NULL);
	e->action = store_col_text(st, 9, NULL);
	e->purpose = store_col_text(st, 10, NULL);
	e->break_glass = store_col_int64(st, 11) != 0;
}

int audit_chain_keyed(struct store_conn *conn, bool *keyed)
{
	struct store_stmt *st;
	*keyed = false;
	int rc =
	    store_prepare(conn,
			  "SELECT id, at, actor_id, actor_role, actor_name, actor_org, case_id, "
			  "item, category, action, purpose, break_glass, prev_hash, hash "
			  "FROM audit_log ORDER BY id DESC LIMIT 1",
			  &st);
	if (rc)
		return rc;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		struct audit_entry e;
		audit_row(st, &e);
		const char *link = store_col_text(st, 12, NULL);
		const char *stored = store_col_text(st, 13, NULL);
		char plain[AUDIT_HASH_HEX];
		/* A link of the wrong length cannot be hashed as a chain from
		 * before keying: call it keyed, the careful answer. */
		if (link && strlen(link) == AUDIT_HASH_HEX - 1) {
			audit_hash(link, &e, false, plain);
			*keyed = !stored || strcmp(stored, plain) != 0;
		} else {
			*keyed = true;
		}
		rc = 0;
	}
	store_reset(st);
	return rc < 0 ? rc : 0;
}

int audit_verify(struct store_conn *conn, struct audit_walk *wk)
{
	struct store_stmt *st;
	int rc =
	    store_prepare(conn,
			  "SELECT id, at, actor_id, actor_role, actor_name, actor_org, case_id, "
			  "item, category, action, purpose, break_glass, prev_hash, hash "
			  "FROM audit_log ORDER BY id",
			  &st);
	if (rc)
		return rc;
	if (!have_key)
		return ERR_UNAVAILABLE;
	char prev[AUDIT_HASH_HEX];
	memcpy(prev, audit_genesis, AUDIT_HASH_HEX);
	wk->checked = wk->legacy = wk->bad_id = 0;
	for (size_t i = 0; i < wk->nat; i++)
		wk->hash_at[i][0] = '\0';
	size_t next = 0; /* the next wanted position */
	bool keyed_seen = false;
	while ((rc = store_step(st)) == STORE_ROW) {
		struct audit_entry e;
		audit_row(st, &e);
		const char *link = store_col_text(st, 12, NULL);
		const char *stored = store_col_text(st, 13, NULL);
		char want[AUDIT_HASH_HEX];
		bool ok = link && stored && strcmp(link, prev) == 0;
		if (ok) {
			audit_hash(prev, &e, true, want);
			if (strcmp(stored, want) == 0) {
				keyed_seen = true;
			} else if (!keyed_seen) { /* a chain from before keying */
				audit_hash(prev, &e, false, want);
				ok = strcmp(stored, want) == 0;
				wk->legacy += ok;
			} else {
				ok = false;
			}
		}
		if (!ok) {
			wk->bad_id = store_col_int64(st, 0);
			store_reset(st);
			return ERR_INVALID;
		}
		memcpy(prev, stored, AUDIT_HASH_HEX);
		wk->checked++;
		while (next < wk->nat && wk->at[next] <= wk->checked) {
			if (wk->at[next] == wk->checked)
				memcpy(wk->hash_at[next], prev, AUDIT_HASH_HEX);
			next++;
		}
	}
	store_reset(st);
	return rc < 0 ? rc : 0;
}

/* The append-only trigger on UPDATE (sql/NNNN migrations), lifted for the
 * rotation alone and put back in the same transaction. PostgreSQL needs
 * the table's owner for it, as a rotation should. */
static int rechain_guard(struct store_conn *conn, bool on)
{
	bool pg = strcmp(store_dialect(store_conn_store(conn)), "pg") == 0;
	if (pg)
		return store_exec(conn,
				  on ? "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update"
				     : "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update");
	return store_exec(conn,
			  on ? "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
			       "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
			     : "DROP TRIGGER audit_log_no_update");
}

int audit_rechain(struct store_conn *conn, int64_t *n)
{
	struct store_stmt *sel, *upd;
	*n = 0;
	if (!have_key)
		return ERR_UNAVAILABLE;
	int rc =
	    store_prepare(conn,
			  "SELECT id, at, actor_id, actor_role, actor_name, actor_org, case_id, "
			  "item, category, action, purpose, break_glass FROM audit_log ORDER BY id",
			  &sel);
	if (rc == 0)
		rc = store_prepare(
		    conn, "UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3", &upd);
	if (rc)
		return rc;
	char prev[AUDIT_HASH_HEX], mac[AUDIT_HASH_HEX];
	memcpy(prev, audit_genesis, AUDIT_HASH_HEX);
	/* Every row is read before any is written: the UPDATEs must not run
	 * while the SELECT is being stepped on the same connection. */
	struct rechain {
		int64_t id;
		char mac[AUDIT_HASH_HEX], prev[AUDIT_HASH_HEX];
	} *rows = NULL;
	size_t count = 0, cap = 0;
	while ((rc = store_step(sel)) == STORE_ROW) {
		struct audit_entry e;
		audit_row(sel, &e);
		audit_hash(prev, &e, true, mac);
		if (count == cap) {
			cap = cap ? cap * 2 : 1024;
			rows = realloc(rows, cap * sizeof *rows);
			if (!rows)
				abort();
		}
		rows[count].id = store_col_int64(sel, 0);
		memcpy(rows[count].prev, prev, AUDIT_HASH_HEX);
		memcpy(rows[count].mac, mac, AUDIT_HASH_HEX);
		memcpy(prev, mac, AUDIT_HASH_HEX);
		count++;
	}
	rc = rc < 0 ? rc : 0;
	if (rc == 0 && count > 0)
		rc = rechain_guard(conn, false);
	for (size_t i = 0; rc == 0 && i < count; i++) {
		rc = store_bind_str(upd, 1, rows[i].prev);
		if (rc == 0)
			rc = store_bind_str(upd, 2, rows[i].mac);
		if (rc == 0)
			rc = store_bind_int64(upd, 3, rows[i].id);
		if (rc == 0)
			rc = store_step(upd);
	}
	if (rc == 0 && count > 0)
		rc = rechain_guard(conn, true);
	free(rows);
	if (rc == 0)
		*n = (int64_t)count;
	return rc;
}
