/* h_trust_log.c: consents (only the person grants and withdraws) and the
 * person's access log (who looked at what, when). */
#include <string.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/trust/access.h"
#include "domain/trust/accesslog.h"
#include "domain/trust/consent.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/h_form_int.h"
#include "web/trust/h_trust.h"
#include "web/web.h"

/* One direction: active or not, since when, the purpose, and its history. */
static json_t *consent_dir_json(struct web_ctx *c, const char *dir, const struct consent_row *rows,
				size_t n)
{
	json_t *hist = json_array();
	const struct consent_row *last = NULL;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].direction != dir)
			continue;
		last = &rows[i];
		json_array_append_new(
			hist, json_pack("{s:b, s:s, s:o, s:I, s:s, s:s}", "granted", rows[i].granted,
					"purpose", trust_purpose_text(c, rows[i].purpose), "by",
					trust_person(rows[i].by_user, rows[i].by_name), "at",
					(json_int_t)rows[i].at, "when", trust_when(c, rows[i].at),
					"label",
					web_t(c, rows[i].granted ? N_("trust.consent.granted")
								 : N_("trust.consent.withdrawn"))));
	}
	bool active = last && last->granted;
	json_t *o = json_pack("{s:s, s:s, s:b, s:b, s:o, s:o, s:s}", "direction", dir, "label",
			      trust_label(c, "direction", dir), "active", active, "has_history",
			      json_array_size(hist) > 0, "history", hist, "purposes",
			      trust_purpose_choices(c, dir), "withdraw_href",
			      arena_printf(c->a, "/my/data/consents/%s/withdraw", dir));
	json_object_set_new(o, "since", last ? json_string(trust_day(c, last->at)) : json_null());
	json_object_set_new(o, "since_when", last ? json_string(trust_when(c, last->at))
						  : json_null());
	json_object_set_new(o, "purpose",
			    active ? json_string(trust_purpose_text(c, last->purpose)) : json_null());
	json_object_set_new(o, "purpose_key",
			    active && last->purpose ? json_string(last->purpose) : json_null());
	return o;
}

static bool may_consent(struct gate *g)
{
	struct policy_item ci = {.category = POLICY_CORE, .consent_record = true};
	return gate_may_item(g, POLICY_CREATE, &ci);
}

static int consents_fill(struct web_ctx *c, struct gate *g)
{
	struct consent_row *rows;
	size_t n;
	int rc = consent_history(c->db, c->a, g->cr.id, &rows, &n);
	if (rc)
		return rc;
	json_t *dirs = json_array();
	for (int i = 0; i < 2; i++)
		json_array_append_new(dirs, consent_dir_json(c, consent_directions[i], rows, n));
	web_model_merge(c, json_pack("{s:I, s:o, s:b, s:s}", "case_id", (json_int_t)g->cr.id,
				     "directions", dirs, "can_write", may_consent(g), "action",
				     trust_path(c, g->cr.id, "consents")));
	c->template = "trust/consents";
	c->title_key = N_("trust.consents.title");
	return 0;
}

int h_trust_consents_list(struct web_ctx *c)
{
	struct gate g;
	int rc = trust_open(c, &g);
	return rc ? rc : consents_fill(c, &g);
}

static int consent_refill(struct web_ctx *c, struct gate *g, int err)
{
	if (!c->want_json && consents_fill(c, g) == 0) {
		form_mark(json_object_get(c->model, "directions"), "direction",
			  form_typed(c, "direction"), "kept_here");
		form_keep(c, "consent");
	}
	return err;
}

int h_trust_consents_create(struct web_ctx *c)
{
	struct gate g;
	json_t *in;
	int rc = trust_open(c, &g);
	if (rc || (rc = web_input(c, &in)))
		return rc;
	/* Only the case's person decides (the policy's consent_record rule). */
	struct policy_item ci = {.category = POLICY_CORE, .consent_record = true};
	if (!gate_may_item(&g, POLICY_CREATE, &ci))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("trust.err.consent_person_only"));
	const char *dir = consent_direction(field_str(in, "direction"));
	if (!dir)
		return consent_refill(c, &g, web_fail(c, ERR_INVALID, "direction",
						      N_("trust.err.direction")));
	bool granted;
	if (field_bool(in, "granted", &granted))
		return consent_refill(c, &g, web_fail(c, ERR_INVALID, "granted",
						      N_("trust.err.granted")));
	if (trust_withdraw_unconfirmed(c, in, dir, granted))
		return 0;
	const char *purpose = field_str(in, "purpose");
	if (!consent_purpose_ok(dir, purpose, granted))
		return consent_refill(c, &g, web_fail(c, ERR_INVALID, "purpose",
						      N_("trust.err.purpose")));
	int64_t id;
	if ((rc = trust_consent_write(c, g.cr.id, dir, granted, purpose, &id)))
		return rc;
	c->status = 201;
	web_model_merge(c, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id, "direction", dir,
				     "granted", granted));
	c->redirect = trust_path(c, g.cr.id, "consents");
	return 0;
}

/* "viewed" entries: one row per professional and Danish day. */
static json_t *viewed_group(json_t *groups, struct web_ctx *c, const struct accesslog_entry *e)
{
	const char *day = trust_day(c, e->at);
	const char *key = arena_printf(c->a, "%lld/%s", (long long)e->actor_id, day);
	json_t *idx = json_object_get(groups, "__index");
	json_t *g = json_object_get(idx, key);
	if (g) {
		json_object_set_new(g, "count", json_integer(json_integer_value(
							json_object_get(g, "count")) + 1));
		json_object_set_new(g, "last_at", json_integer(e->at));
		return g;
	}
	g = json_pack("{s:s, s:I, s:I, s:I}", "day", day, "count", (json_int_t)1, "first_at",
		      (json_int_t)e->at, "last_at", (json_int_t)e->at);
	json_object_set(idx, key, g);
	json_decref(g);
	return g;
}

static json_t *who_json(struct web_ctx *c, const struct accesslog_entry *e)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->actor_id, "name",
			 e->actor_name ? e->actor_name : "", "role", e->actor_role ? e->actor_role : "",
			 "role_label",
			 web_t(c, arena_printf(c->a, "role.%s", e->actor_role ? e->actor_role : "")),
			 "organisation", e->actor_org ? e->actor_org : "");
}

static json_t *entry_json(struct web_ctx *c, const struct accesslog_entry *e)
{
	json_t *o = json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:b}", "id",
			      (json_int_t)e->id, "who", who_json(c, e), "item", e->item, "category",
			      e->category, "what", trust_label(c, "category", e->category),
			      "action", e->action, "action_label",
			      trust_label(c, "action", e->action), "at", (json_int_t)e->at, "when",
			      trust_when(c, e->at), "break_glass", e->break_glass);
	json_object_set_new(o, "reason", e->break_glass && e->purpose && *e->purpose
						 ? json_string(e->purpose)
						 : json_null());
	return o;
}

static void access_log_build(struct web_ctx *c, const struct accesslog_entry *e, size_t n,
			     bool no_clinical)
{
	json_t *views = json_array(), *others = json_array();
	json_t *groups = json_pack("{s:{}}", "__index");
	for (size_t i = 0; i < n; i++) {
		if (no_clinical && str_eq(e[i].category, "clinical"))
			continue; /* the jobcentre learns no clinical item, not even its id */
		if (str_eq(e[i].action, "viewed")) {
			json_t *gr = viewed_group(groups, c, &e[i]);
			if (json_integer_value(json_object_get(gr, "count")) == 1) {
				json_object_set_new(gr, "who", who_json(c, &e[i]));
				json_object_set_new(gr, "day_text", json_string(trust_when(c, e[i].at)));
				json_array_append(views, gr);
			}
			if (e[i].break_glass)
				json_object_set_new(gr, "break_glass", json_true());
		} else {
			json_array_append_new(others, entry_json(c, &e[i]));
		}
	}
	json_decref(groups);
	web_model_merge(c, json_pack("{s:b, s:b, s:o, s:o}", "has_viewed", json_array_size(views) > 0,
				     "has_entries", json_array_size(others) > 0, "viewed", views,
				     "entries", others));
}

int h_trust_access_log(struct web_ctx *c)
{
	struct gate g;
	int rc = trust_open(c, &g);
	if (rc || (rc = gate_allow(c, &g, POLICY_AUDIT, POLICY_READ, "access-log")))
		return rc;
	audit_flush(); /* the look-ups just made are shown too */
	struct accesslog_entry *e;
	size_t n;
	if ((rc = accesslog_list(c->db, c->a, g.cr.id, &e, &n)))
		return rc;
	access_log_build(c, e, n, gate_never_clinical(&g));
	web_model_merge(c, json_pack("{s:I}", "case_id", (json_int_t)g.cr.id));
	c->template = "trust/access_log";
	c->title_key = N_("trust.access_log.title");
	return 0;
}

#define SECURITY_EVENTS_MAX 500

/* GET /security-events: refused attempts and break-glass openings, newest
 * first, for the administrator (DESIGN.md section 4); the policy decides. */
int h_trust_security_events(struct web_ctx *c)
{
	int rc = gate_role_allow(c, POLICY_SECURITY, POLICY_READ, N_("trust.security.admin_only"));
	if (rc)
		return rc;
	audit_flush(); /* attempts refused a moment ago are shown too */
	struct accesslog_entry *e;
	int64_t *cases;
	size_t n;
	rc = accesslog_security_events(c->db, c->a, SECURITY_EVENTS_MAX, &e, &cases, &n);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = entry_json(c, &e[i]);
		json_object_set_new(o, "case", cases[i] ? json_integer(cases[i]) : json_null());
		json_object_set_new(o, "purpose", json_string(e[i].purpose ? e[i].purpose : ""));
		json_array_append_new(arr, o);
	}
	web_model_merge(c, json_pack("{s:b, s:o}", "has_events", n > 0, "events", arr));
	c->template = "trust/security_events";
	c->title_key = N_("trust.security.title");
	return 0;
}
