/* rekey.c: re-seals every sealed value of a database with a new key
 * (rekey.h, docs/operations.md "Rotating the key").
 *
 * Which values are sealed is read from the database's own catalogue: every
 * BLOB (bytea) column holds sealed text (nonce || secretbox, seal.h), so a
 * column that a later migration adds is rotated with no change here. A
 * value that does not open with the old key stops the whole rotation:
 * nothing is written unless every value opened.
 *
 * The audit chain's MAC key and the checkpoints' signing key derive from
 * the same key (audit.h): the chain is verified with the old key first
 * (a rotation must not vouch for a changed log) and its MACs recomputed
 * with the new one in the same transaction. */
#include "domain/data/rekey.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "audit/audit.h"
#include "domain/data/dump.h"
#include "domain/trust/seal.h"
#include "store/store.h"

#include <sodium.h>
#include <string.h>

#define REKEY_SQL_MAX 4096

#define REKEY_PK_MAX 4

struct sealed {
	int64_t pk[REKEY_PK_MAX];
	char *text; /* arena: the opened value */
	size_t len;
};

/* The table's primary key columns, all integers (a composite key such as
 * minutes_agreements' (meeting_id, user_id) too), in key order: their
 * count, or -1. */
static int int_pk(const struct dump_table *t, int pk[REKEY_PK_MAX])
{
	int n = 0;
	for (int i = 0; i < t->ncols; i++) {
		int at = t->cols[i].pk;
		if (at == 0)
			continue;
		if (at > REKEY_PK_MAX || t->cols[i].kind != DUMP_INT)
			return -1;
		pk[at - 1] = i;
		n++;
	}
	return n > 0 ? n : -1;
}

/* "SELECT pk1, pk2.., col FROM t WHERE col IS NOT NULL" and
 * "UPDATE t SET col = $1 WHERE pk1 = $2 AND pk2 = $3 ..". */
static int column_sql(const struct dump_table *t, const int *pk, int npk, const char *col,
		      struct buf *sel, struct buf *upd)
{
	int rc = 0;
	buf_puts(sel, "SELECT ");
	for (int k = 0; k < npk; k++) {
		rc |= dump_ident(sel, t->cols[pk[k]].name);
		buf_puts(sel, ", ");
	}
	rc |= dump_ident(sel, col);
	buf_puts(sel, " FROM ");
	rc |= dump_ident(sel, t->name);
	buf_puts(sel, " WHERE ");
	rc |= dump_ident(sel, col);
	buf_puts(sel, " IS NOT NULL");
	buf_puts(upd, "UPDATE ");
	rc |= dump_ident(upd, t->name);
	buf_puts(upd, " SET ");
	rc |= dump_ident(upd, col);
	buf_puts(upd, " = $1 WHERE ");
	for (int k = 0; k < npk; k++) {
		if (k)
			buf_puts(upd, " AND ");
		rc |= dump_ident(upd, t->cols[pk[k]].name);
		buf_printf(upd, " = $%d", k + 2);
	}
	if (rc)
		return ERR_INVALID;
	rc = buf_putc(sel, 0);
	return rc ? rc : buf_putc(upd, 0);
}

/* Opens every value of one column with the old key (loaded), then seals
 * each again with the new key and writes it. */
static int rekey_column(struct store_conn *c, const struct dump_table *t, const int *pk, int npk,
			int coli,
			const char *new_key_file, const char *old_key_file,
			struct rekey_stats *out, char *err, size_t errsz)
{
	struct arena a;
	struct buf sel, upd;
	arena_init(&a);
	buf_init(&sel, REKEY_SQL_MAX);
	buf_init(&upd, REKEY_SQL_MAX);
	struct sealed *rows = NULL;
	size_t n = 0, cap = 0;
	struct store_stmt *st;
	const char *col = t->cols[coli].name;
	int rc = column_sql(t, pk, npk, col, &sel, &upd);
	if (rc == 0)
		rc = store_prepare(c, sel.data, &st);
	while (rc == 0 && (rc = store_step(st)) == STORE_ROW) {
		size_t len;
		const void *p = store_col_blob(st, npk, &len);
		ARENA_RESERVE(&a, rows, n, cap);
		for (int k = 0; k < npk; k++)
			rows[n].pk[k] = store_col_int64(st, k);
		rc = seal_decrypt(&a, p ? p : "", len, &rows[n].text);
		if (rc) {
			str_fmt(err, errsz,
				"%s.%s of row %lld does not open with the current key; nothing was "
				"changed",
				t->name, col, (long long)rows[n].pk[0]);
			store_reset(st);
			break;
		}
		rows[n].len = strlen(rows[n].text);
		n++;
		rc = 0;
	}
	if (rc == STORE_DONE)
		rc = 0;
	if (rc == 0 && n > 0 && (rc = seal_load_key(new_key_file)) != 0)
		str_fmt(err, errsz, "cannot read the new key %s", new_key_file);
	if (rc == 0 && n > 0)
		rc = store_prepare(c, upd.data, &st);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		unsigned char *sealed;
		size_t slen;
		rc = seal_encrypt(&a, rows[i].text, rows[i].len, &sealed, &slen);
		if (rc == 0)
			rc = store_bind_blob(st, 1, sealed, slen);
		for (int k = 0; rc == 0 && k < npk; k++)
			rc = store_bind_int64(st, k + 2, rows[i].pk[k]);
		if (rc == 0)
			rc = store_step(st);
		sodium_memzero(rows[i].text, rows[i].len);
	}
	/* The next column is opened with the old key again. */
	if (n > 0 && seal_load_key(old_key_file) != 0 && rc == 0) {
		str_fmt(err, errsz, "cannot read the old key %s again", old_key_file);
		rc = ERR_IO;
	}
	if (rc == 0 && n > 0) {
		out->values += (long)n;
		out->columns++;
	}
	buf_release(&sel);
	buf_release(&upd);
	arena_release(&a);
	return rc;
}

int rekey_all(struct store_conn *c, const char *old_key_file, const char *new_key_file,
	      struct rekey_stats *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	struct arena a;
	arena_init(&a);
	struct dump_table *t;
	int n;
	int rc = seal_load_key(old_key_file);
	if (rc)
		str_fmt(err, errsz, "cannot read the current key %s", old_key_file);
	if (rc == 0)
		rc = store_begin_write(c);
	if (rc == 0) {
		struct audit_walk wk = {0};
		rc = audit_verify(c, &wk);
		if (rc)
			str_fmt(err, errsz,
				"the audit log does not verify with the current key (entry %lld); run "
				"ibbis audit verify; nothing was changed",
				(long long)wk.bad_id);
	}
	if (rc == 0)
		rc = dump_catalog(c, &a, &t, &n, err, errsz);
	for (int i = 0; rc == 0 && i < n; i++) {
		for (int k = 0; rc == 0 && k < t[i].ncols; k++) {
			if (t[i].cols[k].kind != DUMP_BLOB)
				continue;
			int pk[REKEY_PK_MAX];
			int npk = int_pk(&t[i], pk);
			if (npk < 0) {
				str_fmt(err, errsz, "%s has sealed text but no integer primary key",
					t[i].name);
				rc = ERR_INVALID;
				break;
			}
			rc = rekey_column(c, &t[i], pk, npk, k, new_key_file, old_key_file, out,
					  err, errsz);
		}
	}
	/* The chain under the new key; the old one is loaded again after. */
	if (rc == 0 && (rc = seal_load_key(new_key_file)) != 0)
		str_fmt(err, errsz, "cannot read the new key %s", new_key_file);
	if (rc == 0)
		rc = audit_rechain(c, &out->audit_entries);
	if (rc == 0)
		rc = seal_key_check_store(c);
	if (rc == 0)
		rc = store_commit(c);
	else
		store_rollback(c);
	seal_load_key(old_key_file);
	arena_release(&a);
	return rc;
}
