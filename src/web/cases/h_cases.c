/* h_cases.c: the cases module's routes: referral, list, case, PATCH,
 * handover, outcome (activation and assessments in h_cases_*.c). Every
 * handler that touches a case goes through the gate. */
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/cases/case.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/gate.h"
#include "web/h_form_int.h"
#include "web/cases/h_cases_int.h"
#include "web/handlers.h"
#include "web/web.h"

/* The case as JSON after a write, inside the same transaction. */
static int answer_case(struct web_ctx *c, int64_t id, int status)
{
	json_t *k;
	int rc = case_get_json(c->db, id, &k);
	if (rc)
		return rc;
	web_set_model(c, k);
	c->status = status;
	c->redirect = arena_printf(c->a, "/cases/%lld", (long long)id);
	return 0;
}

/* The referral page offers a care manager and an employment consultant
 * list per team (care_manager_<team>, ...): the chosen team's pair is the
 * answer. A JSON client names care_manager itself. */
static void referral_team_fields(struct web_ctx *c, json_t *in)
{
	static const char *const roles[] = {"care_manager", "employment_consultant"};
	const char *team = json_string_value(json_object_get(in, "team"));
	for (size_t i = 0; team && i < sizeof roles / sizeof roles[0]; i++) {
		json_t *v = json_object_get(in, arena_printf(c->a, "%s_%s", roles[i], team));
		if (v && !json_object_get(in, roles[i]))
			json_object_set(in, roles[i], v);
	}
}

static int h_cases_create(struct web_ctx *c)
{
	c->template = "cases/new";
	c->title_key = N_("cases.new.title");
	if (case_referrer_check(c->actor))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("cases.err.not_referrer"));
	json_t *in;
	int rc = web_input(c, &in);
	if (rc)
		return rc;
	referral_team_fields(c, in);
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	int64_t id;
	bool existing = false;
	if ((rc = store_begin_write(c->db)))
		return rc;
	rc = case_refer(c->db, &x, c->actor, in, clock_today(), clock_now(), &id, &existing);
	if (rc)
		return form_again(c, cases_fail(c, rc, &fe), "referral", h_cases_new);
	/* The policy on the new case: its assigned EC or a team supervisor. */
	struct gate g;
	if ((rc = gate_open_id(c, id, &g)) || (rc = gate_allow(c, &g, POLICY_CORE, POLICY_CREATE,
							       "case")))
		return rc;
	if ((rc = answer_case(c, id, 201)))
		return rc;
	/* The answer says so when the person already had an account. */
	json_t *p = json_object_get(c->model, "person");
	if (json_is_object(p))
		json_object_set_new(p, "existing", json_boolean(existing));
	if (existing)
		json_object_set_new(c->model, "notice",
				    json_string(web_t(c, N_("cases.referral.existing_person"))));
	return store_commit(c->db);
}

static int h_case_get(struct web_ctx *c)
{
	struct gate g;
	int rc = store_begin_read(c->db);
	if (rc)
		return rc;
	if ((rc = gate_open(c, "id", &g)) ||
	    (rc = gate_allow(c, &g, POLICY_CORE, POLICY_READ, "case")))
		return rc;
	gate_viewed(c, &g);
	c->template = "cases/show";
	c->title_key = N_("cases.show.title");
	struct case_answer ans;
	if (cases_cached_answer(c, &g, &ans) == 0) {
		store_commit(c->db);
		return 0;
	}
	json_t *k;
	if ((rc = case_get_json(c->db, g.cr.id, &k)))
		return cases_fail(c, rc, NULL);
	cases_page_model(c, &g, k);
	store_commit(c->db);
	web_set_model(c, k);
	return cases_keep_answer(c, &ans);
}

/* The case page again after a failed form: built as h_case_get builds it,
 * but never taken from or kept in the case answers. */
int h_case_form_page(struct web_ctx *c)
{
	struct gate g;
	json_t *k;
	int rc = store_begin_read(c->db);
	if (rc || (rc = gate_open(c, "id", &g)) ||
	    (rc = gate_allow(c, &g, POLICY_CORE, POLICY_READ, "case")) ||
	    (rc = case_get_json(c->db, g.cr.id, &k)))
		return rc;
	gate_viewed(c, &g);
	cases_page_model(c, &g, k);
	store_commit(c->db);
	json_t *a = json_object_get(k, "actions");
	form_mark(json_object_get(a, "cm_candidates"), "id", form_typed(c, "to"), "selected");
	form_mark(json_object_get(a, "ec_candidates"), "id", form_typed(c, "to"), "selected");
	web_set_model(c, k);
	c->template = "cases/show";
	c->title_key = N_("cases.show.title");
	return 0;
}

/* Opens the case and allows a core update, inside a write transaction. */
static int open_for_update(struct web_ctx *c, struct gate *g, const char *item, json_t **in)
{
	int rc = web_input(c, in);
	if (!rc)
		rc = store_begin_write(c->db);
	if (!rc)
		rc = gate_open(c, "id", g);
	if (!rc)
		rc = gate_allow(c, g, POLICY_CORE, POLICY_UPDATE, item);
	return rc;
}

static int h_case_patch(struct web_ctx *c)
{
	struct gate g;
	json_t *in;
	int rc = open_for_update(c, &g, "case", &in);
	if (rc)
		return rc;
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	if ((rc = case_patch(c->db, &x, g.cr.id, c->actor->id, in, clock_now())))
		return cases_fail(c, rc, &fe);
	if ((rc = answer_case(c, g.cr.id, 200)))
		return rc;
	return store_commit(c->db);
}

/* Which side's role a handover moves (the policy lets only that side hand
 * it over); POLICY_ORG_NONE for a role that is neither, which the input
 * check then refuses by name. */
static enum policy_org handover_side(json_t *in)
{
	const char *role = json_string_value(json_object_get(in, "role"));
	if (str_eq(role, "care_manager"))
		return POLICY_ORG_HEALTH;
	if (str_eq(role, "employment_consultant"))
		return POLICY_ORG_JOBCENTRE;
	return POLICY_ORG_NONE;
}

static int h_case_handover(struct web_ctx *c)
{
	struct gate g;
	json_t *in;
	int rc = web_input(c, &in);
	if (!rc)
		rc = store_begin_write(c->db);
	if (!rc)
		rc = gate_open(c, "id", &g);
	struct policy_item it = {.category = POLICY_CORE, .hands_over = handover_side(in)};
	/* A role that is neither: asked as the side the actor may hand over,
	 * so whoever may hand over anything hears which field is wrong. */
	if (!rc && !it.hands_over) {
		it.hands_over = POLICY_ORG_HEALTH;
		if (!gate_may_item(&g, POLICY_UPDATE, &it))
			it.hands_over = POLICY_ORG_JOBCENTRE;
	}
	if (!rc)
		rc = gate_allow_item(c, &g, POLICY_UPDATE, &it, "handover");
	if (rc)
		return rc;
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	rc = case_handover(c->db, &x, g.cr.id, c->actor->id, in, clock_today(), clock_now());
	if (rc)
		return form_again(c, cases_fail(c, rc, &fe), "handover", h_case_form_page);
	if ((rc = answer_case(c, g.cr.id, 201)))
		return rc;
	return store_commit(c->db);
}

static int h_case_outcome(struct web_ctx *c)
{
	struct gate g;
	json_t *in;
	int rc = open_for_update(c, &g, "outcome", &in);
	if (rc)
		return rc;
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	if ((rc = case_outcome(c->db, &x, g.cr.id, c->actor->id, in, clock_now())))
		return form_again(c, cases_fail(c, rc, &fe), "outcome", h_case_form_page);
	if ((rc = answer_case(c, g.cr.id, 201)))
		return rc;
	return store_commit(c->db);
}

const struct route routes_cases[] = {
	{HTTP_GET, "/cases", h_cases_list, ROUTE_SESSION, NULL},
	{HTTP_POST, "/cases", h_cases_create, ROUTE_SESSION, "core"},
	{HTTP_GET, "/cases/new", h_cases_new, ROUTE_SESSION, NULL},
	{HTTP_GET, "/cases/{id}", h_case_get, ROUTE_CASE, "core,clinical,health_shared,employment,joint,decision,audit"},
	{HTTP_PATCH, "/cases/{id}", h_case_patch, ROUTE_CASE, "core,clinical,health_shared,employment,joint,decision,audit"},
	{HTTP_POST, "/cases/{id}", h_case_patch, ROUTE_CASE, "core,clinical,health_shared,employment,joint,decision,audit"},
	{HTTP_POST, "/cases/{id}/handover", h_case_handover, ROUTE_CASE, "core,clinical,health_shared,employment,joint,decision,audit"},
	{HTTP_POST, "/cases/{id}/outcome", h_case_outcome, ROUTE_CASE, "core,clinical,health_shared,employment,joint,decision,audit"},
	{HTTP_GET, "/cases/{id}/assessments", h_assessments_list, ROUTE_CASE, "clinical,core,employment"},
	{HTTP_POST, "/cases/{id}/assessments", h_assessments_create, ROUTE_CASE, "clinical,core,employment"},
	{HTTP_POST, "/cases/{id}/activation", h_case_activation, ROUTE_CASE, "core"},
	{HTTP_GET, "/activate/{token}", h_activate_page, ROUTE_PUBLIC, NULL},
	{HTTP_POST, "/activate/{token}", h_activate_set, ROUTE_PUBLIC, NULL},
};
const size_t routes_cases_n = sizeof routes_cases / sizeof routes_cases[0];
