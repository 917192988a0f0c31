/* seal_upgrade.c: seals the free text that versions before migration 0008
 * stored in clear (seal_upgrade.h, docs/security.md "Sealed at rest").
 *
 * Each move reads (key, key2, text) of the rows still holding text in the
 * old column, seals the text, writes it to the sealed column and empties
 * the old one, all in one write transaction. SQLite then zeroes the freed
 * space (secure_delete during the moves, VACUUM after) and truncates the
 * WAL; PostgreSQL rewrites the tables (VACUUM FULL) so the old row versions
 * leave the data files (its WAL segments keep them until recycled:
 * docs/storage.md). */
#include "domain/trust/seal_upgrade.h"

#include <sodium.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "domain/trust/seal.h"
#include "store/store.h"

struct seal_move {
	const char *what;   /* for the log */
	const char *select; /* key, key2 (0 when none), text of rows left in clear */
	const char *update; /* $1 sealed, $2 key, $3 key2: writes the sealed value */
	const char *clear;  /* $1 key, $2 key2: empties the old column, or NULL */
	const char *vacuum; /* PostgreSQL: the table rewritten afterwards */
};

static const struct seal_move moves[] = {
    {"notes", "SELECT id, 0, body_plain FROM notes WHERE body_plain IS NOT NULL AND category "
	      "IN ('clinical', 'health_shared', 'employment', 'private')",
     "UPDATE notes SET body = $1, body_plain = NULL WHERE id = $2 AND $3 = 0", NULL,
     "VACUUM FULL notes"},
    {"assessments", "SELECT id, 0, body_plain FROM assessments WHERE body_plain IS NOT NULL",
     "UPDATE assessments SET body = $1, body_plain = NULL WHERE id = $2 AND $3 = 0", NULL,
     "VACUUM FULL assessments"},
    {"assessment reasons", "SELECT id, 0, reason FROM assessments WHERE reason <> ''",
     "UPDATE assessments SET reason_sealed = $1, reason = '' WHERE id = $2 AND $3 = 0", NULL,
     "VACUUM FULL assessments"},
    {"agenda items", "SELECT id, 0, body_plain FROM agenda_items WHERE body_plain IS NOT NULL",
     "UPDATE agenda_items SET body = $1, body_plain = NULL WHERE id = $2 AND $3 = 0", NULL,
     "VACUUM FULL agenda_items"},
    {"minutes", "SELECT id, 0, minutes FROM meetings WHERE minutes IS NOT NULL",
     "UPDATE meetings SET minutes_sealed = $1, minutes = NULL WHERE id = $2 AND $3 = 0", NULL,
     "VACUUM FULL meetings"},
    {"evidence", "SELECT id, 0, text FROM evidence WHERE text <> ''",
     "UPDATE evidence SET text_sealed = $1, text = '' WHERE id = $2 AND $3 = 0", NULL,
     "VACUUM FULL evidence"},
    {"pulse comments",
     "SELECT response_id, 0, text FROM survey_answers WHERE item = 'text' AND text IS NOT NULL",
     "UPDATE survey_responses SET comment_sealed = $1 WHERE id = $2 AND $3 = 0",
     "DELETE FROM survey_answers WHERE response_id = $1 AND $2 = 0 AND item = 'text'",
     "VACUUM FULL survey_answers"},
    {"comments on minutes",
     "SELECT meeting_id, user_id, comment FROM minutes_agreements WHERE comment <> ''",
     "UPDATE minutes_agreements SET comment_sealed = $1, comment = '' WHERE meeting_id = $2 "
     "AND user_id = $3",
     NULL, "VACUUM FULL minutes_agreements"},
};

#define NMOVES (sizeof moves / sizeof moves[0])

struct clear_row {
	int64_t k1, k2;
	char *text; /* arena */
};

static int bind_keys(struct store_stmt *st, int from, const struct clear_row *r)
{
	int rc = store_bind_int64(st, from, r->k1);
	return rc ? rc : store_bind_int64(st, from + 1, r->k2);
}

/* Seals one move's rows; *n: how many. */
static int move_one(struct store_conn *c, const struct seal_move *m, long *n)
{
	struct arena a;
	arena_init(&a);
	struct clear_row *rows = NULL;
	size_t cnt = 0, cap = 0;
	struct store_stmt *st;
	int rc = store_prepare(c, m->select, &st);
	while (rc == 0 && (rc = store_step(st)) == STORE_ROW) {
		ARENA_RESERVE(&a, rows, cnt, cap);
		rows[cnt].k1 = store_col_int64(st, 0);
		rows[cnt].k2 = store_col_int64(st, 1);
		rows[cnt].text = store_col_strdup(st, 2, &a);
		cnt++;
		rc = 0;
	}
	if (rc == STORE_DONE)
		rc = 0;
	for (size_t i = 0; rc == 0 && i < cnt; i++) {
		unsigned char *sealed;
		size_t slen;
		size_t len = strlen(rows[i].text);
		rc = seal_encrypt(&a, rows[i].text, len, &sealed, &slen);
		if (rc == 0)
			rc = store_prepare(c, m->update, &st);
		if (rc == 0 && !(rc = store_bind_blob(st, 1, sealed, slen)) &&
		    !(rc = bind_keys(st, 2, &rows[i])))
			rc = store_step(st);
		if (rc >= 0 && m->clear && !(rc = store_prepare(c, m->clear, &st)) &&
		    !(rc = bind_keys(st, 1, &rows[i])))
			rc = store_step(st);
		rc = rc < 0 ? rc : 0;
		sodium_memzero(rows[i].text, len);
	}
	*n = (long)cnt;
	arena_release(&a);
	return rc;
}

/* The freed space and the old row versions leave the files. */
static void scrub(struct store_conn *c, const bool *moved)
{
	if (str_eq(store_dialect(store_conn_store(c)), "sqlite")) {
		if (store_exec(c, "VACUUM") || store_exec(c, "PRAGMA wal_checkpoint(TRUNCATE)"))
			log_warn("sealing: VACUUM after sealing failed (%s); old text may stay in "
				 "free pages until it is run",
				 store_errmsg(c));
		return;
	}
	for (size_t i = 0; i < NMOVES; i++)
		if (moved[i] && moves[i].vacuum && store_exec(c, moves[i].vacuum))
			log_warn("sealing: %s failed (%s)", moves[i].vacuum, store_errmsg(c));
}

int seal_upgrade(struct store *s, long *sealed_out)
{
	long total = 0;
	if (sealed_out)
		*sealed_out = 0;
	if (!seal_ready())
		return 0;
	struct store_conn *c;
	int rc = store_conn_get(s, &c);
	if (rc)
		return rc;
	bool sqlite = str_eq(store_dialect(s), "sqlite");
	/* Space freed by the moves is zeroed as it is freed. */
	if (sqlite && (rc = store_exec(c, "PRAGMA secure_delete = ON")))
		return rc;
	bool moved[NMOVES] = {false};
	rc = store_begin_write(c);
	for (size_t i = 0; rc == 0 && i < NMOVES; i++) {
		long n = 0;
		rc = move_one(c, &moves[i], &n);
		if (rc == 0 && n > 0) {
			moved[i] = true;
			total += n;
			log_info("sealed %ld %s written in clear by an earlier version", n,
				 moves[i].what);
		}
	}
	if (rc == 0)
		rc = store_commit(c);
	else
		store_rollback(c);
	if (rc) {
		log_error("sealing text written by an earlier version failed (%s): nothing was "
			  "changed",
			  err_code(rc));
		return rc;
	}
	if (total > 0)
		scrub(c, moved);
	if (sealed_out)
		*sealed_out = total;
	return 0;
}
