/* audit_checkpoint.c: signed checkpoints of the audit chain, kept in a file
 * outside the database (docs/security.md).
 *
 * One line per checkpoint, appended and fsynced:
 *   ibbis-audit-checkpoint 1 count=N head=HEX64 at=UNIX sig=HEX128
 * The signature (Ed25519, the key pair derived from the key file) covers
 * the line up to " sig=". The count is the number of entries, so the head
 * is the hash of the count-th entry in id order (ids may have gaps). */
#include "audit/audit.h"
#include "audit/audit_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "store/store.h"

#define CP_MAGIC "ibbis-audit-checkpoint 1 "
#define CP_LINE_MAX 512

int audit_checkpoint_path(const char *db_url, const char *key_path, const char *explicit_path,
			  char *out, size_t outsz)
{
	if (explicit_path && *explicit_path)
		return str_copy(out, outsz, explicit_path);
	bool pg = db_url && (str_starts_with(db_url, "postgres://") ||
			     str_starts_with(db_url, "postgresql://"));
	if (!pg) {
		size_t n = strlen(key_path);
		if (str_ends_with(key_path, ".key"))
			n -= 4;
		return str_fmt(out, outsz, "%.*s.audit-checkpoints", (int)n, key_path);
	}
	/* Several databases may share one key file: one file per database. */
	const char *slash = strrchr(key_path, '/');
	int dirlen = slash ? (int)(slash - key_path + 1) : 0;
	const char *name = strrchr(db_url + strlen("postgres://"), '/');
	name = name ? name + 1 : "ibbis";
	size_t nlen = strcspn(name, "?");
	char safe[128];
	size_t k = 0;
	for (size_t i = 0; i < nlen && k + 1 < sizeof safe; i++) {
		char ch = name[i];
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
		safe[k++] = ok ? ch : '_';
	}
	safe[k] = '\0';
	return str_fmt(out, outsz, "%.*sibbis-audit-%s.checkpoints", dirlen, key_path,
		       k ? safe : "ibbis");
}

static int chain_head(struct store_conn *conn, int64_t *count, char head[AUDIT_HASH_HEX])
{
	struct store_stmt *st;
	int rc = store_prepare(conn,
			       "SELECT (SELECT count(*) FROM audit_log), "
			       "(SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)",
			       &st);
	if (rc)
		return rc;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*count = store_col_int64(st, 0);
		rc = str_copy(head, AUDIT_HASH_HEX, store_col_text(st, 1, NULL));
	} else if (rc == STORE_DONE) {
		rc = ERR_DB;
	}
	store_reset(st);
	return rc;
}

static int append_line(const char *path, const char *line, size_t len)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_error("audit checkpoint: cannot open %s: %s", path, strerror(errno));
		return ERR_IO;
	}
	bool ok = write(fd, line, len) == (ssize_t)len && fsync(fd) == 0;
	if (!ok)
		log_error("audit checkpoint: cannot write %s: %s", path, strerror(errno));
	close(fd);
	return ok ? 0 : ERR_IO;
}

int audit_checkpoint_take(struct store_conn *conn, int64_t now, const char *path,
			  struct audit_checkpoint *out)
{
	if (!audit_have_key())
		return ERR_UNAVAILABLE;
	struct audit_checkpoint cp = {.at = now, .sig_ok = true};
	bool own_tx = !store_in_transaction(conn);
	int rc = own_tx ? store_begin_read(conn) : 0;
	if (!rc)
		rc = chain_head(conn, &cp.count, cp.head);
	if (own_tx)
		store_rollback(conn);
	if (rc)
		return rc;
	char line[CP_LINE_MAX];
	rc = str_fmt(line, sizeof line, CP_MAGIC "count=%lld head=%s at=%lld", (long long)cp.count,
		     cp.count ? cp.head : "-", (long long)cp.at);
	if (rc)
		return rc;
	unsigned char sig[crypto_sign_BYTES];
	size_t len = strlen(line);
	crypto_sign_detached(sig, NULL, (const unsigned char *)line, len, audit_sign_sk());
	char hex[crypto_sign_BYTES * 2 + 1];
	sodium_bin2hex(hex, sizeof hex, sig, sizeof sig);
	if (str_fmt(line + len, sizeof line - len, " sig=%s\n", hex))
		return ERR_TOO_LARGE;
	rc = append_line(path, line, strlen(line));
	if (!rc && out)
		*out = cp;
	return rc;
}

/* The value after " key=" in line, up to the next space; NULL if absent. */
static const char *field(const char *line, const char *key, size_t *n)
{
	const char *p = strstr(line, key);
	if (!p)
		return NULL;
	p += strlen(key);
	*n = strcspn(p, " \n");
	return p;
}

static void parse_line(const char *line, int lineno, struct audit_checkpoint *cp)
{
	memset(cp, 0, sizeof *cp);
	cp->line = lineno;
	if (!str_starts_with(line, CP_MAGIC))
		return;
	size_t n;
	long v;
	const char *p = field(line, " count=", &n);
	if (!p || str_to_long_n(p, n, 0, 0x7fffffffffffffffL, &v))
		return;
	cp->count = v;
	p = field(line, " at=", &n);
	if (!p || str_to_long_n(p, n, 0, 0x7fffffffffffffffL, &v))
		return;
	cp->at = v;
	p = field(line, " head=", &n);
	if (!p || (n != AUDIT_HASH_HEX - 1 && !(n == 1 && *p == '-')))
		return;
	memcpy(cp->head, p, n);
	cp->head[n == 1 ? 0 : n] = '\0';
	const char *sig = strstr(line, " sig=");
	unsigned char bin[crypto_sign_BYTES];
	size_t blen = 0;
	if (!sig || sodium_hex2bin(bin, sizeof bin, sig + 5, strcspn(sig + 5, "\n"), NULL, &blen,
				   NULL) != 0 ||
	    blen != sizeof bin)
		return;
	cp->sig_ok = crypto_sign_verify_detached(bin, (const unsigned char *)line,
						 (size_t)(sig - line), audit_sign_pk()) == 0;
}

int audit_checkpoint_load(const char *path, struct audit_checkpoint **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!audit_have_key())
		return ERR_UNAVAILABLE;
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? ERR_NOT_FOUND : ERR_IO;
	char line[CP_LINE_MAX];
	size_t cap = 0;
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (line[0] == '\n')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			struct audit_checkpoint *p = realloc(*out, cap * sizeof **out);
			if (!p)
				abort();
			*out = p;
		}
		parse_line(line, lineno, &(*out)[(*n)++]);
	}
	if (ferror(f))
		rc = ERR_IO;
	fclose(f);
	return rc;
}
