/* case_timeline.h: a real case's timeline: its facts from the database
 * (case_facts.h) through the engine (rules/), as the engine's section 9
 * JSON, and for pages the same with the evidence per ground (the page's
 * words are the web layer's: web/cases/case_timeline_page.h).
 *
 * The profile is the embedded rules/dk-2015.conf, parsed once per process
 * (thread-safe lazy init), never per request. */
#ifndef IBBIS_CASE_TIMELINE_H
#define IBBIS_CASE_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "rules/rules.h"

struct arena;
struct store_conn;

/* The process's profile; NULL only if the embedded file does not parse
 * (logged). static */
const struct rules_profile *case_timeline_profile(void);

/* The engine's section 9 JSON as a jansson object (exactly what
 * rules_timeline_json writes). *out: caller decrefs. */
int case_timeline_engine_json(const struct rules_timeline *t, json_t **out);

/* Which evidence a page may show. */
struct case_timeline_opts {
	bool evidence_health_shared; /* evidence of category health_shared */
	bool evidence_employment;    /* evidence of category employment */
};

/* A case's timeline as a page needs it. */
struct case_timeline_read {
	struct rules_timeline t; /* in the caller's arena */
	json_t *engine;          /* owned: the engine's section 9 JSON */
	json_t *evidence;        /* owned: [{"ground", "supported", "kinds"}] for
				  * grounds 1..7 from the evidence rows of the
				  * categories o allows; NULL without o */
};

/* The timeline of case_id on `today`. ERR_NOT_FOUND for no case. Opens its
 * own read transaction when none is open. On failure nothing is owned. */
int case_timeline_read(struct store_conn *c, int64_t case_id, day_t today,
		       const struct case_timeline_opts *o, struct arena *a,
		       struct case_timeline_read *out);

/* Exactly the engine's output for case_id on `today`. *out: caller decrefs. */
int case_timeline_json(struct store_conn *c, int64_t case_id, day_t today, struct arena *a,
		       json_t **out);

/* The timeline of a case's facts (for the sweep and tests). */
int case_timeline_compute(const struct rules_facts *f, struct arena *a, struct rules_timeline *out);

#endif
