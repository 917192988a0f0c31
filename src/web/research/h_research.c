/* h_research.c: studies, their pseudonymised export and its dictionary
 * (DESIGN.md section 9). Access is the policy's research row: the web
 * layer only fills the actor's study flags (domain/research/study.c) and
 * asks policy_check. */
#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/research/export.h"
#include "domain/research/fhir.h"
#include "domain/research/refi.h"
#include "domain/research/study.h"
#include "http/form.h"
#include "policy/policy.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/gate.h"
#include "web/h_form_int.h"
#include "web/handlers.h"
#include "web/research/h_research.h"
#include "web/web.h"

int research_allow(struct web_ctx *c, int64_t study, enum policy_category cat,
		   enum policy_action act)
{
	struct policy_actor pa;
	int rc = study_policy_actor(c->db, c->actor, study, &pa);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, rc, NULL, N_("research.err.not_found"));
	if (rc)
		return rc;
	struct policy_item it = {.category = cat};
	if (gate_ask(c, &pa, act, &it, NULL))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("research.err.forbidden"));
	return 0;
}

int research_open(struct web_ctx *c, enum policy_category cat, enum policy_action act,
		  int64_t *id)
{
	int rc = gate_param_id(c, "id", id);
	return rc ? rc : research_allow(c, *id, cat, act);
}

int research_domain_fail(struct web_ctx *c, int rc, const struct field_err *fe)
{
	if ((rc == ERR_INVALID || rc == ERR_CONFLICT) && fe && fe->key)
		return web_fail(c, rc, fe->field, fe->key);
	if (rc == ERR_UNAVAILABLE)
		return web_fail(c, rc, NULL, N_("research.err.no_key"));
	return rc;
}

/* Answers a file of study id (data heap, taken) as a download, and audits
 * it as an export ("study:ID" + what). */
static void research_send(struct web_ctx *c, int64_t id, const char *what, const char *ctype,
			  const char *ext, char *data, size_t len)
{
	gate_audit(c, 0, arena_printf(c->a, "study:%lld%s", (long long)id, what), "research",
		   "export");
	web_respond_raw_take(c, ctype, data, len);
	http_resp_header(c->resp, "Content-Disposition",
			 arena_printf(c->a, "attachment; filename=\"study-%lld.%s\"", (long long)id,
				      ext));
}

static int h_studies_list(struct web_ctx *c)
{
	json_t *list;
	int rc = study_list_json(c->db, c->actor, &list);
	if (rc) {
		json_decref(list);
		return rc;
	}
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *s = json_array_get(list, i);
		json_object_set_new(s, "href", json_sprintf("/studies/%lld",
							     (long long)json_integer_value(
								     json_object_get(s, "id"))));
		json_object_set_new(s, "month", json_boolean(str_eq(
			json_string_value(json_object_get(s, "dates")), "month")));
	}
	/* The administrator makes studies: the form is theirs. */
	bool maker = gate_role_may(c, POLICY_STUDY, POLICY_CREATE);
	json_t *m = json_pack("{s:o, s:b}", "studies", list, "admin", maker);
	if (maker && !c->want_json) {
		json_t *teams, *researchers;
		rc = study_choices_json(c->db, &teams, &researchers);
		json_object_set_new(m, "team_choices", teams);
		json_object_set_new(m, "researcher_choices", researchers);
		if (rc) {
			json_decref(m);
			return rc;
		}
	}
	web_set_model(c, m);
	c->template = "research/list";
	c->title_key = N_("research.list.title");
	return 0;
}

/* A form sends teams and researchers as repeated fields (check boxes);
 * web_input keeps only the first, so they are gathered here. */
static void form_lists(struct web_ctx *c, json_t *in)
{
	const char *ct = http_header(c->req, "Content-Type");
	if (ct && str_starts_with(ct, "application/json"))
		return;
	struct form f;
	size_t bad;
	if (form_parse(c->a, c->req->body, c->req->body_len, &f, &bad))
		return;
	static const char *const names[] = {"teams", "researchers"};
	for (size_t k = 0; k < 2; k++) {
		json_t *arr = json_array();
		for (size_t i = 0; i < f.n; i++)
			if (str_eq(f.fields[i].name, names[k]))
				json_array_append_new(arr, json_string(f.fields[i].value));
		json_object_set_new(in, names[k], arr);
	}
}

static int h_studies_create(struct web_ctx *c)
{
	json_t *in;
	int rc = web_input(c, &in);
	if (rc)
		return rc;
	/* No study yet: the policy decides on the role alone. */
	if ((rc = gate_role_allow(c, POLICY_STUDY, POLICY_CREATE, N_("research.err.admin_only"))))
		return rc;
	form_lists(c, in);
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	int64_t id;
	rc = study_create(c->db, &x, in, c->actor, clock_now(), &id);
	if (rc)
		return form_again(c, research_domain_fail(c, rc, &fe), "study", h_studies_list);
	json_t *s;
	if ((rc = study_get_json(c->db, id, &s)))
		return rc;
	web_set_model(c, s);
	c->status = 201;
	c->redirect = arena_printf(c->a, "/studies/%lld", (long long)id);
	return 0;
}

static int h_studies_get(struct web_ctx *c)
{
	int64_t id;
	int rc = research_open(c, POLICY_STUDY, POLICY_READ, &id);
	if (rc)
		return rc;
	json_t *s;
	if ((rc = study_get_json(c->db, id, &s)))
		return rc;
	struct policy_actor pa;
	struct policy_item it = {.category = POLICY_RESEARCH};
	bool content = study_policy_actor(c->db, c->actor, id, &pa) == 0 &&
		       gate_ask(c, &pa, POLICY_READ, &it, NULL) == 0;
	json_object_set_new(s, "content", json_boolean(content));
	json_object_set_new(s, "month", json_boolean(str_eq(
		json_string_value(json_object_get(s, "dates")), "month")));
	web_set_model(c, s);
	c->template = "research/show";
	c->title_key = N_("research.show.title");
	return 0;
}

/* The study of the route, for a reader of its content. */
static int open_study(struct web_ctx *c, int64_t *id, struct study *s)
{
	int rc = research_open(c, POLICY_RESEARCH, POLICY_READ, id);
	if (!rc && (rc = study_load(c->db, c->a, *id, s)))
		rc = research_domain_fail(c, rc, NULL);
	return rc;
}

static int h_study_export(struct web_ctx *c)
{
	int64_t id;
	struct study s;
	int rc = open_study(c, &id, &s);
	if (rc)
		return rc;
	char *zip;
	size_t len;
	struct export_stats st;
	rc = research_export_zip(c->db, c->a, &s, clock_today(), NULL, NULL, &zip, &len, &st);
	if (rc)
		return rc;
	research_send(c, id, "", "application/zip", "zip", zip, len);
	return 0;
}

static int h_study_dictionary(struct web_ctx *c)
{
	int64_t id;
	struct study s;
	int rc = open_study(c, &id, &s);
	if (rc)
		return rc;
	json_t *d = research_dictionary_json(&s);
	json_object_set_new(json_object_get(d, "study"), "href",
			    json_sprintf("/studies/%lld", (long long)id));
	json_object_set_new(d, "da", json_boolean(str_eq(c->lang, "da")));
	web_set_model(c, d);
	c->template = "research/dictionary";
	c->title_key = N_("research.dictionary.title");
	return 0;
}

/* The case as a FHIR R4 Bundle, holding what the actor may read: the
 * gate opens the case (a "viewed" entry), the policy decides each part,
 * and a therapy session's read is audited as clinical reads are. */
static int h_case_fhir(struct web_ctx *c)
{
	struct gate g;
	int rc = store_begin_read(c->db);
	if (rc)
		return rc;
	if ((rc = gate_open(c, "id", &g)) ||
	    (rc = gate_allow(c, &g, POLICY_CORE, POLICY_READ, "case")))
		return rc;
	gate_viewed(c, &g);
	struct fhir_scope sc = {
		.joint = gate_may(&g, POLICY_JOINT, POLICY_READ),
		.clinical = gate_may(&g, POLICY_CLINICAL, POLICY_READ),
		.audit = gate_may(&g, POLICY_AUDIT, POLICY_READ),
	};
	if (sc.clinical && (rc = gate_allow(c, &g, POLICY_CLINICAL, POLICY_READ, "fhir")))
		return rc;
	json_t *bundle;
	rc = fhir_case_bundle(c->db, c->a, g.cr.id, &sc, clock_now(), &bundle);
	store_commit(c->db);
	if (rc)
		return rc;
	char *s = json_dumps(bundle, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(bundle);
	web_respond_raw_take(c, "application/fhir+json", s, strlen(s));
	return 0;
}

/* REFI-QDA: the project (.qdpx) and the codebook (.qdc), audited as
 * exports of the study's material. */
static int h_study_qdpx(struct web_ctx *c)
{
	int64_t id;
	int rc = research_open(c, POLICY_RESEARCH, POLICY_READ, &id);
	json_t *st;
	if (rc || (rc = study_get_json(c->db, id, &st)))
		return rc;
	char *zip;
	size_t len;
	rc = refi_project(c->db, c->a, id, json_string_value(json_object_get(st, "name")),
			  clock_now(), &zip, &len);
	json_decref(st);
	if (rc)
		return rc;
	research_send(c, id, ":qdpx", "application/zip", "qdpx", zip, len);
	return 0;
}

static int h_study_qdc(struct web_ctx *c)
{
	int64_t id;
	int rc = research_open(c, POLICY_RESEARCH, POLICY_READ, &id);
	char *xml;
	size_t len;
	if (rc || (rc = refi_codebook(c->db, id, &xml, &len)))
		return rc;
	research_send(c, id, ":qdc", "application/xml", "qdc", xml, len);
	return 0;
}

const struct route routes_research[] = {
    {HTTP_GET, "/studies", h_studies_list, ROUTE_SESSION, "study"},
    {HTTP_POST, "/studies", h_studies_create, ROUTE_SESSION, "study"},
    {HTTP_GET, "/studies/{id}", h_studies_get, ROUTE_SESSION, "study,research"},
    {HTTP_GET, "/studies/{id}/export.zip", h_study_export, ROUTE_SESSION, "research"},
    {HTTP_GET, "/studies/{id}/dictionary", h_study_dictionary, ROUTE_SESSION, "research"},
    {HTTP_GET, "/cases/{id}/fhir", h_case_fhir, ROUTE_CASE, "core,clinical,joint,audit"},
    {HTTP_GET, "/studies/{id}/project.qdpx", h_study_qdpx, ROUTE_SESSION, "research"},
    {HTTP_GET, "/studies/{id}/codebook.qdc", h_study_qdc, ROUTE_SESSION, "research"},
};
const size_t routes_research_n = sizeof routes_research / sizeof routes_research[0];
