/* h_trust_records.c: evidence and decisions for the benefit case. */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/decision.h"
#include "domain/trust/evidence.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/h_form_int.h"
#include "web/trust/h_trust.h"
#include "web/web.h"

#define BIT(cat) (1u << (unsigned)(cat))

/* group: "kind" (evidence) or "decision_kind": each has its own words. */
static json_t *kinds_json(struct web_ctx *c, const char *group, const char *const *kinds,
			  size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "value", kinds[i], "label",
						     trust_label(c, group, kinds[i])));
	return arr;
}

/* Numbered choices 1..n in the law's own words (KEY_PREFIX.N). */
static json_t *numbered_json(struct web_ctx *c, const char *prefix, int n, const char *field)
{
	json_t *arr = json_array();
	for (int i = 1; i <= n; i++)
		json_array_append_new(arr, json_pack("{s:i, s:s}", "value", i, "label",
						     web_t(c, arena_printf(c->a, "%s.%d", prefix, i))));
	form_mark(arr, "value", form_typed(c, field), "checked");
	return arr;
}

static json_t *evidence_json(struct web_ctx *c, const struct evidence *e)
{
	const char *cat = policy_category_name(e->category);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)e->id,
			      "kind", e->kind, "kind_label", trust_label(c, "kind", e->kind),
			      "category", cat, "category_label", trust_label(c, "category", cat),
			      "supplied_by", trust_person(e->supplied_by, e->supplied_by_name),
			      "supplied_on", e->supplied_on ? e->supplied_on : "", "text",
			      e->text ? e->text : "");
	json_object_set_new(o, "ground", e->ground ? json_integer(e->ground) : json_null());
	return o;
}

static int evidence_fill(struct web_ctx *c, struct gate *g)
{
	unsigned mask = 0;
	if (gate_may(g, POLICY_HEALTH_SHARED, POLICY_READ))
		mask |= BIT(POLICY_HEALTH_SHARED);
	if (gate_may(g, POLICY_EMPLOYMENT, POLICY_READ))
		mask |= BIT(POLICY_EMPLOYMENT);
	struct evidence *ev;
	size_t n;
	int rc = evidence_list(c->db, c->a, g->cr.id, mask, &ev, &n);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (gate_allow(c, g, ev[i].category, POLICY_READ,
			       arena_printf(c->a, "evidence:%lld", (long long)ev[i].id))) {
			json_decref(arr);
			return ERR_FORBIDDEN;
		}
		json_array_append_new(arr, evidence_json(c, &ev[i]));
	}
	bool can = gate_may(g, POLICY_HEALTH_SHARED, POLICY_CREATE) ||
		   gate_may(g, POLICY_EMPLOYMENT, POLICY_CREATE);
	web_model_merge(c, json_pack("{s:I, s:o, s:b, s:o, s:s}", "case_id", (json_int_t)g->cr.id,
				     "evidence", arr, "can_write", can, "kinds",
				     kinds_json(c, "kind", evidence_kinds, 7), "action",
				     trust_path(c, g->cr.id, "evidence")));
	c->template = "trust/evidence";
	c->title_key = N_("trust.evidence.title");
	return 0;
}

int h_trust_evidence_list(struct web_ctx *c)
{
	struct gate g;
	int rc = trust_open(c, &g);
	if (rc || (rc = store_begin_read(c->db)))
		return rc;
	rc = evidence_fill(c, &g);
	int rc2 = store_commit(c->db);
	return rc ? rc : rc2;
}

/* Validation failed: the page again, with what was typed (h_form_int.h). */
static int refill(struct web_ctx *c, struct gate *g, int err,
		  int (*fill)(struct web_ctx *, struct gate *), const char *form)
{
	if (!c->want_json && fill(c, g) == 0) {
		form_mark(json_object_get(c->model, "kinds"), "value", form_typed(c, "kind"),
			  "selected");
		form_keep(c, form);
	}
	return err;
}

/* "other" evidence takes the category its author writes. */
static enum policy_category evidence_side(struct gate *g, enum policy_category cat)
{
	if (cat != POLICY_CATEGORY_INVALID)
		return cat;
	return gate_may(g, POLICY_HEALTH_SHARED, POLICY_CREATE) ? POLICY_HEALTH_SHARED
								 : POLICY_EMPLOYMENT;
}

static int evidence_parse(struct web_ctx *c, struct gate *g, json_t *in, struct evidence *e)
{
	/* Every field is checked, so the error summary lists each one wrong;
	 * a known kind's side is checked against the author at once. */
	enum policy_category cat = POLICY_CATEGORY_INVALID;
	e->kind = evidence_kind(field_str(in, "kind"), &cat);
	if (!e->kind) {
		web_fail_more(c, ERR_INVALID, "kind", N_("trust.err.evidence_kind"));
	} else {
		e->category = evidence_side(g, cat);
		if (!gate_may(g, e->category, POLICY_CREATE))
			return gate_allow(c, g, e->category, POLICY_CREATE, "evidence");
	}
	long ground = 0;
	bool has = false;
	if (field_int(in, "ground", 1, 7, &ground, &has))
		web_fail_more(c, ERR_INVALID, "ground", N_("trust.err.ground"));
	e->ground = has ? (int)ground : 0;
	day_t d;
	e->supplied_on = field_str(in, "supplied_on");
	if (!e->supplied_on || date_parse(e->supplied_on, &d))
		web_fail_more(c, ERR_INVALID, "supplied_on", N_("trust.err.supplied_on"));
	e->text = field_str(in, "text");
	if (e->text &&
	    (strlen(e->text) > EVIDENCE_TEXT_MAX || !str_valid_utf8(e->text, strlen(e->text))))
		web_fail_more(c, ERR_INVALID, "text", N_("trust.err.text"));
	e->supplied_by = c->actor->id;
	return c->err;
}

int h_trust_evidence_create(struct web_ctx *c)
{
	struct gate g;
	json_t *in;
	int rc = trust_open(c, &g);
	if (rc || (rc = web_input(c, &in)))
		return rc;
	struct evidence e = {0};
	if ((rc = evidence_parse(c, &g, in, &e)))
		return rc == ERR_INVALID ? refill(c, &g, rc, evidence_fill, "evidence") : rc;
	int64_t id;
	if ((rc = store_begin_write(c->db)))
		return rc;
	rc = evidence_create(c->db, c->a, g.cr.id, &e, clock_now(), &id);
	if (!rc)
		rc = gate_allow(c, &g, e.category, POLICY_CREATE,
				arena_printf(c->a, "evidence:%lld", (long long)id));
	if (!rc)
		rc = store_commit(c->db);
	if (rc)
		return rc;
	c->status = 201;
	web_model_merge(c, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "kind", e.kind,
				     "category", policy_category_name(e.category)));
	c->redirect = trust_path(c, g.cr.id, "evidence");
	return 0;
}

/* The complaint guidance, in both languages, as given with the decision. */
static char *complaint_text(struct web_ctx *c) /* arena */
{
	json_t *o = json_pack("{s:s, s:s}", "en",
			      i18n_text(c->app->i18n, "en", N_("trust.decision.complaint")), "da",
			      i18n_text(c->app->i18n, "da", N_("trust.decision.complaint")));
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s)
		return arena_strdup(c->a, "");
	char *r = arena_strdup(c->a, s);
	free(s);
	return r;
}

static json_t *complaint_json(const char *stored)
{
	json_t *o = stored && *stored ? json_loads(stored, 0, NULL) : NULL;
	return o ? o : json_pack("{s:s}", "text", stored ? stored : "");
}

static json_t *decision_json(struct web_ctx *c, const struct decision *d)
{
	json_t *o = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)d->id, "kind",
		d->kind, "kind_label", trust_label(c, "decision_kind", d->kind), "hearing",
		d->hearing ? d->hearing : "", "on", d->on ? d->on : "", "legal_basis",
		d->legal_basis ? d->legal_basis : "", "reasons", d->reasons ? d->reasons : "",
		"author", trust_person(d->author_id, d->author_name), "complaint",
		complaint_json(d->complaint));
	json_object_set_new(o, "ground", d->ground ? json_integer(d->ground) : json_null());
	json_object_set_new(o, "category", d->category ? json_integer(d->category) : json_null());
	json_object_set_new(o, "lapse_from", d->lapse_from ? json_string(d->lapse_from) : json_null());
	json_object_set_new(o, "lapse_to", d->lapse_to ? json_string(d->lapse_to) : json_null());
	json_object_set_new(o, "complaint_text",
			    json_string(web_t(c, N_("trust.decision.complaint"))));
	return o;
}

static int decisions_fill(struct web_ctx *c, struct gate *g)
{
	struct decision *d = NULL;
	size_t n = 0;
	int rc = 0;
	if (gate_may(g, POLICY_DECISION, POLICY_READ))
		rc = decision_list(c->db, c->a, g->cr.id, &d, &n);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (gate_allow(c, g, POLICY_DECISION, POLICY_READ,
			       arena_printf(c->a, "decision:%lld", (long long)d[i].id))) {
			json_decref(arr);
			return ERR_FORBIDDEN;
		}
		json_array_append_new(arr, decision_json(c, &d[i]));
	}
	web_model_merge(c, json_pack("{s:I, s:o, s:b, s:o, s:s}", "case_id", (json_int_t)g->cr.id,
				     "decisions", arr, "can_write",
				     gate_may(g, POLICY_DECISION, POLICY_CREATE), "kinds",
				     kinds_json(c, "decision_kind", decision_kinds, 4), "action",
				     trust_path(c, g->cr.id, "decisions")));
	if (!c->want_json)
		web_model_merge(c, json_pack("{s:o, s:o}", "grounds",
					     numbered_json(c, "trust.decisions.ground_text", 7,
							   "ground"),
					     "categories",
					     numbered_json(c, "trust.decisions.category_text", 3,
							   "category")));
	c->template = "trust/decisions";
	c->title_key = N_("trust.decisions.title");
	return 0;
}

int h_trust_decisions_list(struct web_ctx *c)
{
	struct gate g;
	int rc = trust_open(c, &g);
	if (rc || (rc = store_begin_read(c->db)))
		return rc;
	rc = decisions_fill(c, &g);
	int rc2 = store_commit(c->db);
	return rc ? rc : rc2;
}

static int decision_parse(struct web_ctx *c, json_t *in, struct decision *d)
{
	long v = 0;
	bool has = false;
	d->kind = decision_kind(field_str(in, "kind"));
	if (!d->kind)
		return web_fail(c, ERR_INVALID, "kind", N_("trust.err.decision_kind"));
	if (field_int(in, "ground", 1, 7, &v, &has))
		return web_fail(c, ERR_INVALID, "ground", N_("trust.err.ground"));
	d->ground = has ? (int)v : 0;
	if (field_int(in, "category", 1, 3, &v, &has))
		return web_fail(c, ERR_INVALID, "category", N_("trust.err.decision_category"));
	d->category = has ? (int)v : 0;
	d->hearing = field_str(in, "hearing");
	d->on = field_str(in, "on");
	d->reasons = field_str(in, "reasons");
	d->legal_basis = field_str(in, "legal_basis");
	d->lapse_from = field_str(in, "lapse_from");
	d->lapse_to = field_str(in, "lapse_to");
	if (d->lapse_to && !*d->lapse_to)
		d->lapse_to = NULL;
	if (d->kind != decision_kinds[3])
		d->lapse_from = d->lapse_to = NULL;
	const char *field = NULL, *key = NULL;
	if (decision_check(d, &field, &key))
		return web_fail(c, ERR_INVALID, field, key);
	d->complaint = complaint_text(c);
	d->author_id = c->actor->id;
	return 0;
}

int h_trust_decisions_create(struct web_ctx *c)
{
	struct gate g;
	json_t *in;
	int rc = trust_open(c, &g);
	if (rc || (rc = web_input(c, &in)))
		return rc;
	if (!gate_may(&g, POLICY_DECISION, POLICY_CREATE))
		return gate_allow(c, &g, POLICY_DECISION, POLICY_CREATE, "decision");
	struct decision d = {0};
	if ((rc = decision_parse(c, in, &d)))
		return refill(c, &g, rc, decisions_fill, "decision");
	int64_t id;
	if ((rc = store_begin_write(c->db)))
		return rc;
	rc = decision_create(c->db, g.cr.id, &d, clock_now(), &id);
	if (!rc)
		rc = gate_allow(c, &g, POLICY_DECISION, POLICY_CREATE,
				arena_printf(c->a, "decision:%lld", (long long)id));
	if (!rc)
		rc = store_commit(c->db);
	if (rc)
		return rc;
	c->status = 201;
	d.id = id;
	web_model_merge(c, decision_json(c, &d));
	c->redirect = trust_path(c, g.cr.id, "decisions");
	return 0;
}
