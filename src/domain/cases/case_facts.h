/* case_facts.h: the timeline engine's facts (struct rules_facts) for cases,
 * read from the database.
 *
 * Built to load MANY cases at once: each table is read once per batch, in
 * case_id order (an index range scan), and merged with the batch's cases.
 * A sweep over 100,000 cases is then about 8 statements per 5,000 cases,
 * not 7 statements per case. Call inside a transaction (read or write);
 * the single-case form opens a read transaction of its own if needed. */
#ifndef IBBIS_CASE_FACTS_H
#define IBBIS_CASE_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "rules/rules.h"

struct arena;
struct store_conn;

/* One case: its ids and the engine's input. */
struct case_facts {
	int64_t case_id;
	int64_t cm_id; /* assigned care manager; 0 when none */
	int64_t ec_id; /* assigned employment consultant; 0 when none */
	bool open;
	struct rules_facts f; /* arrays: arena */
};

/* Up to `limit` cases with id > after_id, in id order (open ones only when
 * open_only), with their facts as of as_of. *out: arena; *n may be 0 (no
 * more cases). ERR_DB for an unreadable stored date. */
int case_facts_load_batch(struct store_conn *c, int64_t after_id, size_t limit, bool open_only,
			  day_t as_of, struct arena *a, struct case_facts **out, size_t *n);

/* One case. ERR_NOT_FOUND when there is no such case. */
int case_facts_load(struct store_conn *c, int64_t case_id, day_t as_of, struct arena *a,
		    struct case_facts *out);

/* The facts as the engine's input JSON (spec section 9), for `ibbis
 * timeline` and tests. *out: caller decrefs. */
int case_facts_to_json(const struct rules_facts *f, json_t **out);

#endif
