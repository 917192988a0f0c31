/* h_cases_assess.c: the CM's clinical and the EC's employment assessment.
 * Which one a professional writes follows their side; reading each row
 * asks the gate (the EC never sees the CM's text, with or without
 * consent), and every read of one is audited. */
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/cases/case_assess.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/gate.h"
#include "web/cases/h_cases_int.h"
#include "web/web.h"

static enum policy_category row_category(const struct assess_row *r)
{
	return str_eq(r->role, "care_manager") ? POLICY_CLINICAL : POLICY_EMPLOYMENT;
}

static json_t *row_json(struct web_ctx *c, const struct assess_row *r, const char *text)
{
	bool clinical = row_category(r) == POLICY_CLINICAL;
	json_t *o = json_pack("{s:I, s:s, s:s, s:{s:I, s:s}, s:s, s:s}", "id", (json_int_t)r->id,
			      "role", r->role, "kind", clinical ? "clinical" : "employment",
			      "author", "id", (json_int_t)r->author_id, "name", r->author_name, "on",
			      r->on, "text", text);
	if (!clinical) {
		json_object_set_new(o, "category", json_integer(r->category));
		json_object_set_new(o, "reason", json_string(r->reason));
	}
	return o;
}

int h_assessments_list(struct web_ctx *c)
{
	struct gate g;
	int rc = store_begin_read(c->db);
	if (!rc)
		rc = gate_open(c, "id", &g);
	if (!rc)
		rc = gate_allow(c, &g, POLICY_CORE, POLICY_READ, "case");
	if (rc)
		return rc;
	struct assess_row *rows;
	size_t n;
	if ((rc = case_assess_list(c->db, g.cr.id, c->a, &rows, &n)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		enum policy_category cat = row_category(&rows[i]);
		if (!gate_may(&g, cat, POLICY_READ))
			continue; /* lists filter silently */
		const char *item = arena_printf(c->a, "assessment:%lld", (long long)rows[i].id);
		const char *text;
		if ((rc = gate_allow(c, &g, cat, POLICY_READ, item)) ||
		    (rc = case_assess_text(c->a, &rows[i], &text))) {
			json_decref(arr);
			return rc;
		}
		json_array_append_new(arr, row_json(c, &rows[i], text));
	}
	store_commit(c->db);
	web_set_model(c, json_pack("{s:I, s:o}", "case_id", (json_int_t)g.cr.id, "assessments",
				     arr));
	c->template = "cases/assessments";
	c->title_key = N_("cases.assess.title");
	return 0;
}

int h_assessments_create(struct web_ctx *c)
{
	struct gate g;
	json_t *in;
	int rc = web_input(c, &in);
	if (!rc)
		rc = store_begin_write(c->db);
	if (!rc)
		rc = gate_open(c, "id", &g);
	if (rc)
		return rc;
	/* The CM's assessment is clinical; the EC's employment. Anyone else
	 * asks for the category of their side and the policy answers. */
	bool health = str_eq(c->actor->org_kind, "health");
	enum policy_category cat = health ? POLICY_CLINICAL : POLICY_EMPLOYMENT;
	if ((rc = gate_allow(c, &g, cat, POLICY_CREATE, "assessment")))
		return rc;
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	int64_t id;
	rc = case_assess_add(c->db, &x, g.cr.id, c->actor->id,
			     health ? "care_manager" : "employment_consultant", in, clock_today(),
			     clock_now(), &id);
	if (rc)
		return cases_fail(c, rc, &fe);
	struct assess_row *rows;
	size_t n;
	if ((rc = case_assess_list(c->db, g.cr.id, c->a, &rows, &n)))
		return rc;
	json_t *o = NULL;
	const char *text;
	for (size_t i = 0; i < n && !o; i++)
		if (rows[i].id == id) {
			/* The writer reads back what was sealed. */
			if ((rc = case_assess_text(c->a, &rows[i], &text)))
				return rc;
			o = row_json(c, &rows[i], text);
		}
	if (!o)
		return ERR_INTERNAL;
	if ((rc = store_commit(c->db))) {
		json_decref(o);
		return rc;
	}
	web_set_model(c, o);
	c->status = 201;
	c->redirect = arena_printf(c->a, "/cases/%lld#assessments", (long long)g.cr.id);
	return 0;
}
