/* h_insight_measures.c: the team dashboard, pulse and outcomes (DESIGN.md
 * section 8), as JSON, pages and CSV. Supervisors of the team only
 * (category insight). */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/insight/measures.h"
#include "domain/meetings/pulse.h"
#include "http/http.h"
#include "store/store.h"
#include "web/insight/h_insight_cache.h"
#include "web/insight/h_insight_int.h"
#include "web/insight/h_insight_svg.h"
#include "view/i18n.h"
#include "web/web.h"

static int query_day(struct web_ctx *c, const char *name, day_t def, day_t *out)
{
	const char *v = web_query(c, name);
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	if (date_parse(v, out))
		return web_fail(c, ERR_INVALID, name, N_("insight.err.date"));
	return 0;
}

/* ?from=&to=: by default the year up to today. */
static int period(struct web_ctx *c, struct period *p)
{
	p->today = clock_today();
	int rc = query_day(c, "to", p->today, &p->to);
	if (rc || (rc = query_day(c, "from", p->to - 364, &p->from)))
		return rc;
	if (p->from > p->to || p->to - p->from > 3660)
		return web_fail(c, ERR_INVALID, "from", N_("insight.err.period"));
	return 0;
}

/* YYYY-MM */
static int query_month(struct web_ctx *c, const char *name, day_t def, day_t *out)
{
	const char *v = web_query(c, name);
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	char d[16];
	if (strlen(v) != 7 || str_fmt(d, sizeof d, "%s-01", v) || date_parse(d, out))
		return web_fail(c, ERR_INVALID, name, N_("insight.err.month"));
	return 0;
}

static int open_insight(struct web_ctx *c, struct tgate *g)
{
	int rc = ig_team_param(c, "id", g);
	if (rc || (rc = ig_allow(c, g, POLICY_INSIGHT, POLICY_READ, false)))
		return rc;
	ig_model_team(c, g);
	return 0;
}

static void period_model(struct web_ctx *c, const struct period *p)
{
	char f[DATE_STR_LEN], t[DATE_STR_LEN];
	date_format(p->from, f);
	date_format(p->to, t);
	json_object_set_new(c->model, "from", json_string(f));
	json_object_set_new(c->model, "to", json_string(t));
}

/* Words for the pulse items and the roles of the caseload. */
static void label_pulse(struct web_ctx *c, json_t *pulse)
{
	json_t *items = json_object_get(pulse, "items"), *it;
	size_t i;
	json_array_foreach(items, i, it)
	{
		const char *id = json_string_value(json_object_get(it, "item"));
		json_object_set_new(it, "label",
				    json_string(web_t(c, arena_printf(c->a, "person.pulse.item.%s", id))));
		json_t *m = json_object_get(it, "mean");
		json_object_set_new(it, "mean_text",
				    json_string(json_is_real(m) ? arena_printf(c->a, "%.2f", json_real_value(m))
					      : json_is_true(json_object_get(it, "suppressed"))
						  ? web_t(c, N_("insight.results.fewer"))
						  : web_t(c, N_("insight.results.none"))));
	}
	json_object_set_new(pulse, "has_comments",
			    json_boolean(json_array_size(json_object_get(pulse, "comments")) > 0));
}

static void label_caseload(struct web_ctx *c, json_t *cl)
{
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(cl, "professionals"), i, it)
	{
		const char *r = json_string_value(json_object_get(it, "role"));
		json_object_set_new(it, "role_label",
				    json_string(web_t(c, arena_printf(c->a, "role.%s", r))));
	}
}

static const char *share_text(struct web_ctx *c, json_t *s)
{
	if (json_is_true(json_object_get(s, "not_yet")))
		return web_t(c, N_("insight.outcomes.not_yet"));
	if (json_is_true(json_object_get(s, "suppressed")))
		return web_t(c, N_("insight.results.fewer_cases"));
	return arena_printf(c->a, "%.0f %%", 100.0 * json_number_value(json_object_get(s, "share")));
}

static void label_outcomes(struct web_ctx *c, json_t *o)
{
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(o, "cohorts"), i, it)
	{
		json_object_set_new(it, "text_6", json_string(share_text(c, json_object_get(it, "in_work_6"))));
		json_object_set_new(it, "text_12", json_string(share_text(c, json_object_get(it, "in_work_12"))));
		json_object_set_new(it, "text_24", json_string(share_text(c, json_object_get(it, "in_work_24"))));
		json_t *w = json_object_get(json_object_get(it, "weeks_in_work_12"), "mean");
		json_object_set_new(it, "text_weeks",
				    json_string(json_is_real(w) ? arena_printf(c->a, "%.1f", json_real_value(w))
					      : web_t(c, N_("insight.outcomes.not_shown"))));
	}
	json_array_foreach(json_object_get(o, "at_risk_table"), i, it)
	    json_object_set_new(it, "survival_text",
				json_string(arena_printf(c->a, "%.0f %%", 100.0 * json_number_value(json_object_get(it, "survival")))));
	json_object_set_new(o, "chart", hi_svg_km(c, json_object_get(o, "km"),
						 json_object_get(o, "at_risk_table")));
	json_object_set_new(o, "has_cases", json_boolean(json_integer_value(json_object_get(o, "cases")) > 0));
}

static int outcomes_model(struct web_ctx *c, struct tgate *g, json_t **out)
{
	day_t this_month = date_first_of_month(clock_today()), from, to;
	int rc = query_month(c, "cohort_from", date_add_months(this_month, -24), &from);
	if (rc || (rc = query_month(c, "cohort_to", this_month, &to)))
		return rc;
	if (from > to || to - from > 3700)
		return web_fail(c, ERR_INVALID, "cohort_from", N_("insight.err.period"));
	if ((rc = measures_outcomes(c->db, g->team, from, to, clock_today(), c->a, out)))
		return rc;
	char f[DATE_STR_LEN], t[DATE_STR_LEN];
	date_format(from, f);
	date_format(to, t);
	f[7] = t[7] = '\0';
	json_object_set_new(*out, "cohort_from", json_string(f));
	json_object_set_new(*out, "cohort_to", json_string(t));
	return 0;
}

static int dashboard_model(struct web_ctx *c, struct tgate *g, struct period *p)
{
	json_t *cl = NULL, *dl = NULL, *co = NULL, *pu = NULL, *oc = NULL;
	int rc = store_begin_read(c->db);
	if (rc)
		return rc;
	if ((rc = measures_caseload(c->db, g->team, p, &cl)) ||
	    (rc = measures_deadlines(c->db, g->team, p, &dl)) ||
	    (rc = measures_continuity(c->db, g->team, p, c->a, &co)) ||
	    (rc = measures_pulse(c->db, g->team, p, &pu)) || (rc = outcomes_model(c, g, &oc))) {
		store_rollback(c->db);
		json_decref(cl);
		json_decref(dl);
		json_decref(co);
		json_decref(pu);
		return rc;
	}
	store_commit(c->db);
	label_caseload(c, cl);
	label_pulse(c, pu);
	label_outcomes(c, oc);
	json_object_set_new(c->model, "caseload", cl);
	json_object_set_new(c->model, "deadlines", dl);
	json_object_set_new(c->model, "continuity", co);
	json_object_set_new(c->model, "pulse", pu);
	json_object_set_new(c->model, "outcomes", oc);
	period_model(c, p);
	return 0;
}

/* The team, the period and the whole overview in c->model. */
static int dashboard_open(struct web_ctx *c)
{
	struct tgate g;
	struct period p;
	int rc = open_insight(c, &g);
	if (rc || (rc = period(c, &p)))
		return rc;
	return dashboard_model(c, &g, &p);
}

/* Kept between requests until the team's counters move (h_insight_cache.h). */
int hi_dashboard(struct web_ctx *c)
{
	struct tgate g;
	struct period p;
	struct ic_answer ans;
	int rc = open_insight(c, &g);
	if (rc || (rc = period(c, &p)))
		return rc;
	if ((rc = ic_cached(c, g.team, &ans)) != ERR_NOT_FOUND)
		return rc;
	if ((rc = dashboard_model(c, &g, &p)))
		return rc;
	c->template = "insight/dashboard";
	c->title_key = N_("insight.dashboard.title");
	return ic_keep(c, &ans);
}

/* The team, the period and its pulse aggregates (*pu: caller decrefs). */
static int pulse_open(struct web_ctx *c, struct period *p, json_t **pu)
{
	struct tgate g;
	int rc = open_insight(c, &g);
	if (rc || (rc = period(c, p)))
		return rc;
	return measures_pulse(c->db, g.team, p, pu);
}

int hi_pulse(struct web_ctx *c)
{
	struct period p;
	json_t *pu;
	int rc = pulse_open(c, &p, &pu);
	if (rc)
		return rc;
	label_pulse(c, pu);
	json_object_update(c->model, pu);
	json_decref(pu);
	period_model(c, &p);
	c->template = "insight/pulse";
	c->title_key = N_("insight.pulse.title");
	return 0;
}

int hi_outcomes(struct web_ctx *c)
{
	struct tgate g;
	json_t *oc;
	int rc = open_insight(c, &g);
	if (rc || (rc = outcomes_model(c, &g, &oc)))
		return rc;
	label_outcomes(c, oc);
	json_object_update(c->model, oc);
	json_decref(oc);
	c->template = "insight/outcomes";
	c->title_key = N_("insight.outcomes.title");
	return 0;
}

/* CSV: one field, quoted when it holds a comma, quote or line break; a
 * leading = + - @ is quoted with a ' so a spreadsheet never runs it. */
void hi_csv_field(struct buf *b, const char *s, bool last)
{
	if (!s)
		s = "";
	bool formula = *s == '=' || *s == '+' || *s == '-' || *s == '@';
	if (strpbrk(s, ",\"\r\n") || formula) {
		buf_putc(b, '"');
		if (formula)
			buf_putc(b, '\'');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				buf_putc(b, '"');
			buf_putc(b, *p);
		}
		buf_putc(b, '"');
	} else
		buf_puts(b, s);
	buf_puts(b, last ? "\r\n" : ",");
}

static const char *num(struct web_ctx *c, json_t *v)
{
	if (json_is_integer(v))
		return arena_printf(c->a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return arena_printf(c->a, "%g", json_real_value(v));
	if (json_is_true(v))
		return "true";
	if (json_is_false(v))
		return "false";
	return json_is_string(v) ? json_string_value(v) : "";
}

/* Rows of fields from a list of objects: one column per key. */
void hi_csv_rows(struct web_ctx *c, struct buf *b, const char *section, json_t *list,
		 const char *const *keys, size_t nkeys)
{
	json_t *it;
	size_t i;
	json_array_foreach(list, i, it)
	{
		hi_csv_field(b, section, false);
		for (size_t k = 0; k < nkeys; k++)
			hi_csv_field(b, num(c, json_object_get(it, keys[k])), k + 1 == nkeys);
	}
}

void hi_csv_send(struct web_ctx *c, struct buf *b, const char *name)
{
	http_resp_header(c->resp, "Content-Disposition",
			 arena_printf(c->a, "attachment; filename=\"%s\"", name));
	size_t len;
	char *body = buf_detach(b, &len);
	web_respond_raw_take(c, "text/csv; charset=utf-8", body, len);
}

static void pulse_csv(struct web_ctx *c, struct buf *b, json_t *pu)
{
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(pu, "items"), i, it)
	{
		const char *item = json_string_value(json_object_get(it, "item"));
		json_t *d = json_object_get(it, "distribution"), *x;
		size_t k;
		json_array_foreach(d, k, x)
		{
			hi_csv_field(b, "pulse", false);
			hi_csv_field(b, item, false);
			hi_csv_field(b, num(c, json_object_get(x, "value")), false);
			hi_csv_field(b, num(c, json_object_get(x, "count")), false);
			hi_csv_field(b, num(c, json_object_get(it, "mean")), false);
			hi_csv_field(b, num(c, json_object_get(it, "n")), false);
			hi_csv_field(b, num(c, json_object_get(it, "suppressed")), true);
		}
	}
	json_array_foreach(json_object_get(pu, "comments"), i, it)
	{
		hi_csv_field(b, "pulse_comment", false);
		hi_csv_field(b, json_string_value(it), true);
	}
}

static void outcomes_csv(struct web_ctx *c, struct buf *b, json_t *oc)
{
	json_t *it;
	size_t i;
	hi_csv_field(b, "section", false);
	hi_csv_field(b, "cohort", false);
	hi_csv_field(b, "cases", false);
	hi_csv_field(b, "in_work_6", false);
	hi_csv_field(b, "in_work_12", false);
	hi_csv_field(b, "in_work_24", false);
	hi_csv_field(b, "weeks_in_work_12", true);
	json_array_foreach(json_object_get(oc, "cohorts"), i, it)
	{
		hi_csv_field(b, "cohort", false);
		hi_csv_field(b, num(c, json_object_get(it, "cohort")), false);
		hi_csv_field(b, num(c, json_object_get(it, "cases")), false);
		static const char *const h[] = {"in_work_6", "in_work_12", "in_work_24"};
		for (int k = 0; k < 3; k++)
			hi_csv_field(b, num(c, json_object_get(json_object_get(it, h[k]), "share")), false);
		hi_csv_field(b, num(c, json_object_get(json_object_get(it, "weeks_in_work_12"), "mean")), true);
	}
	static const char *const km[] = {"week", "at_risk", "events", "censored", "survival"};
	hi_csv_rows(c, b, "km", json_object_get(oc, "km"), km, 5);
}

int hi_pulse_csv(struct web_ctx *c)
{
	struct period p;
	json_t *pu;
	int rc = pulse_open(c, &p, &pu);
	if (rc)
		return rc;
	struct buf b;
	buf_init(&b, 16u << 20);
	buf_puts(&b, "section,item,value,count,mean,n,suppressed\r\n");
	pulse_csv(c, &b, pu);
	json_decref(pu);
	hi_csv_send(c, &b, "pulse.csv");
	return 0;
}

int hi_outcomes_csv(struct web_ctx *c)
{
	struct tgate g;
	json_t *oc;
	int rc = open_insight(c, &g);
	if (rc || (rc = outcomes_model(c, &g, &oc)))
		return rc;
	struct buf b;
	buf_init(&b, 16u << 20);
	outcomes_csv(c, &b, oc);
	json_decref(oc);
	hi_csv_send(c, &b, "outcomes.csv");
	return 0;
}

int hi_dashboard_csv(struct web_ctx *c)
{
	int rc = dashboard_open(c);
	if (rc)
		return rc;
	struct buf b;
	buf_init(&b, 16u << 20);
	json_t *m = c->model;
	static const char *const cl[] = {"name", "role", "fraction", "open_cases", "weighted"};
	buf_puts(&b, "section,name,role,fraction,open_cases,weighted\r\n");
	hi_csv_rows(c, &b, "caseload", json_object_get(json_object_get(m, "caseload"), "professionals"), cl, 5);
	json_t *dl = json_object_get(m, "deadlines");
	buf_printf(&b, "deadlines,overdue,%s\r\ndeadlines,due_this_week,%s\r\n",
		   num(c, json_object_get(dl, "overdue")), num(c, json_object_get(dl, "due_this_week")));
	static const char *const ar[] = {"case", "due", "care_manager", "employment_consultant"};
	hi_csv_rows(c, &b, "at_risk", json_object_get(dl, "at_risk"), ar, 4);
	json_t *co = json_object_get(m, "continuity");
	static const char *const pr[] = {"care_manager", "employment_consultant", "open_cases", "since", "weeks_together"};
	hi_csv_rows(c, &b, "pair", json_object_get(co, "pairs"), pr, 5);
	buf_printf(&b, "continuity,handovers_per_case,%s\r\n",
		   num(c, json_object_get(co, "handovers_per_case")));
	buf_printf(&b, "continuity,days_to_first_roundtable_median,%s\r\n",
		   num(c, json_object_get(json_object_get(co, "days_to_first_roundtable"), "median")));
	buf_printf(&b, "continuity,contacts_before_roundtable_median,%s\r\n",
		   num(c, json_object_get(json_object_get(co, "contacts_before_roundtable"), "median")));
	pulse_csv(c, &b, json_object_get(m, "pulse"));
	outcomes_csv(c, &b, json_object_get(m, "outcomes"));
	hi_csv_send(c, &b, "dashboard.csv");
	return 0;
}
