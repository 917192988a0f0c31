/* account.h: organisations, user accounts, passwords, and the actor.
 *
 * Passwords are hashed with argon2id (libsodium). Account functions open
 * and close their own transactions and hash outside them (hashing takes
 * tens of milliseconds and must not hold the write lock): call them
 * outside a transaction.
 *
 * Organisation rule: every role needs an organisation, except admin and
 * researcher, who may have none (an administrator of the whole system, an
 * evaluator from a university). A service user's organisation is the one
 * that holds their case's record (normally the jobcentre that referred). */
#ifndef IBBIS_ACCOUNT_H
#define IBBIS_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store_conn;
struct store_stmt;

enum account_role {
	ROLE_SERVICE_USER,
	ROLE_CARE_MANAGER,
	ROLE_EMPLOYMENT_CONSULTANT,
	ROLE_SUPERVISOR,
	ROLE_RESEARCHER,
	ROLE_ADMIN,
	ROLE_COUNT
};

/* How much work a password hash costs. */
enum account_hash_cost {
	ACCOUNT_HASH_INTERACTIVE, /* the default: OPSLIMIT/MEMLIMIT_INTERACTIVE */
	ACCOUNT_HASH_MIN,         /* bulk demo data only; rehashed at next login */
};

#define ACCOUNT_USERNAME_MAX 64
#define ACCOUNT_NAME_MAX 200
#define ACCOUNT_PASSWORD_MIN 8    /* characters (UTF-8 code points) */
#define ACCOUNT_PASSWORD_MAX 1024 /* bytes */
#define ACCOUNT_HASH_LEN 128      /* crypto_pwhash_STRBYTES, NUL included */

/* Who is asking: what the web layer and the policy need. */
struct actor {
	int64_t id;
	const char *username;  /* arena */
	const char *name;      /* arena */
	enum account_role role;
	const char *org_name;  /* arena; NULL when none */
	const char *org_kind;  /* arena; "health", "jobcentre", NULL when none */
	const char *language;  /* arena; "en", "da", NULL when not chosen */
	bool disabled;
};

struct account_new {
	const char *username;  /* borrowed */
	const char *name;      /* borrowed; NULL: the username */
	enum account_role role;
	const char *org_name;  /* borrowed; NULL or "" for none */
	const char *language;  /* borrowed; NULL, "en" or "da" */
	const char *password;  /* borrowed; NUL-terminated */
	enum account_hash_cost cost;
};

/* sodium_init once; safe to call many times and from many threads. */
int account_init(void);

const char *account_role_name(enum account_role r); /* static; "care_manager" */
int account_role_parse(const char *s, enum account_role *out); /* ERR_INVALID */

/* ERR_INVALID when empty, over ACCOUNT_USERNAME_MAX, or not [A-Za-z0-9._@-]. */
int account_username_check(const char *username);
/* ERR_INVALID when shorter than ACCOUNT_PASSWORD_MIN characters, longer
 * than ACCOUNT_PASSWORD_MAX bytes, or not UTF-8. */
int account_password_check(const char *password);

/* out: ACCOUNT_HASH_LEN bytes. */
int account_password_hash(const char *password, size_t len, enum account_hash_cost cost,
			  char out[ACCOUNT_HASH_LEN]);
/* 0 when the password matches, ERR_UNAUTHORIZED otherwise. */
int account_password_verify(const char *hash, const char *password, size_t len);
/* True when the hash is weaker than the interactive limits. */
bool account_password_needs_rehash(const char *hash);

/* kind: "health" or "jobcentre". ERR_CONFLICT when the name is taken. */
int account_org_create(struct store_conn *c, const char *name, const char *kind, int64_t *id);

/* ERR_INVALID for a bad username, role, language or password, or a missing
 * organisation where one is required; ERR_NOT_FOUND when the organisation
 * does not exist; ERR_CONFLICT when the username is taken. */
int account_create(struct store_conn *c, const struct account_new *in, int64_t now,
		   int64_t *id);

/* ERR_NOT_FOUND when there is no such account. Strings in out: arena. */
int account_get_by_id(struct store_conn *c, int64_t id, struct arena *a, struct actor *out);
int account_get_by_username(struct store_conn *c, const char *username, struct arena *a,
			    struct actor *out);

/* Checks a login. 0 and the actor, or ERR_UNAUTHORIZED for an unknown
 * user, a wrong password or a disabled account (all alike, and an unknown
 * user costs the same hashing time). On success a hash weaker than the
 * interactive limits is replaced. Rate limiting is the caller's
 * (domain/ratelimit.h). */
int account_authenticate(struct store_conn *c, const char *username, const char *password,
			 struct arena *a, struct actor *out);

/* account_admin.c: the operator's commands. Each opens and commits its
 * own transaction. */

/* One account as `ibbis user list` shows it. Strings: arena. */
struct account_row {
	int64_t id;
	const char *username, *name;
	enum account_role role; /* ROLE_COUNT for a role this build does not know */
	const char *org_name;   /* NULL when none */
	bool disabled;
	int64_t sessions;       /* active sessions */
};

/* Every account by username, or those of one role. *out: arena. */
int account_list(struct store_conn *c, struct arena *a, const enum account_role *role_or_null,
		 struct account_row **out, size_t *n);

/* Disables or enables an account; disabling removes its sessions
 * (*sessions_ended, may be NULL). ERR_NOT_FOUND for no such account. */
int account_set_disabled(struct store_conn *c, int64_t id, bool disabled,
			 int64_t *sessions_ended);

/* Changes a staff account's role and ends its sessions, so the new role
 * holds from the next login. ERR_INVALID when either role is service_user
 * (that account belongs to a case) or the role needs an organisation the
 * account lacks; ERR_NOT_FOUND for no such account. */
int account_set_role(struct store_conn *c, int64_t id, enum account_role role,
		     int64_t *sessions_ended);

/* The columns and joins that account_actor_read expects, for modules that
 * load an actor together with something else (sessions):
 *   "SELECT " ACCOUNT_ACTOR_COLS " FROM users u " ACCOUNT_ACTOR_JOIN "WHERE ..." */
#define ACCOUNT_ACTOR_COLS                                                                        \
	"u.id, u.username, u.name, u.role, o.name, o.kind, u.language, u.disabled"
#define ACCOUNT_ACTOR_JOIN " LEFT JOIN organisations o ON o.id = u.organisation_id "
#define ACCOUNT_ACTOR_NCOLS 8
/* Reads columns first .. first+7 of such a row. ERR_DB for an unknown role. */
int account_actor_read(struct store_stmt *st, int first, struct arena *a, struct actor *out);

#endif
