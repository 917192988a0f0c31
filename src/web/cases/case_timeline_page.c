/* case_timeline_page.c: the model of templates/cases/timeline.mustache:
 * the engine's output with labels, sentences and evidence per ground. */
#include "web/cases/case_timeline_page.h"

#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "view/i18n.h"

#define TEXT_MAX ((size_t)1 << 20)

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
	buf_init(&b, TEXT_MAX);
	for (int i = 0; i < t->n_explanations; i++) {
		buf_reset(&b);
		if (i18n_format(cat, lang, t->explanations[i], params, &b) == 0)
			json_array_append_new(arr, json_stringn(b.data, b.len));
	}
	buf_release(&b);
	json_decref(params);
	return arr;
}

static const char *const status_keys[] = {
	N_("casetimeline.status.ended"),	     N_("casetimeline.status.not_absent"),
	N_("casetimeline.status.not_counted"),	     N_("casetimeline.status.sickness_benefit"),
	N_("casetimeline.status.awaiting_decision"), N_("casetimeline.status.extended"),
	N_("casetimeline.status.job_clarification"),
};

static const char *const deadline_keys[RULES_DL_N] = {
	N_("casetimeline.deadline.first_followup"),
	N_("casetimeline.deadline.next_followup"),
	N_("casetimeline.deadline.category3_rehab_team"),
	N_("casetimeline.deadline.broad_assessment"),
	N_("casetimeline.deadline.reassessment_decision"),
	N_("casetimeline.deadline.job_clarification_rehab_team"),
};

static const char *const ground_keys[RULES_GROUNDS] = {
	N_("casetimeline.ground.1"), N_("casetimeline.ground.2"), N_("casetimeline.ground.3"),
	N_("casetimeline.ground.4"), N_("casetimeline.ground.5"), N_("casetimeline.ground.6"),
	N_("casetimeline.ground.7"),
};

struct named_key {
	const char *name, *key;
};

static const struct named_key evidence_keys[] = {
	{"medical_statement", N_("casetimeline.evidence.medical_statement")},
	{"health_summary", N_("casetimeline.evidence.health_summary")},
	{"le285", N_("casetimeline.evidence.le285")},
	{"le265", N_("casetimeline.evidence.le265")},
	{"employer_statement", N_("casetimeline.evidence.employer_statement")},
	{"municipal_assessment", N_("casetimeline.evidence.municipal_assessment")},
	{"other", N_("casetimeline.evidence.other")},
};

static const struct named_key flag_keys[] = {
	{"invalid_decision:no_hearing", N_("casetimeline.flag.invalid_decision")},
	{"over_limit_at_start", N_("casetimeline.flag.over_limit_at_start")},
};

static const struct named_key event_keys[] = {
	{"rehabilitation_started", N_("casetimeline.event.rehabilitation_started")},
	{"rehab_team_decision", N_("casetimeline.event.rehab_team_decision")},
	{"work_injury_decision", N_("casetimeline.event.work_injury_decision")},
	{"pension_decision", N_("casetimeline.event.pension_decision")},
};

#define LOOKUP(table, nm) lookup(table, sizeof table / sizeof table[0], nm)

static const char *lookup(const struct named_key *t, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].key;
	return NULL;
}

static json_t *text(const struct i18n *cat, const char *lang, const char *key)
{
	return json_string(key ? i18n_text(cat, lang, key) : "");
}

static void add_deadlines(json_t *m, const struct i18n *cat, const char *lang)
{
	json_t *rows = json_array();
	json_t *d;
	size_t i;
	json_array_foreach(json_object_get(m, "deadlines"), i, d) {
		const char *kind = json_string_value(json_object_get(d, "kind"));
		json_t *row = json_deep_copy(d);
		for (int k = 0; k < RULES_DL_N; k++)
			if (strcmp(kind, rules_deadline_name((enum rules_deadline_kind)k)) == 0) {
				json_object_set_new(row, "label", text(cat, lang, deadline_keys[k]));
				json_object_set_new(row, "milestone",
						    json_boolean(k == RULES_DL_BROAD_ASSESSMENT));
			}
		if (!json_is_null(json_object_get(d, "met_on")))
			json_object_set_new(row, "met", json_true());
		if (strcmp(kind, "reassessment_decision") == 0)
			json_object_set(m, "decision", row);
		json_array_append_new(rows, row);
	}
	json_object_set_new(m, "deadline_rows", rows);
	json_object_set_new(m, "has_deadlines", json_boolean(json_array_size(rows) > 0));
}

static void add_flags(json_t *m, const struct i18n *cat, const char *lang)
{
	json_t *rows = json_array();
	json_t *f;
	size_t i;
	json_array_foreach(json_object_get(m, "flags"), i, f) {
		const char *name = json_string_value(f);
		json_array_append_new(rows, json_pack("{s:s, s:o}", "flag", name, "text",
						      text(cat, lang, LOOKUP(flag_keys, name))));
	}
	json_object_set_new(m, "has_flags", json_boolean(json_array_size(rows) > 0));
	json_object_set_new(m, "flag_rows", rows);
}

static void add_extension(json_t *m, const struct i18n *cat, const char *lang)
{
	json_t *x = json_object_get(m, "extension");
	if (!json_is_object(x))
		return;
	int g = (int)json_integer_value(json_object_get(x, "ground"));
	json_t *v = json_object();
	if (g >= 1 && g <= RULES_GROUNDS)
		json_object_set_new(v, "ground_label", text(cat, lang, ground_keys[g - 1]));
	const char *ev = json_string_value(json_object_get(x, "until_event"));
	if (ev)
		json_object_set_new(v, "until_event_label", text(cat, lang, LOOKUP(event_keys, ev)));
	json_t *until = json_object_get(x, "until");
	json_object_set_new(v, "has_until", json_boolean(json_is_string(until)));
	json_object_set_new(v, "unlimited", json_boolean(until && json_is_null(until)));
	json_object_set_new(m, "extension_view", v);
}

static void add_evidence_labels(json_t *m, const struct i18n *cat, const char *lang)
{
	json_t *g;
	size_t i;
	json_array_foreach(json_object_get(m, "evidence_grounds"), i, g) {
		json_t *labels = json_array(), *k;
		size_t j;
		json_array_foreach(json_object_get(g, "kinds"), j, k) {
			const char *name = json_string_value(k);
			json_array_append_new(labels, json_pack("{s:s, s:o}", "kind", name, "label",
								text(cat, lang, LOOKUP(evidence_keys, name))));
		}
		json_object_set_new(g, "kind_labels", labels);
		json_object_set_new(g, "label", text(cat, lang, ground_keys[i % RULES_GROUNDS]));
	}
}

int case_timeline_page(struct store_conn *c, int64_t case_id, day_t today, const char *lang,
		       const struct i18n *cat, const struct case_timeline_opts *o,
		       struct arena *a, json_t **out)
{
	/* Evidence only of the categories the reader may see. */
	struct case_timeline_read r;
	int rc = case_timeline_read(c, case_id, today, o, a, &r);
	if (rc)
		return rc;
	json_t *m = r.engine;
	json_object_set_new(m, "explanation_texts", explanation_texts(&r.t, m, cat, lang));
	json_object_set_new(m, "evidence_grounds", r.evidence);
	const char *status = json_string_value(json_object_get(m, "status"));
	for (size_t i = 0; i < sizeof status_keys / sizeof status_keys[0]; i++)
		if (strcmp(status, rules_status_name((enum rules_status)i)) == 0)
			json_object_set_new(m, "status_label", text(cat, lang, status_keys[i]));
	json_object_set_new(m, "has_reassessment",
			    json_boolean(json_is_string(json_object_get(m, "reassessment_date"))));
	json_object_set_new(m, "limit_days", json_integer(case_timeline_profile()->limit_days));
	add_deadlines(m, cat, lang);
	add_flags(m, cat, lang);
	add_extension(m, cat, lang);
	add_evidence_labels(m, cat, lang);
	*out = m;
	return 0;
}
