/* case_timeline.h: a real case's timeline: its facts from the database
 * (case_facts.h) through the engine (rules/), as the engine's section 9
 * JSON, and for pages the same with sentences and evidence per ground.
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
struct i18n;
struct store_conn;

/* The process's profile; NULL only if the embedded file does not parse
 * (logged). static */
const struct rules_profile *case_timeline_profile(void);

/* The engine's section 9 JSON as a jansson object (exactly what
 * rules_timeline_json writes). *out: caller decrefs. */
int case_timeline_engine_json(const struct rules_timeline *t, json_t **out);

/* What case_timeline_page shows of the evidence table. */
struct case_timeline_opts {
	bool evidence_health_shared; /* evidence of category health_shared */
	bool evidence_employment;    /* evidence of category employment */
};

/* The timeline of case_id on `today`. With cat == NULL: exactly the
 * engine's output. With a catalogue: the same object plus, for pages,
 * "explanation_texts" (the sentences in lang) and "evidence_grounds"
 * ([{"ground", "supported", "kinds"}], from every evidence row: for trusted
 * callers; pages use case_timeline_page). ERR_NOT_FOUND for no case.
 * *out: caller decrefs. Opens its own read transaction when none is open. */
int case_timeline_json(struct store_conn *c, int64_t case_id, day_t today, const char *lang,
		       const struct i18n *cat, struct arena *a, json_t **out);

/* case_timeline_json with the evidence limited to the categories in o. */
int case_timeline_json_opts(struct store_conn *c, int64_t case_id, day_t today, const char *lang,
			    const struct i18n *cat, const struct case_timeline_opts *o,
			    struct arena *a, json_t **out);

/* The model for templates/cases/timeline.mustache (the case page's key
 * "timeline"): the engine's output plus sentences, labels and the evidence
 * the options allow. *out: caller decrefs. */
int case_timeline_page(struct store_conn *c, int64_t case_id, day_t today, const char *lang,
		       const struct i18n *cat, const struct case_timeline_opts *o,
		       struct arena *a, json_t **out);

/* The timeline of a case's facts (for the sweep and tests). */
int case_timeline_compute(const struct rules_facts *f, struct arena *a, struct rules_timeline *out);

#endif
