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
#include "view/i18n.h"

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

static json_t *jday(day_t d)
{
	char s[DATE_STR_LEN];
	if (d == RULES_NO_DAY)
		return json_null();
	date_format(d, s);
	return json_string(s);
}

/* The placeholders of the explanation sentences: the output and params. */
static json_t *explain_params(json_t *engine, const struct rules_explain_params *p)
{
	json_t *o = json_deep_copy(engine);
	json_object_set_new(
		o, "params",
		json_pack("{s:o, s:o, s:i, s:i, s:i, s:i, s:i, s:i, s:I, s:I}", "counted_from",
			  jday(p->counted_from), "next_followup_due", jday(p->next_followup_due),
			  "window_months", p->window_months, "limit_days", p->limit_days,
			  "complaint_weeks", p->complaint_weeks, "rehab_team_days",
			  p->rehab_team_days, "job_clarification_max_years",
			  p->job_clarification_max_years, "rate_year", p->rate_year,
			  "rate_with_dependants", (json_int_t)p->rate_with_dependants,
			  "rate_without_dependants", (json_int_t)p->rate_without_dependants));
	return o;
}

static json_t *explanation_texts(const struct rules_timeline *t, json_t *engine,
				 const struct i18n *cat, const char *lang)
{
	json_t *params = explain_params(engine, &t->params);
	json_t *arr = json_array();
	struct buf b;
	buf_init(&b, JSON_MAX);
	for (int i = 0; i < t->n_explanations; i++) {
		buf_reset(&b);
		if (i18n_format(cat, lang, t->explanations[i], params, &b) == 0)
			json_array_append_new(arr, json_stringn(b.data, b.len));
	}
	buf_release(&b);
	json_decref(params);
	return arr;
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
static int load(struct store_conn *c, int64_t case_id, day_t today, const struct case_timeline_opts *o,
		struct arena *a, struct rules_timeline *t, json_t **engine, json_t **evidence)
{
	struct case_facts cf;
	*engine = *evidence = NULL;
	int rc = store_begin_read(c);
	if (rc)
		return rc;
	rc = case_facts_load(c, case_id, today, a, &cf);
	if (rc == 0 && o)
		rc = evidence_grounds(c, case_id, o->evidence_health_shared, o->evidence_employment,
				      evidence);
	int rc2 = store_commit(c);
	if (rc == 0)
		rc = rc2;
	if (rc == 0)
		rc = case_timeline_compute(&cf.f, a, t);
	if (rc == 0)
		rc = case_timeline_engine_json(t, engine);
	if (rc) {
		json_decref(*evidence);
		*evidence = NULL;
	}
	return rc == ERR_INVALID ? ERR_DB : rc;
}

int case_timeline_json(struct store_conn *c, int64_t case_id, day_t today, const char *lang,
		       const struct i18n *cat, struct arena *a, json_t **out)
{
	static const struct case_timeline_opts all = {true, true};
	return case_timeline_json_opts(c, case_id, today, lang, cat, &all, a, out);
}

int case_timeline_json_opts(struct store_conn *c, int64_t case_id, day_t today, const char *lang,
			    const struct i18n *cat, const struct case_timeline_opts *o,
			    struct arena *a, json_t **out)
{
	struct rules_timeline t;
	json_t *engine, *evidence;
	int rc = load(c, case_id, today, cat ? o : NULL, a, &t, &engine, &evidence);
	if (rc)
		return rc;
	if (cat) {
		json_object_set_new(engine, "explanation_texts",
				    explanation_texts(&t, engine, cat, lang));
		json_object_set_new(engine, "evidence_grounds", evidence);
	}
	*out = engine;
	return 0;
}
