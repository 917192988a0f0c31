/* h_insight_records.c: the team's records (DESIGN.md section 8): the
 * integration log and the glossary (versioned), agreed supervision actions
 * that become tasks; as JSON, pages and CSV. Category team_record: current
 * members and supervisors of the team. */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/insight/records.h"
#include "store/store.h"
#include "web/gate.h"
#include "web/h_form_int.h"
#include "web/insight/h_insight_int.h"
#include "view/i18n.h"
#include "web/web.h"

static const char *opt_label(struct web_ctx *c, const char *v)
{
	return v ? web_t(c, arena_printf(c->a, "insight.opt.%s", v)) : "";
}

static json_t *entry_json(struct web_ctx *c, const struct rec_kind *k, const struct rec_entry *e)
{
	json_t *o = json_pack("{s:I, s:i, s:s?, s:s?, s:I, s:I}", "id", (json_int_t)e->id,
			      "version", e->version, "author", e->author, "updated_by",
			      e->updated_by, "created_at", (json_int_t)e->created_at, "updated_at",
			      (json_int_t)e->updated_at);
	for (size_t i = 0; i < k->nfields; i++) {
		const struct rec_field *f = &k->fields[i];
		const char *v = e->v[i];
		json_object_set_new(o, f->name, v && *v ? json_string(v) : json_null());
		if (f->type == REC_ENUM)
			json_object_set_new(o, arena_printf(c->a, "%s_label", f->name),
					    json_string(opt_label(c, v)));
	}
	char d[DATE_STR_LEN];
	date_format((day_t)(e->updated_at / 86400), d);
	json_object_set_new(o, "updated_on", json_string(d));
	json_object_set_new(o, "href", json_string(arena_printf(
					  c->a, "/%s/%lld",
					  k == &rec_glossary ? "glossary" : "integration-log",
					  (long long)e->id)));
	return o;
}

/* The form's fields with their values (an entry's, or empty). */
static json_t *form_json(struct web_ctx *c, const struct rec_kind *k, const struct rec_entry *e)
{
	json_t *list = json_array();
	for (size_t i = 0; i < k->nfields; i++) {
		const struct rec_field *f = &k->fields[i];
		/* After a failed post, what was typed (form_again shows the page again). */
		const char *v = form_typed(c, f->name);
		if (!v)
			v = e ? e->v[i] : NULL;
		json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:b}", "name", f->name, "label",
				      web_t(c, arena_printf(c->a, "insight.f.%s", f->name)), "value",
				      v ? v : "", "required", f->required, "is_long",
				      f->type == REC_TEXT && f->max > 1000, "is_short",
				      f->type == REC_TEXT && f->max <= 1000, "is_date",
				      f->type == REC_DATE);
		if (f->type == REC_ENUM) {
			json_t *opts = json_array();
			for (const char *const *p = f->options; *p; p++)
				json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", *p,
								      "label", opt_label(c, *p),
								      "selected", str_eq(v, *p)));
			json_object_set_new(o, "options", opts);
			json_object_set_new(o, "is_enum", json_true());
		}
		json_array_append_new(list, o);
	}
	return list;
}

/* The values from the input (JSON strings or form fields); keep: the
 * entry's values for fields not given (PATCH). Records 400 naming the field. */
static int read_values(struct web_ctx *c, const struct rec_kind *k, const struct rec_entry *keep,
		       const char **v)
{
	json_t *in;
	int rc = web_input(c, &in);
	if (rc)
		return rc;
	for (size_t i = 0; i < k->nfields; i++) {
		json_t *x = json_object_get(in, k->fields[i].name);
		if (!x)
			v[i] = keep ? keep->v[i] : NULL;
		else if (json_is_null(x))
			v[i] = NULL;
		else if (json_is_string(x))
			v[i] = json_string_value(x);
		else
			return web_fail(c, ERR_INVALID, k->fields[i].name, N_("insight.err.rec_text"));
	}
	int st = rec_field_index(k, "status");
	if (!keep && st >= 0 && !v[st])
		v[st] = "open";
	const char *bad;
	if (rec_check(k, v, &bad)) {
		const struct rec_field *f = &k->fields[rec_field_index(k, bad)];
		const char *s = v[rec_field_index(k, bad)];
		bool empty = !s || strspn(s, " \t\r\n") == strlen(s);
		return web_fail(c, ERR_INVALID, bad,
				empty ? N_("insight.err.rec_required")
				: f->type == REC_ENUM ? N_("insight.err.rec_option")
				: f->type == REC_DATE ? N_("insight.err.date")
						      : N_("insight.err.rec_text"));
	}
	return 0;
}

static const char *kind_path(const struct rec_kind *k)
{
	return k == &rec_glossary ? "glossary" : "integration-log";
}

static int list_model(struct web_ctx *c, const struct rec_kind *k, struct tgate *g)
{
	struct rec_entry *v;
	size_t n;
	int rc = rec_list(c->db, k, g->team, c->a, &v, &n);
	if (rc)
		return rc;
	json_t *entries = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(entries, entry_json(c, k, &v[i]));
	ig_model_team(c, g);
	if (k == &rec_integration_log) {
		/* One table grouped by dimension, as in the study. */
		static const char *const dims[] = {"shared_culture", "shared_norms", "shared_goals"};
		json_t *groups = json_array();
		for (int d = 0; d < 3; d++) {
			json_t *in = json_array(), *e;
			size_t i;
			json_array_foreach(entries, i, e)
			    if (str_eq(json_string_value(json_object_get(e, "dimension")), dims[d]))
				json_array_append(in, e);
			json_array_append_new(groups, json_pack("{s:s, s:s, s:o, s:b}", "dimension", dims[d],
								"label", opt_label(c, dims[d]), "entries", in,
								"empty", json_array_size(in) == 0));
		}
		json_object_set_new(c->model, "groups", groups);
	}
	json_object_set_new(c->model, "entries", entries);
	json_object_set_new(c->model, "form", form_json(c, k, NULL));
	json_object_set_new(c->model, "action", json_string(arena_printf(
						    c->a, "/teams/%lld/%s", (long long)g->team, kind_path(k))));
	c->template = k == &rec_glossary ? "insight/glossary" : "insight/log";
	c->title_key = k == &rec_glossary ? N_("insight.glossary.title") : N_("insight.log.title");
	return 0;
}

static int team_list(struct web_ctx *c, const struct rec_kind *k)
{
	struct tgate g;
	int rc = ig_team_param(c, "id", &g);
	if (rc || (rc = ig_allow(c, &g, POLICY_TEAM_RECORD, POLICY_READ, false)))
		return rc;
	return list_model(c, k, &g);
}

static int team_create(struct web_ctx *c, const struct rec_kind *k)
{
	struct tgate g;
	const char *v[REC_MAX_FIELDS];
	int64_t id;
	int rc = ig_team_param(c, "id", &g);
	if (rc || (rc = ig_allow(c, &g, POLICY_TEAM_RECORD, POLICY_CREATE, false)) ||
	    (rc = read_values(c, k, NULL, v)))
		return rc;
	if ((rc = store_begin_write(c->db)) ||
	    (rc = rec_create(c->db, k, g.team, v, c->actor->id, clock_now(), &id)))
		return rc;
	gate_audit(c, 0, arena_printf(c->a, "team:%lld:%s:%lld", (long long)g.team, k->name, (long long)id),
		   "team_record", "create");
	struct rec_entry e;
	if ((rc = store_commit(c->db)) || (rc = rec_get(c->db, k, id, c->a, &e)))
		return rc;
	web_set_model(c, entry_json(c, k, &e));
	c->status = 201;
	c->redirect = arena_printf(c->a, "/teams/%lld/%s", (long long)g.team, kind_path(k));
	return 0;
}

/* One entry, its team gate, and its versions. */
static int entry_open(struct web_ctx *c, const struct rec_kind *k, struct rec_entry *e,
		      struct tgate *g, enum policy_action act)
{
	int64_t id;
	if (!c->model)
		c->model = json_object();
	int rc = gate_param_id(c, "id", &id);
	if (rc)
		return rc;
	rc = rec_get(c->db, k, id, c->a, e);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("insight.err.entry_not_found"));
	if (rc || (rc = ig_team(c, e->team_id, g)))
		return rc;
	return ig_allow(c, g, POLICY_TEAM_RECORD, act, false);
}

static int entry_model(struct web_ctx *c, const struct rec_kind *k, const struct rec_entry *e,
		       struct tgate *g)
{
	struct rec_entry *v;
	size_t n;
	int rc = rec_versions(c->db, k, e->id, c->a, &v, &n);
	if (rc)
		return rc;
	json_t *m = entry_json(c, k, e), *vs = json_array();
	for (size_t i = n; i-- > 0;)
		json_array_append_new(vs, entry_json(c, k, &v[i]));
	json_object_set_new(m, "versions", vs);
	json_object_set_new(m, "form", form_json(c, k, e));
	json_object_set_new(m, "team", json_integer(g->team));
	json_object_set_new(m, "team_name", json_string(g->team_name));
	json_object_set_new(m, "is_log", json_boolean(k == &rec_integration_log));
	json_object_set_new(m, "list", json_string(arena_printf(c->a, "/teams/%lld/%s",
								(long long)g->team, kind_path(k))));
	web_set_model(c, m);
	c->template = "insight/entry";
	c->title_key = k == &rec_glossary ? N_("insight.glossary.entry") : N_("insight.log.entry");
	return 0;
}

static int entry_get(struct web_ctx *c, const struct rec_kind *k)
{
	struct rec_entry e;
	struct tgate g;
	int rc = entry_open(c, k, &e, &g, POLICY_READ);
	return rc ? rc : entry_model(c, k, &e, &g);
}

static int entry_update(struct web_ctx *c, const struct rec_kind *k)
{
	struct rec_entry e;
	struct tgate g;
	const char *v[REC_MAX_FIELDS];
	int rc = entry_open(c, k, &e, &g, POLICY_UPDATE);
	if (rc || (rc = read_values(c, k, &e, v)))
		return rc;
	if ((rc = store_begin_write(c->db)) ||
	    (rc = rec_update(c->db, k, e.id, v, c->actor->id, clock_now())))
		return rc;
	gate_audit(c, 0, arena_printf(c->a, "team:%lld:%s:%lld", (long long)g.team, k->name, (long long)e.id),
		   "team_record", "update");
	if ((rc = store_commit(c->db)) || (rc = rec_get(c->db, k, e.id, c->a, &e)))
		return rc;
	c->redirect = arena_printf(c->a, "/%s/%lld", kind_path(k), (long long)e.id);
	return entry_model(c, k, &e, &g);
}

static int team_csv(struct web_ctx *c, const struct rec_kind *k)
{
	struct tgate g;
	int rc = ig_team_param(c, "id", &g);
	if (rc || (rc = ig_allow(c, &g, POLICY_TEAM_RECORD, POLICY_READ, false)))
		return rc;
	struct rec_entry *v;
	size_t n;
	if ((rc = rec_list(c->db, k, g.team, c->a, &v, &n)))
		return rc;
	struct buf b;
	buf_init(&b, 16u << 20);
	hi_csv_field(&b, "id", false);
	hi_csv_field(&b, "version", false);
	for (size_t f = 0; f < k->nfields; f++)
		hi_csv_field(&b, k->fields[f].name, false);
	hi_csv_field(&b, "author", false);
	hi_csv_field(&b, "updated_by", true);
	for (size_t i = 0; i < n; i++) {
		hi_csv_field(&b, arena_printf(c->a, "%lld", (long long)v[i].id), false);
		hi_csv_field(&b, arena_printf(c->a, "%d", v[i].version), false);
		for (size_t f = 0; f < k->nfields; f++)
			hi_csv_field(&b, v[i].v[f], false);
		hi_csv_field(&b, v[i].author, false);
		hi_csv_field(&b, v[i].updated_by, true);
	}
	hi_csv_send(c, &b, arena_printf(c->a, "%s.csv", kind_path(k)));
	return 0;
}

/* A failed form's page again with what was typed, the failed field marked
 * ("bad" on its entry of the model's "form"). */
static int again(struct web_ctx *c, int rc, int (*page)(struct web_ctx *c))
{
	rc = form_again(c, rc, "record", page);
	json_t *f;
	size_t i;
	if (rc && c->err_field && c->model)
		json_array_foreach(json_object_get(c->model, "form"), i, f)
		    json_object_set_new(f, "bad", json_boolean(str_eq(json_string_value(json_object_get(f, "name")),
								      c->err_field)));
	return rc;
}

int hi_log_list(struct web_ctx *c) { return team_list(c, &rec_integration_log); }
int hi_log_create(struct web_ctx *c) { return again(c, team_create(c, &rec_integration_log), hi_log_list); }
int hi_log_get(struct web_ctx *c) { return entry_get(c, &rec_integration_log); }
int hi_log_update(struct web_ctx *c) { return again(c, entry_update(c, &rec_integration_log), hi_log_get); }
int hi_log_csv(struct web_ctx *c) { return team_csv(c, &rec_integration_log); }
int hi_glossary_list(struct web_ctx *c) { return team_list(c, &rec_glossary); }
int hi_glossary_create(struct web_ctx *c) { return again(c, team_create(c, &rec_glossary), hi_glossary_list); }
int hi_glossary_get(struct web_ctx *c) { return entry_get(c, &rec_glossary); }
int hi_glossary_update(struct web_ctx *c) { return again(c, entry_update(c, &rec_glossary), hi_glossary_get); }
int hi_glossary_csv(struct web_ctx *c) { return team_csv(c, &rec_glossary); }
