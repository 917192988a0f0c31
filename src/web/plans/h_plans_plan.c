/* h_plans_plan.c: GET and PUT of a case's plan. Every PUT (or the page's
 * POST) makes a new version; nothing is overwritten. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/plans/goal.h"
#include "domain/plans/plan.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/h_form_int.h"
#include "web/plans/h_plans_int.h"
#include "web/web.h"

#define PLAN_FORM_ROWS_MAX (PLAN_STEPS_MAX + 10)

/* The steps being parsed: where each came from, for error field names. */
struct steps_in {
	json_t *arr;   /* borrowed or owned (form) */
	int *rows;     /* arena: form row of each step, or NULL for JSON */
	bool form;
};

static const char *fname(struct web_ctx *c, const struct steps_in *si, size_t i,
			 const char *field)
{
	if (si->form)
		return arena_printf(c->a, "step_%d_%s", si->rows[i], field);
	return arena_printf(c->a, "steps[%zu].%s", i, field);
}

static int plan_open(struct web_ctx *c, struct gate *g)
{
	int64_t id;
	int rc = gate_param_id(c, "id", &id);
	if (rc)
		return rc;
	c->template = "plans/show";
	c->title_key = N_("plans.plan.title");
	return plans_open_read(c, g, id, POLICY_JOINT, "plan");
}

int h_plan_get(struct web_ctx *c)
{
	struct gate g;
	long v = 0;
	const char *q = web_query(c, "version");
	int rc = plan_open(c, &g);
	if (rc)
		return rc;
	if (q && str_to_long(q, 1, 0x7fffffffL, &v))
		return web_fail(c, ERR_INVALID, "version", N_("plans.plan.err.version"));
	rc = store_begin_read(c->db);
	if (rc)
		return rc;
	rc = plans_plan_model(c, &g, (int)v);
	store_commit(c->db);
	return rc;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* The page's form rows as a steps array: rows left empty or marked for
 * removal are skipped. */
static void form_steps(struct web_ctx *c, struct steps_in *si)
{
	static const char *const fields[] = {"key", "kind", "text", "responsible",
					     "due", "status", "hours_per_week"};
	si->form = true;
	si->arr = json_array();
	si->rows = arena_array(c->a, PLAN_FORM_ROWS_MAX, sizeof *si->rows);
	for (int r = 0; r < PLAN_FORM_ROWS_MAX; r++) {
		const char *kind = web_field(c, arena_printf(c->a, "step_%d_kind", r));
		const char *text = web_field(c, arena_printf(c->a, "step_%d_text", r));
		if (!kind && !text)
			break;
		if (!text || blank(text))
			continue;
		if (web_field(c, arena_printf(c->a, "step_%d_remove", r)))
			continue;
		json_t *o = json_object();
		for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
			const char *v = web_field(c, arena_printf(c->a, "step_%d_%s", r, fields[f]));
			if (v && *v)
				json_object_set_new(o, fields[f], json_string(v));
		}
		si->rows[json_array_size(si->arr)] = r;
		json_array_append_new(si->arr, o);
	}
}

static bool key_in(const struct plan *p, int64_t key)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (p->steps[i].key == key)
			return true;
	return false;
}

static int parse_hours(json_t *v, struct plan_step *s)
{
	double h;
	char *end;
	if (json_is_number(v)) {
		h = json_number_value(v);
	} else if (json_is_string(v)) {
		h = strtod(json_string_value(v), &end);
		if (end == json_string_value(v) || *end)
			return ERR_INVALID;
	} else {
		return ERR_INVALID;
	}
	if (!(h >= 0 && h <= PLAN_HOURS_MAX))
		return ERR_INVALID;
	s->has_hours = true;
	s->hours_per_week = h;
	return 0;
}

static bool responsible_ok(struct gate *g, int64_t id)
{
	return id && (id == g->cr.person_id || id == g->cr.cm_id || id == g->cr.ec_id);
}

/* One step; i is its index in si. seen: keys used so far. */
static int step_parse(struct web_ctx *c, struct gate *g, const struct steps_in *si, size_t i,
		      const struct plan *latest, struct plan_step *out, const struct plan_step *seen)
{
	json_t *o = json_array_get(si->arr, i), *v;
	if (!json_is_object(o))
		return web_fail(c, ERR_INVALID, arena_printf(c->a, "steps[%zu]", i),
				N_("plans.step.err.object"));
	memset(out, 0, sizeof *out);
	v = json_object_get(o, "key");
	if (v && !json_is_null(v)) {
		if (!plans_json_id(v, &out->key) || !key_in(latest, out->key))
			return web_fail(c, ERR_INVALID, fname(c, si, i, "key"), N_("plans.step.err.key"));
		for (size_t j = 0; j < i; j++)
			if (seen[j].key == out->key)
				return web_fail(c, ERR_INVALID, fname(c, si, i, "key"),
						N_("plans.step.err.key_twice"));
	}
	out->kind = json_string_value(json_object_get(o, "kind"));
	if (!plan_kind_valid(out->kind))
		return web_fail(c, ERR_INVALID, fname(c, si, i, "kind"), N_("plans.step.err.kind"));
	out->text = json_string_value(json_object_get(o, "text"));
	if (goal_text_check(out->text, PLAN_TEXT_MAX))
		return web_fail(c, ERR_INVALID, fname(c, si, i, "text"), N_("plans.step.err.text"));
	if (!plans_json_id(json_object_get(o, "responsible"), &out->responsible_id) ||
	    !responsible_ok(g, out->responsible_id))
		return web_fail(c, ERR_INVALID, fname(c, si, i, "responsible"),
				N_("plans.step.err.responsible"));
	v = json_object_get(o, "due");
	day_t d;
	if (v && !json_is_null(v) && (!json_is_string(v) || date_parse(json_string_value(v), &d)))
		return web_fail(c, ERR_INVALID, fname(c, si, i, "due"), N_("plans.step.err.due"));
	out->due = json_string_value(v);
	v = json_object_get(o, "status");
	out->status = v && !json_is_null(v) ? json_string_value(v) : "planned";
	if (!plan_status_valid(out->status))
		return web_fail(c, ERR_INVALID, fname(c, si, i, "status"), N_("plans.step.err.status"));
	v = json_object_get(o, "hours_per_week");
	if (v && !json_is_null(v) &&
	    (!str_eq(out->kind, "return_to_work") || parse_hours(v, out)))
		return web_fail(c, ERR_INVALID, fname(c, si, i, "hours_per_week"),
				N_("plans.step.err.hours"));
	return 0;
}

static int steps_parse(struct web_ctx *c, struct gate *g, const struct plan *latest,
		       struct plan_step **out, size_t *n)
{
	json_t *in;
	int rc = web_input(c, &in);
	if (rc)
		return rc;
	struct steps_in si = {0};
	json_t *bv = json_object_get(in, "base_version");
	int64_t base = 0;
	if (bv && !json_is_null(bv) && !(json_is_integer(bv) && json_integer_value(bv) == 0) &&
	    !(json_is_string(bv) && str_eq(json_string_value(bv), "0")) && !plans_json_id(bv, &base))
		return web_fail(c, ERR_INVALID, "base_version", N_("plans.plan.err.base_version"));
	if (bv && !json_is_null(bv) && base != (latest ? latest->version : 0))
		return web_fail(c, ERR_CONFLICT, "base_version", N_("plans.plan.err.conflict"));
	json_t *arr = json_object_get(in, "steps");
	if (json_is_array(arr)) {
		si.arr = arr;
	} else if (!arr && (web_field(c, "step_0_kind") || web_field(c, "step_0_text"))) {
		form_steps(c, &si);
		json_object_set_new(c->model, "__form_steps", si.arr);
	} else {
		return web_fail(c, ERR_INVALID, "steps", N_("plans.plan.err.steps"));
	}
	*n = json_array_size(si.arr);
	if (*n > PLAN_STEPS_MAX)
		return web_fail(c, ERR_INVALID, "steps", N_("plans.plan.err.too_many"));
	*out = arena_array(c->a, *n ? *n : 1, sizeof **out);
	for (size_t i = 0; i < *n; i++) {
		rc = step_parse(c, g, &si, i, latest, &(*out)[i], *out);
		if (rc)
			return rc;
	}
	return 0;
}

/* One typed field of form row i (step_I_NAME), or NULL. */
static const char *typed(struct web_ctx *c, json_t *row, const char *name)
{
	return form_typed(c, arena_printf(c->a, "step_%lld_%s",
					  (long long)json_integer_value(json_object_get(row, "index")),
					  name));
}

/* The form's rows as typed (h_form_int.h), and which field the error names. */
static void plan_rows_again(struct web_ctx *c)
{
	static const char *const texts[] = {"text", "due", "hours_per_week"};
	static const char *const keys[] = {"text", "due", "hours"};
	static const char *const fields[] = {"kind", "text", "responsible", "due", "status",
					     "hours_per_week"};
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(json_object_get(c->model, "form"), "rows"), i, row)
	{
		for (size_t k = 0; k < 3; k++) {
			const char *v = typed(c, row, texts[k]);
			if (v)
				json_object_set_new(row, keys[k], json_string(v));
		}
		form_mark(json_object_get(row, "kinds"), "value", typed(c, row, "kind"), "selected");
		form_mark(json_object_get(row, "people"), "value", typed(c, row, "responsible"),
			  "selected");
		form_mark(json_object_get(row, "statuses"), "value", typed(c, row, "status"),
			  "selected");
		json_object_set_new(row, "remove", json_boolean(typed(c, row, "remove") != NULL));
		json_t *bad = json_object();
		for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
			if (str_eq(c->err_field,
				   arena_printf(c->a, "step_%lld_%s",
						(long long)json_integer_value(json_object_get(row, "index")),
						fields[k])))
				json_object_set_new(bad, fields[k], json_true());
		json_object_set_new(row, "bad", bad);
	}
	form_keep(c, "plan");
}

/* On a bad form the page shows the stored plan with the message, and the
 * form as it was typed. */
static int plan_refuse(struct web_ctx *c, struct gate *g, int rc)
{
	int err = c->err;
	const char *field = c->err_field, *msg = c->err_message;
	json_object_del(c->model, "__form_steps");
	store_rollback(c->db);
	if (!c->want_json && !store_begin_read(c->db)) {
		plans_plan_model(c, g, 0);
		store_commit(c->db);
	}
	c->err = err, c->err_field = field, c->err_message = msg;
	if (!c->want_json)
		plan_rows_again(c);
	return rc;
}

int h_plan_put(struct web_ctx *c)
{
	struct gate g;
	struct plan latest, *lp = NULL;
	struct plan_step *steps = NULL;
	size_t n = 0;
	int version = 0;
	int rc = plan_open(c, &g);
	if (rc)
		return rc;
	if (!plans_may(&g, POLICY_CREATE, false))
		return plans_allow(c, &g, POLICY_CREATE, false, "plan");
	rc = store_begin_write(c->db);
	if (rc)
		return rc;
	rc = plan_load(c->db, g.cr.id, 0, c->a, &latest);
	if (rc && rc != ERR_NOT_FOUND)
		return rc;
	lp = rc ? NULL : &latest;
	rc = steps_parse(c, &g, lp, &steps, &n);
	if (rc)
		return plan_refuse(c, &g, rc);
	rc = plan_save(c->db, g.cr.id, g.cr.person_id, c->actor->id, clock_now(), steps, n,
		       &version);
	if (!rc)
		rc = plans_allow(c, &g, POLICY_CREATE, false,
				 arena_printf(c->a, "plan:v%d", version));
	if (!rc)
		rc = store_commit(c->db);
	if (!rc)
		rc = store_begin_read(c->db);
	if (rc)
		return rc;
	json_object_del(c->model, "__form_steps");
	rc = plans_plan_model(c, &g, version);
	store_commit(c->db);
	c->status = version == 1 ? 201 : 200;
	c->redirect = arena_printf(c->a, "/cases/%lld/plan", (long long)g.cr.id);
	return rc;
}
