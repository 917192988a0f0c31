/* facts.c: a case's facts (spec section 9 input) from JSON.
 *
 * Every refusal is ERR_INVALID with one line "FIELD: problem", the field
 * written as a path ("absences[1].to"). Unknown keys are ignored, so
 * callers may carry extra data ("why" in test files). */
#include "rules/rules.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"

/* Dates outside this range are refused: they would only be typing errors,
 * and month arithmetic stays far from the calendar's ends. */
#define YEAR_MIN 1900
#define YEAR_MAX 2199

struct fctx {
	struct arena *a;
	char *err;
};

static int fail(struct fctx *c, const char *field, const char *what)
{
	str_fmt(c->err, RULES_ERR_LEN, "%s: %s", field, what);
	return ERR_INVALID;
}

static const char *path(struct fctx *c, const char *arr, size_t i, const char *key)
{
	if (key)
		return arena_printf(c->a, "%s[%zu].%s", arr, i, key);
	return arena_printf(c->a, "%s[%zu]", arr, i);
}

/* A date field: must be a string "YYYY-MM-DD" within range. */
static int get_date(struct fctx *c, const json_t *v, const char *field, day_t *out)
{
	int y, m, d;
	if (!json_is_string(v) || date_parse(json_string_value(v), out) != 0)
		return fail(c, field, "not a date (YYYY-MM-DD)");
	date_to_ymd(*out, &y, &m, &d);
	if (y < YEAR_MIN || y > YEAR_MAX)
		return fail(c, field, "date out of range (1900-2199)");
	return 0;
}

/* A missing or null value counts as left out. */
static const json_t *opt(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_null(v) ? NULL : v;
}

static int get_array(struct fctx *c, const json_t *root, const char *key, size_t *n)
{
	const json_t *v = opt(root, key);
	*n = 0;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return fail(c, key, "not an array");
	if (json_array_size(v) > RULES_MAX_ITEMS)
		return fail(c, key, "too many entries");
	*n = json_array_size(v);
	return 0;
}

static int get_object_item(struct fctx *c, const json_t *arr, const char *key, size_t i, const json_t **o)
{
	*o = json_array_get(arr, i);
	if (!json_is_object(*o))
		return fail(c, path(c, key, i, NULL), "not an object");
	return 0;
}

/* absences (open allowed) or earlier_benefit (closed only). */
static int get_periods(struct fctx *c, const json_t *root, const char *key, bool open_ok,
		       struct rules_period **out, size_t *n)
{
	int rc = get_array(c, root, key, n);
	if (rc)
		return rc;
	const json_t *arr = json_object_get(root, key);
	*out = arena_array(c->a, *n ? *n : 1, sizeof **out);
	for (size_t i = 0; i < *n; i++) {
		const json_t *o, *to, *part;
		struct rules_period *p = &(*out)[i];
		if ((rc = get_object_item(c, arr, key, i, &o)) ||
		    (rc = get_date(c, json_object_get(o, "from"), path(c, key, i, "from"), &p->a)))
			return rc;
		to = opt(o, "to");
		if (!to && open_ok)
			p->b = RULES_OPEN;
		else if ((rc = get_date(c, to, path(c, key, i, "to"), &p->b)))
			return rc;
		else if (p->b < p->a)
			return fail(c, path(c, key, i, "to"), "before from");
		part = opt(o, "partial");
		if (part && !json_is_boolean(part))
			return fail(c, path(c, key, i, "partial"), "not true or false");
	}
	return 0;
}

static int get_followups(struct fctx *c, const json_t *root, struct rules_facts *f)
{
	int rc = get_array(c, root, "followups", &f->n_followups);
	if (rc)
		return rc;
	const json_t *arr = json_object_get(root, "followups");
	f->followups = arena_array(c->a, f->n_followups ? f->n_followups : 1, sizeof *f->followups);
	for (size_t i = 0; i < f->n_followups; i++)
		if ((rc = get_date(c, json_array_get(arr, i), path(c, "followups", i, NULL), &f->followups[i])))
			return rc;
	return 0;
}

static int get_categories(struct fctx *c, const json_t *root, struct rules_facts *f)
{
	int rc = get_array(c, root, "categories", &f->n_categories);
	if (rc)
		return rc;
	const json_t *arr = json_object_get(root, "categories");
	f->categories = arena_array(c->a, f->n_categories ? f->n_categories : 1, sizeof *f->categories);
	for (size_t i = 0; i < f->n_categories; i++) {
		const json_t *o, *cat;
		if ((rc = get_object_item(c, arr, "categories", i, &o)) ||
		    (rc = get_date(c, json_object_get(o, "on"), path(c, "categories", i, "on"),
				   &f->categories[i].on)))
			return rc;
		cat = json_object_get(o, "category");
		if (!json_is_integer(cat) || json_integer_value(cat) < 1 || json_integer_value(cat) > 3)
			return fail(c, path(c, "categories", i, "category"), "must be 1-3");
		f->categories[i].category = (int)json_integer_value(cat);
	}
	return 0;
}

static int get_decision(struct fctx *c, const json_t *o, size_t i, struct rules_decision *d)
{
	const json_t *kind = json_object_get(o, "kind"), *g = opt(o, "ground"), *h = opt(o, "hearing");
	int rc = get_date(c, json_object_get(o, "on"), path(c, "decisions", i, "on"), &d->on);
	if (rc)
		return rc;
	d->hearing = RULES_NO_DAY;
	if (h && (rc = get_date(c, h, path(c, "decisions", i, "hearing"), &d->hearing)))
		return rc;
	if (!json_is_string(kind))
		return fail(c, path(c, "decisions", i, "kind"), "missing (extension or job_clarification)");
	if (strcmp(json_string_value(kind), "extension") == 0) {
		d->kind = RULES_DEC_EXTENSION;
		if (!json_is_integer(g) || json_integer_value(g) < 1 || json_integer_value(g) > RULES_GROUNDS)
			return fail(c, path(c, "decisions", i, "ground"), "must be 1-7");
		d->ground = (int)json_integer_value(g);
	} else if (strcmp(json_string_value(kind), "job_clarification") == 0) {
		d->kind = RULES_DEC_JOB_CLARIFICATION;
		if (g)
			return fail(c, path(c, "decisions", i, "ground"), "only for an extension");
	} else {
		return fail(c, path(c, "decisions", i, "kind"), "unknown kind (extension or job_clarification)");
	}
	return 0;
}

static int get_decisions(struct fctx *c, const json_t *root, struct rules_facts *f)
{
	int rc = get_array(c, root, "decisions", &f->n_decisions);
	if (rc)
		return rc;
	const json_t *arr = json_object_get(root, "decisions");
	f->decisions = arena_array(c->a, f->n_decisions ? f->n_decisions : 1, sizeof *f->decisions);
	for (size_t i = 0; i < f->n_decisions; i++) {
		const json_t *o;
		if ((rc = get_object_item(c, arr, "decisions", i, &o)) ||
		    (rc = get_decision(c, o, i, &f->decisions[i])))
			return rc;
	}
	return 0;
}

static int get_events(struct fctx *c, const json_t *root, struct rules_facts *f)
{
	int rc = get_array(c, root, "events", &f->n_events);
	if (rc)
		return rc;
	const json_t *arr = json_object_get(root, "events");
	f->events = arena_array(c->a, f->n_events ? f->n_events : 1, sizeof *f->events);
	for (size_t i = 0; i < f->n_events; i++) {
		const json_t *o, *kind;
		struct rules_event_rec *e = &f->events[i];
		if ((rc = get_object_item(c, arr, "events", i, &o)) ||
		    (rc = get_date(c, json_object_get(o, "on"), path(c, "events", i, "on"), &e->on)))
			return rc;
		kind = json_object_get(o, "kind");
		e->kind = RULES_EV_NONE;
		for (int k = 0; k < RULES_EV_N && json_is_string(kind); k++)
			if (strcmp(json_string_value(kind), rules_event_name((enum rules_event)k)) == 0)
				e->kind = (enum rules_event)k;
		if (e->kind == RULES_EV_NONE)
			return fail(c, path(c, "events", i, "kind"), "unknown kind");
	}
	return 0;
}

static int get_employment(struct fctx *c, const json_t *root, struct rules_facts *f)
{
	static const char *const names[RULES_EMPLOYMENT_N] = {"employee", "self_employed", "unemployed"};
	const json_t *v = opt(root, "employment");
	f->employment = RULES_EMPLOYEE;
	if (!v)
		return 0;
	for (int i = 0; i < RULES_EMPLOYMENT_N && json_is_string(v); i++)
		if (strcmp(json_string_value(v), names[i]) == 0) {
			f->employment = (enum rules_employment)i;
			return 0;
		}
	return fail(c, "employment", "unknown employment (employee, self_employed or unemployed)");
}

static int get_fast_track(struct fctx *c, const json_t *root, struct rules_facts *f)
{
	const json_t *v = opt(root, "fast_track"), *r;
	f->fast_track_requested = RULES_NO_DAY;
	if (!v)
		return 0;
	if (!json_is_object(v))
		return fail(c, "fast_track", "not an object");
	int rc = get_date(c, json_object_get(v, "requested"), "fast_track.requested", &f->fast_track_requested);
	if (rc)
		return rc;
	r = opt(v, "refused");
	if (r && !json_is_boolean(r))
		return fail(c, "fast_track.refused", "not true or false");
	f->fast_track_refused = r && json_is_true(r);
	return 0;
}

int rules_facts_from_json(const json_t *root, struct arena *a, struct rules_facts *f,
			  char err[RULES_ERR_LEN])
{
	struct fctx c = {a, err};
	int rc;
	memset(f, 0, sizeof *f);
	err[0] = '\0';
	if (!json_is_object(root))
		return fail(&c, "input", "not a JSON object");
	if ((rc = get_date(&c, json_object_get(root, "as_of"), "as_of", &f->as_of)) ||
	    (rc = get_employment(&c, root, f)) ||
	    (rc = get_date(&c, json_object_get(root, "first_absence_day"), "first_absence_day",
			   &f->first_absence_day)))
		return rc;
	if (!json_is_array(json_object_get(root, "absences")))
		return fail(&c, "absences", "missing (an array)");
	if ((rc = get_periods(&c, root, "absences", true, &f->absences, &f->n_absences)) ||
	    (rc = get_periods(&c, root, "earlier_benefit", false, &f->earlier, &f->n_earlier)) ||
	    (rc = get_fast_track(&c, root, f)) || (rc = get_followups(&c, root, f)) ||
	    (rc = get_categories(&c, root, f)) || (rc = get_decisions(&c, root, f)) ||
	    (rc = get_events(&c, root, f)))
		return rc;
	return 0;
}

int rules_facts_parse(const char *text, size_t len, struct arena *a, struct rules_facts *out,
		      char err[RULES_ERR_LEN])
{
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		str_fmt(err, RULES_ERR_LEN, "input: not JSON (line %d: %s)", je.line, je.text);
		return ERR_INVALID;
	}
	int rc = rules_facts_from_json(root, a, out, err);
	json_decref(root);
	return rc;
}
