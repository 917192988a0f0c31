/* h_plans_plan_view.c: the plan as JSON and as a page: steps, versions,
 * what changed in each version and who changed it, and the edit form. */
#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/plans/plan.h"
#include "view/i18n.h"
#include "web/plans/h_plans_int.h"
#include "web/web.h"

#define PLAN_FORM_BLANK_ROWS 3

static const char *const kinds[] = {"treatment", "return_to_work"};
static const char *const statuses[] = {"planned", "in_progress", "done", "dropped"};

static const char *kind_key(const char *k)
{
	return str_eq(k, "return_to_work") ? N_("plans.step.kind.return_to_work")
					   : N_("plans.step.kind.treatment");
}

static const char *status_key(const char *s)
{
	if (str_eq(s, "in_progress"))
		return N_("plans.step.status.in_progress");
	if (str_eq(s, "done"))
		return N_("plans.step.status.done");
	if (str_eq(s, "dropped"))
		return N_("plans.step.status.dropped");
	return N_("plans.step.status.planned");
}

static const char *field_key(unsigned bit)
{
	switch (bit) {
	case PLAN_F_KIND: return N_("plans.step.field.kind");
	case PLAN_F_TEXT: return N_("plans.step.field.text");
	case PLAN_F_RESPONSIBLE: return N_("plans.step.field.responsible");
	case PLAN_F_DUE: return N_("plans.step.field.due");
	case PLAN_F_STATUS: return N_("plans.step.field.status");
	default: return N_("plans.step.field.hours_per_week");
	}
}

static json_t *hours_json(const struct plan_step *s)
{
	return s->has_hours ? json_real(s->hours_per_week) : json_null();
}

static const char *hours_str(struct web_ctx *c, const struct plan_step *s)
{
	return s->has_hours ? arena_printf(c->a, "%g", s->hours_per_week) : "";
}

json_t *plans_step_json(struct web_ctx *c, const struct plan_step *s)
{
	return json_pack("{s:I, s:i, s:s, s:s, s:s, s:I, s:s, s:s?, s:s, s:s, s:o, s:s, s:b}",
			 "key", (json_int_t)s->key, "position", s->position, "kind", s->kind,
			 "kind_label", web_t(c, kind_key(s->kind)), "text", s->text, "responsible",
			 (json_int_t)s->responsible_id, "responsible_name",
			 s->responsible_name ? s->responsible_name : "", "due", s->due, "status",
			 s->status, "status_label", web_t(c, status_key(s->status)),
			 "hours_per_week", hours_json(s), "hours_label", hours_str(c, s),
			 "has_hours", s->has_hours);
}

/* One changed field: values as in the API, labels for pages. */
static json_t *field_json(struct web_ctx *c, unsigned bit, const struct plan_step *b,
			  const struct plan_step *a)
{
	json_t *ov, *nv;
	const char *ol, *nl;
	switch (bit) {
	case PLAN_F_KIND:
		ov = json_string(b->kind), nv = json_string(a->kind);
		ol = web_t(c, kind_key(b->kind)), nl = web_t(c, kind_key(a->kind));
		break;
	case PLAN_F_TEXT:
		ov = json_string(b->text), nv = json_string(a->text), ol = b->text, nl = a->text;
		break;
	case PLAN_F_RESPONSIBLE:
		ov = json_integer(b->responsible_id), nv = json_integer(a->responsible_id);
		ol = b->responsible_name ? b->responsible_name : "";
		nl = a->responsible_name ? a->responsible_name : "";
		break;
	case PLAN_F_DUE:
		ov = b->due ? json_string(b->due) : json_null();
		nv = a->due ? json_string(a->due) : json_null();
		ol = b->due ? b->due : web_t(c, N_("plans.change.none"));
		nl = a->due ? a->due : web_t(c, N_("plans.change.none"));
		break;
	case PLAN_F_STATUS:
		ov = json_string(b->status), nv = json_string(a->status);
		ol = web_t(c, status_key(b->status)), nl = web_t(c, status_key(a->status));
		break;
	default:
		ov = hours_json(b), nv = hours_json(a);
		ol = b->has_hours ? hours_str(c, b) : web_t(c, N_("plans.change.none"));
		nl = a->has_hours ? hours_str(c, a) : web_t(c, N_("plans.change.none"));
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:s, s:s}", "field", plan_field_name(bit),
			 "field_label", web_t(c, field_key(bit)), "old", ov, "new", nv, "old_label",
			 ol, "new_label", nl);
}

json_t *plans_changes_json(struct web_ctx *c, const struct plan *prev, const struct plan *cur)
{
	struct plan_change *ch;
	size_t n;
	plan_diff(prev, cur, c->a, &ch, &n);
	json_t *added = json_array(), *removed = json_array(), *changed = json_array();
	for (size_t i = 0; i < n; i++) {
		if (!ch[i].before) {
			json_array_append_new(added, plans_step_json(c, ch[i].after));
		} else if (!ch[i].after) {
			json_array_append_new(removed, plans_step_json(c, ch[i].before));
		} else {
			json_t *fields = json_array();
			for (unsigned b = 1; b < 1u << PLAN_FIELD_COUNT; b <<= 1)
				if (ch[i].fields & b)
					json_array_append_new(fields,
							      field_json(c, b, ch[i].before, ch[i].after));
			json_array_append_new(changed,
					      json_pack("{s:I, s:s, s:o}", "key",
							(json_int_t)ch[i].after->key, "text",
							ch[i].after->text, "fields", fields));
		}
	}
	json_t *from = prev ? json_integer(prev->version) : json_null();
	return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "version", cur->version,
			 "from_version", from, "author",
			 plans_user_json(cur->author_id, cur->author_name), "created_at",
			 plans_time_json(cur->created_at), "created_on",
			 plans_day_json(cur->created_at), "added", added, "removed", removed,
			 "changed", changed, "has_changes", n > 0);
}

/* The people a step may be given to: the person, the assigned CM and EC. */
static json_t *people_json(struct web_ctx *c, struct gate *g)
{
	int64_t ids[3] = {g->cr.person_id, g->cr.cm_id, g->cr.ec_id};
	static const char *const roles[3] = {"service_user", "care_manager",
					     "employment_consultant"};
	json_t *arr = json_array();
	for (int i = 0; i < 3; i++) {
		struct actor who;
		if (!ids[i] || account_get_by_id(c->db, ids[i], c->a, &who))
			continue;
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)ids[i],
						     "name", who.name, "role", roles[i]));
	}
	return arr;
}

static json_t *options(struct web_ctx *c, const char *const *vals, size_t n, const char *cur,
		       const char *(*key)(const char *))
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", vals[i], "label",
						     web_t(c, key(vals[i])), "selected",
						     str_eq(cur, vals[i])));
	return arr;
}

static json_t *form_row(struct web_ctx *c, json_t *people, int i, const struct plan_step *s)
{
	json_t *ppl = json_array();
	size_t k;
	json_t *p;
	json_array_foreach(people, k, p) {
		int64_t id = json_integer_value(json_object_get(p, "id"));
		json_array_append_new(ppl, json_pack("{s:I, s:O, s:b}", "value", (json_int_t)id,
						     "label", json_object_get(p, "name"), "selected",
						     s && s->responsible_id == id));
	}
	return json_pack("{s:i, s:i, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o}", "index", i, "number",
			 i + 1, "key", s ? arena_printf(c->a, "%lld", (long long)s->key) : "",
			 "text", s ? s->text : "", "due", s && s->due ? s->due : "", "hours",
			 s ? hours_str(c, s) : "", "existing", s != NULL, "kinds",
			 options(c, kinds, 2, s ? s->kind : "", kind_key), "statuses",
			 options(c, statuses, 4, s ? s->status : "planned", status_key), "people",
			 ppl);
}

static json_t *form_json(struct web_ctx *c, json_t *people, const struct plan *p)
{
	json_t *rows = json_array();
	size_t n = p ? p->n : 0;
	for (size_t i = 0; i < n + PLAN_FORM_BLANK_ROWS; i++)
		json_array_append_new(rows, form_row(c, people, (int)i, i < n ? &p->steps[i] : NULL));
	return json_pack("{s:o, s:i}", "rows", rows, "base_version", p ? p->version : 0);
}

/* Every version's changes, newest first. */
static int history_json(struct web_ctx *c, int64_t case_id, int upto, json_t **out)
{
	*out = json_array();
	struct plan prev = {0}, cur;
	bool have_prev = false;
	for (int v = 1; v <= upto; v++) {
		int rc = plan_load(c->db, case_id, v, c->a, &cur);
		if (rc)
			return rc;
		json_array_insert_new(*out, 0,
				      plans_changes_json(c, have_prev ? &prev : NULL, &cur));
		prev = cur;
		have_prev = true;
	}
	return 0;
}

static json_t *versions_json(struct web_ctx *c, int64_t case_id, int current, int *latest)
{
	struct plan_version_info *vs;
	size_t n = 0;
	json_t *arr = json_array();
	*latest = 0;
	if (plan_versions(c->db, case_id, c->a, &vs, &n))
		return arr;
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(
			arr, json_pack("{s:i, s:o, s:o, s:o, s:b, s:s}", "version", vs[i].version,
				       "author", plans_user_json(vs[i].author_id, vs[i].author_name),
				       "created_at", plans_time_json(vs[i].created_at), "created_on",
				       plans_day_json(vs[i].created_at), "current",
				       vs[i].version == current, "href",
				       arena_printf(c->a, "?version=%d", vs[i].version)));
		*latest = vs[i].version;
	}
	return arr;
}

int plans_plan_model(struct web_ctx *c, struct gate *g, int version)
{
	struct plan cur, prev;
	int rc = plan_load(c->db, g->cr.id, version, c->a, &cur);
	if (rc == ERR_NOT_FOUND && version)
		return web_fail(c, ERR_NOT_FOUND, "version", N_("plans.plan.err.no_version"));
	bool have = rc == 0;
	if (rc && rc != ERR_NOT_FOUND)
		return rc;
	bool have_prev = have && cur.version > 1 &&
			 plan_load(c->db, g->cr.id, cur.version - 1, c->a, &prev) == 0;
	int latest;
	json_t *m = json_object(), *steps = json_array(), *people = people_json(c, g);
	json_object_set_new(m, "versions", versions_json(c, g->cr.id, have ? cur.version : 0,
							     &latest));
	for (size_t i = 0; have && i < cur.n; i++)
		json_array_append_new(steps, plans_step_json(c, &cur.steps[i]));
	json_object_set_new(m, "version", have ? json_integer(cur.version) : json_null());
	json_object_set_new(m, "latest_version", latest ? json_integer(latest) : json_null());
	json_object_set_new(m, "author", have ? plans_user_json(cur.author_id, cur.author_name)
					      : json_null());
	json_object_set_new(m, "created_at", have ? plans_time_json(cur.created_at) : json_null());
	json_object_set_new(m, "created_on", have ? plans_day_json(cur.created_at) : json_null());
	json_object_set_new(m, "steps", steps);
	json_object_set_new(m, "has_steps", json_boolean(have && cur.n > 0));
	json_object_set_new(m, "changes", have ? plans_changes_json(c, have_prev ? &prev : NULL,
								   &cur)
					       : json_null());
	json_t *hist;
	rc = history_json(c, g->cr.id, latest, &hist);
	json_object_set_new(m, "history", hist);
	json_object_set_new(m, "is_latest", json_boolean(!have || cur.version == latest));
	json_object_set_new(m, "may_edit", json_boolean(plans_may(g, POLICY_CREATE, false)));
	if (!c->want_json)
		json_object_set_new(m, "form", form_json(c, people, have ? &cur : NULL));
	json_object_set_new(m, "people", people);
	web_model_merge(c, m);
	return rc;
}
