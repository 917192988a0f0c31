/* audit.h: the append-only, hash-chained audit log (DESIGN.md section 4).
 *
 * audit_record queues an entry; a writer thread appends queued entries in
 * one transaction per batch (group commit), so auditing a read never costs
 * an fsync per request. audit_flush waits until everything queued so far is
 * durable. Each entry's hash is a MAC, BLAKE2b keyed with a key derived from
 * the key file, of (prev_hash || canonical entry); signed checkpoints of the
 * chain's length and head go to a file outside the database
 * (audit_checkpoint_*). docs/security.md has the threat model. */
#ifndef IBBIS_AUDIT_H
#define IBBIS_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct store_conn;

struct audit_entry {
	int64_t at;            /* unix seconds */
	int64_t actor_id;      /* 0 for the system */
	const char *actor_role; /* borrowed: "care_manager", "system" */
	const char *actor_name; /* borrowed */
	const char *actor_org;  /* borrowed */
	int64_t case_id;       /* 0 for none */
	const char *item;      /* borrowed: "case", "note:12", "decision:3" */
	const char *category;  /* borrowed: "core", "clinical", ... */
	const char *action;    /* borrowed: "viewed", "read", "create", "update", "login" */
	const char *purpose;   /* borrowed; may be NULL */
	bool break_glass;
};

/* Starts the writer thread for s. One per process. commit_ms is the
 * group-commit window: after the first queued entry the writer gathers
 * more for that long before one commit (0: the default, 20 ms). */
int audit_start(struct store *s, int commit_ms);
/* Stops it after writing everything queued. */
void audit_stop(void);
/* Inside a write transaction on conn, appends e in that transaction (a
 * write and its entry commit together). Otherwise copies e into the queue;
 * without a started writer (CLI tools), appends synchronously on conn. */
int audit_record(struct store_conn *conn, const struct audit_entry *e);
/* Waits until every entry queued before the call is committed. */
int audit_flush(void);
/* The ticket of the last entry this thread queued since the last call (0:
 * none, or durable reads are off), for audit_when_committed. */
uint64_t audit_take_mine(void);
/* Calls wake(arg, 0) once the batch holding entry `ticket` is committed (at
 * once when it is, or when no writer runs), from the writer's thread. The
 * server holds a request's answer until then: a disclosure is in the log
 * before it leaves, and the answer waits for the group commit that holds
 * its entry, never for a commit of its own, and no worker thread waits.
 * When the log cannot be written (full disk, database gone) for
 * AUDIT_FAIL_HOLD_MS, the waiting answers get wake(arg, ERR_UNAVAILABLE)
 * (the server answers 503 instead) and so does every new one at once,
 * until a commit succeeds again. The entries stay queued and are written
 * then: an entry is never dropped for an answer that left. */
void audit_when_committed(uint64_t ticket, void (*wake)(void *arg, int rc), void *arg);
/* How long answers wait for a log that cannot be written. */
#define AUDIT_FAIL_HOLD_MS 3000
/* Whether audit_take_mine hands out tickets (default true; serve
 * --audit-durable-reads=0 turns it off, only to measure its cost). Set
 * before serving starts. */
extern bool audit_durable_reads;
/* Several server nodes share one PostgreSQL: appends serialise on the chain
 * head with a transaction-scoped advisory lock (SQLite's write transaction
 * already serialises them). The change-stamp triggers take it too, so a
 * writer that changes rows before it audits, or never audits (the sweep),
 * takes it first: locks then always come in one order, chain before rows. */
int audit_lock_chain(struct store_conn *conn);
/* Appends entries directly inside the caller's write transaction. */
int audit_append_now(struct store_conn *conn, const struct audit_entry *e);
/* The same for n entries in order, reading the chain's head once. */
int audit_append_many(struct store_conn *conn, const struct audit_entry *const *e, size_t n);
#define AUDIT_MASTER_KEY_BYTES 32
#define AUDIT_HASH_HEX 65

/* Derives the chain's MAC key and the checkpoints' Ed25519 key pair from
 * the key file's key (once, before threads start). Without it nothing can
 * be appended (ERR_UNAVAILABLE) or verified. */
void audit_set_key(const unsigned char master[AUDIT_MASTER_KEY_BYTES]);
bool audit_have_key(void);

struct audit_walk {
	const int64_t *at;             /* in: positions (1-based, ascending) to report */
	char (*hash_at)[AUDIT_HASH_HEX]; /* out, nat slots: the hash there, "" if none */
	size_t nat;
	int64_t checked; /* entries whose link and MAC matched */
	int64_t legacy;  /* of them, plain-hash entries from before the chain was keyed */
	int64_t bad_id;  /* the first entry whose link or MAC does not match, or 0 */
};
/* Walks the chain. 0 when intact; ERR_INVALID with wk->bad_id set. */
int audit_verify(struct store_conn *conn, struct audit_walk *wk);
/* Whether the log's last entry was made with a key (not the plain hash of
 * a chain from before keying). *keyed is false for an empty log. A key
 * must not be made anew for a keyed log: every later entry would break
 * the chain. */
int audit_chain_keyed(struct store_conn *conn, bool *keyed);

/* Key rotation (ibbis rekey): recomputes every entry's link and MAC with
 * the key set now, in id order, inside the caller's write transaction.
 * Call it only after audit_verify passed with the old key, so that nothing
 * unverified is vouched for by the new key. *n: entries. */
int audit_rechain(struct store_conn *conn, int64_t *n);

/* A signed checkpoint: the number of entries, the last one's hash, when. */
struct audit_checkpoint {
	int64_t count;
	char head[AUDIT_HASH_HEX];
	int64_t at;
	int line;    /* in the file, from 1 */
	bool sig_ok; /* the signature matches this key */
};
/* The checkpoint file: explicit when given, else beside the key file: the
 * key file's path without ".key" + ".audit-checkpoints" for SQLite, and the
 * key file's folder + "ibbis-audit-DBNAME.checkpoints" for PostgreSQL. */
int audit_checkpoint_path(const char *db_url, const char *key_path, const char *explicit_path,
			  char *out, size_t outsz);
/* Reads the chain's length and head on conn and appends a signed line to
 * path (created 0600, fsynced). */
int audit_checkpoint_take(struct store_conn *conn, int64_t now, const char *path,
			  struct audit_checkpoint *out);
/* Reads every checkpoint in path (*out: caller frees). ERR_NOT_FOUND when
 * there is no file; a malformed line counts as one whose signature fails. */
int audit_checkpoint_load(const char *path, struct audit_checkpoint **out, size_t *n);

#endif
