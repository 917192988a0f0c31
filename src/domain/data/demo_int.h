/* demo_int.h: shared by demo*.c only. */
#ifndef IBBIS_DEMO_INT_H
#define IBBIS_DEMO_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "domain/data/demo.h"

struct store_conn;
struct arena;

/* xoshiro-style generator state; deterministic for a seed. */
struct demo_rng {
	uint64_t s;
};

void demo_rng_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_next(struct demo_rng *r);
/* Uniform in [lo, hi]. */
long demo_range(struct demo_rng *r, long lo, long hi);
/* True with probability pct/100. */
bool demo_chance(struct demo_rng *r, int pct);
/* One of the n strings. static */
const char *demo_pick(struct demo_rng *r, const char *const *list, size_t n);
#define DEMO_PICK(r, list) demo_pick(r, list, sizeof list / sizeof list[0])

/* "Firstname Lastname" into out. */
void demo_name(struct demo_rng *r, char *out, size_t outsz, char **first_out);
/* A valid-format CPR number (ten digits) that fails the modulus-11 check
 * with a birth date before 2007: never issued to a real person. */
void demo_cpr(struct demo_rng *r, char out[11]);
/* "demo-" and eight lower-case letters. */
void demo_password(struct demo_rng *r, char out[14]);

/* Runs one statement. types: one letter per parameter: i int64, I int64 or
 * NULL when 0, s string (NULL binds NULL), d day_t (RULES_NO_DAY binds
 * NULL), b blob (pointer, size_t), then the values. When id is not NULL
 * the statement RETURNs one integer into it. */
int demo_exec(struct store_conn *c, const char *sql, int64_t *id, const char *types, ...);

/* A staff member or service user with a login. */
struct demo_user {
	int64_t id;
	json_t *cases; /* borrowed from the accounts JSON, or NULL */
};

struct demo_team {
	int64_t id;
	int64_t org_h, org_j;
	char name[80];
	const char *org_j_name; /* static */
	struct demo_user cm[4], ec[3], sup_h, sup_j;
};

/* What demo_case needs from the rest. */
struct demo_ctx {
	struct store_conn *c;
	struct arena *a; /* scratch, reset per batch */
	const struct demo_opts *o;
	struct demo_rng rng;
	const char *bulk_hash; /* the shared hash of users without a login */
	json_t *accounts;      /* borrowed */
	struct demo_stats *st;
	bool sealing;          /* a key is loaded: clinical text is sealed */
};

/* Writes case number k (0-based) of team t with all its rows. */
int demo_case(struct demo_ctx *d, long k, struct demo_team *t, int cm, int ec);

/* The insight rows (demo_insight.c): survey rounds, pulses, the team's records. */
int demo_insight(struct demo_ctx *d, struct demo_team *teams, long nteams);

/* Writes one account; its JSON entry when password is not NULL. */
int demo_user_add(struct demo_ctx *d, const char *username, const char *name, const char *role,
		  int64_t org_id, const char *org_name, const char *team, const char *password,
		  struct demo_user *out);

#endif
