/* case_timeline.c: a case's timeline from its stored facts (case_timeline.h). */
#include "domain/cases/case_timeline.h"

#include <pthread.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "domain/cases/case_facts.h"
#include "store/store.h"

#define PROFILE_PATH "rules/dk-2015.conf"
#define JSON_MAX ((size_t)1 << 20)

static struct arena profile_arena; /* process lifetime */
static struct rules_profile profile;
static bool profile_ok;
static pthread_once_t profile_once = PTHREAD_ONCE_INIT;

static void profile_init(void)
{
	char err[RULES_ERR_LEN];
	const struct embed_file *ef = embed_find(PROFILE_PATH);
	arena_init(&profile_arena);
	if (!ef) {
		log_error("case_timeline: %s is not embedded", PROFILE_PATH);
		return;
	}
	if (rules_profile_parse(ef->data, ef->len, ef->path, &profile_arena, &profile, err)) {
		log_error("case_timeline: %s", err);
		return;
	}
	profile_ok = true;
}

const struct rules_profile *case_timeline_profile(void)
{
	pthread_once(&profile_once, profile_init);
	return profile_ok ? &profile : NULL;
}

int case_timeline_compute(const struct rules_facts *f, struct arena *a, struct rules_timeline *out)
{
	const struct rules_profile *p = case_timeline_profile();
	if (!p)
		return ERR_INTERNAL;
	return rules_compute(p, f, a, out);
}

int case_timeline_engine_json(const struct rules_timeline *t, json_t **out)
{
	struct buf b;
	buf_init(&b, JSON_MAX);
	int rc = rules_timeline_json(t, &b);
	*out = rc ? NULL : json_loadb(b.data, b.len, 0, NULL);
	buf_release(&b);
	return *out ? 0 : ERR_INTERNAL;
}

static const char SQL_EVIDENCE[] =
	"SELECT ground, kind, category FROM evidence WHERE case_id = $1 AND ground IS NOT NULL "
	"ORDER BY ground, kind";

/* [{"ground": N, "supported": bool, "kinds": [...]}] for grounds 1..7, from
 * the evidence rows of the allowed categories. */
static int evidence_grounds(struct store_conn *c, int64_t case_id, bool health, bool employment,
			    json_t **out)
{
	json_t *kinds[RULES_GROUNDS];
	struct store_stmt *st;
	int rc = store_prepare(c, SQL_EVIDENCE, &st), step = 0;
	for (int g = 0; g < RULES_GROUNDS; g++)
		kinds[g] = json_array();
	if (rc == 0)
		rc = store_bind_int64(st, 1, case_id);
	while (rc == 0 && (step = store_step(st)) == STORE_ROW) {
		int g = (int)store_col_int64(st, 0);
		const char *kind = store_col_text(st, 1, NULL);
		const char *catg = store_col_text(st, 2, NULL);
		bool ok = strcmp(catg, "health_shared") == 0 ? health : employment;
		if (!ok || g < 1 || g > RULES_GROUNDS)
			continue;
		bool seen = false;
		for (size_t i = 0; i < json_array_size(kinds[g - 1]); i++)
			seen |= strcmp(json_string_value(json_array_get(kinds[g - 1], i)), kind) == 0;
		if (!seen)
			json_array_append_new(kinds[g - 1], json_string(kind));
	}
	if (rc == 0 && step < 0)
		rc = step;
	*out = json_array();
	for (int g = 0; g < RULES_GROUNDS; g++)
		json_array_append_new(*out, json_pack("{s:i, s:b, s:o}", "ground", g + 1, "supported",
						      json_array_size(kinds[g]) > 0, "kinds",
						      kinds[g]));
	return rc;
}

/* Facts, timeline and engine JSON for one case, inside one read transaction. */
int case_timeline_read(struct store_conn *c, int64_t case_id, day_t today,
		       const struct case_timeline_opts *o, struct arena *a,
		       struct case_timeline_read *out)
{
	struct case_facts cf;
	out->engine = out->evidence = NULL;
	int rc = store_begin_read(c);
	if (rc)
		return rc;
	rc = case_facts_load(c, case_id, today, a, &cf);
	if (rc == 0 && o)
		rc = evidence_grounds(c, case_id, o->evidence_health_shared, o->evidence_employment,
				      &out->evidence);
	int rc2 = store_commit(c);
	if (rc == 0)
		rc = rc2;
	if (rc == 0)
		rc = case_timeline_compute(&cf.f, a, &out->t);
	if (rc == 0)
		rc = case_timeline_engine_json(&out->t, &out->engine);
	if (rc) {
		json_decref(out->evidence);
		out->evidence = NULL;
	}
	return rc == ERR_INVALID ? ERR_DB : rc;
}

int case_timeline_json(struct store_conn *c, int64_t case_id, day_t today, struct arena *a,
		       json_t **out)
{
	struct case_timeline_read r;
	int rc = case_timeline_read(c, case_id, today, NULL, a, &r);
	*out = rc ? NULL : r.engine;
	return rc;
}
