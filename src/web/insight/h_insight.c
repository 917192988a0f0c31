/* h_insight.c: the instruments and the survey rounds of a team (DESIGN.md
 * section 8). */
#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/insight/instrument.h"
#include "domain/insight/records.h"
#include "domain/insight/survey.h"
#include "domain/trust/access.h"
#include "store/store.h"
#include "web/gate.h"
#include "web/h_form_int.h"
#include "web/handlers.h"
#include "web/insight/h_insight.h"
#include "web/insight/h_insight_int.h"
#include "view/i18n.h"
#include "web/web.h"


static json_t *instrument_json(struct web_ctx *c, const struct instrument *in)
{
	json_t *items = json_array();
	bool da = str_eq(c->lang, "da");
	for (size_t i = 0; i < in->nitems; i++) {
		const struct instr_item *it = &in->items[i];
		json_array_append_new(
		    items, json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:s}", "id", it->id, "dimension",
				     instr_dimension_name(it->dimension), "text", "en", it->en, "da",
				     it->da, "label", da ? it->da : it->en, "dimension_label",
				     web_t(c, arena_printf(c->a, "insight.dim.%s",
							   instr_dimension_name(it->dimension)))));
	}
	return json_pack("{s:s, s:s, s:{s:i, s:i}, s:o, s:s}", "id", in->id, "name",
			 da ? in->name_da : in->name_en, "scale", "min", in->min, "max", in->max,
			 "items", items, "file", in->file);
}

int hi_instruments(struct web_ctx *c)
{
	size_t n;
	const struct instrument *v = instruments_all(&n);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, instrument_json(c, &v[i]));
	c->model = json_pack("{s:o}", "instruments", list);
	c->template = "insight/instruments";
	c->title_key = N_("insight.instruments.title");
	return 0;
}

json_t *hi_round_json(struct web_ctx *c, const struct survey_round *r, const char *today)
{
	const char *state = survey_round_state(r, today);
	const struct instrument *in = instrument_find(r->instrument);
	bool da = str_eq(c->lang, "da");
	return json_pack("{s:I, s:I, s:s, s:s?, s:s, s:s, s:s, s:s, s:I, s:b, s:b}", "id",
			 (json_int_t)r->id, "team", (json_int_t)r->team_id, "instrument",
			 r->instrument, "instrument_name",
			 in ? (da ? in->name_da : in->name_en) : NULL, "opens", r->opens, "closes",
			 r->closes, "state", state, "state_label",
			 web_t(c, arena_printf(c->a, "insight.state.%s", state)), "respondents",
			 (json_int_t)r->respondents, "answered", r->answered_by_me, "is_open",
			 str_eq(state, "open"));
}

int hi_surveys(struct web_ctx *c)
{
	struct tgate g;
	int rc = ig_team_param(c, "id", &g);
	if (rc || (rc = ig_allow(c, &g, POLICY_TEAM_RECORD, POLICY_READ, false)))
		return rc;
	struct survey_round *v;
	size_t n;
	if ((rc = survey_rounds_list(c->db, g.team, c->actor->id, c->a, &v, &n)))
		return rc;
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	bool sup = ig_may(&g, POLICY_INSIGHT, POLICY_READ);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *r = hi_round_json(c, &v[i], today);
		json_object_set_new(r, "may_answer", json_boolean(g.rater >= 0 && json_is_true(json_object_get(r, "is_open"))));
		json_object_set_new(r, "may_results", json_boolean(sup));
		json_array_append_new(list, r);
	}
	ig_model_team(c, &g);
	json_object_set_new(c->model, "surveys", list);
	json_object_set_new(c->model, "has_surveys", json_boolean(n > 0));
	json_object_set_new(c->model, "may_open", json_boolean(ig_may(&g, POLICY_INSIGHT, POLICY_CREATE)));
	size_t ni;
	const struct instrument *ins = instruments_all(&ni);
	json_t *opts = json_array();
	for (size_t i = 0; i < ni; i++)
		json_array_append_new(opts, json_pack("{s:s, s:s}", "id", ins[i].id, "name",
						      str_eq(c->lang, "da") ? ins[i].name_da
									    : ins[i].name_en));
	form_mark(opts, "id", form_typed(c, "instrument"), "selected");
	json_object_set_new(c->model, "instruments", opts);
	json_object_set_new(c->model, "today", json_string(today));
	c->template = "insight/surveys";
	c->title_key = N_("insight.surveys.title");
	return 0;
}

/* A date field; a bad one is added to the form's errors (web_fail_more). */
static int date_field(struct web_ctx *c, json_t *in, const char *name, const char **out)
{
	json_t *v = json_object_get(in, name);
	day_t d;
	*out = NULL;
	if (!json_is_string(v) || date_parse(json_string_value(v), &d))
		return web_fail_more(c, ERR_INVALID, name, N_("insight.err.date"));
	*out = json_string_value(v);
	return 0;
}

static int survey_create(struct web_ctx *c)
{
	struct tgate g;
	json_t *in;
	int rc = ig_team_param(c, "id", &g);
	if (rc || (rc = ig_allow(c, &g, POLICY_INSIGHT, POLICY_CREATE, false)) ||
	    (rc = web_input(c, &in)))
		return rc;
	json_t *iv = json_object_get(in, "instrument");
	const char *instrument = json_is_string(iv) ? json_string_value(iv) : NULL;
	const char *opens, *closes;
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	/* Every field is checked, so the error summary lists each one wrong. */
	if (!instrument || !instrument_find(instrument))
		web_fail_more(c, ERR_INVALID, "instrument", N_("insight.err.instrument"));
	date_field(c, in, "opens", &opens);
	date_field(c, in, "closes", &closes);
	if (opens && closes && (strcmp(closes, opens) < 0 || strcmp(closes, today) < 0))
		web_fail_more(c, ERR_INVALID, "closes", N_("insight.err.closes"));
	if (c->err)
		return c->err;
	int64_t id;
	if ((rc = store_begin_write(c->db)) ||
	    (rc = survey_round_create(c->db, g.team, instrument, opens, closes, c->actor->id,
				      clock_now(), &id)))
		return rc;
	gate_audit(c, 0, arena_printf(c->a, "team:%lld:survey:%lld", (long long)g.team, (long long)id),
		   "insight", "create");
	if ((rc = store_commit(c->db)))
		return rc;
	struct survey_round r;
	if ((rc = survey_round_get(c->db, id, c->actor->id, c->a, &r)))
		return rc;
	web_set_model(c, hi_round_json(c, &r, today));
	c->status = 201;
	c->redirect = arena_printf(c->a, "/teams/%lld/surveys", (long long)g.team);
	return 0;
}

/* A failed form comes back with what was typed (web/h_form_int.h). */
int hi_survey_create(struct web_ctx *c)
{
	return form_again(c, survey_create(c), "round", hi_surveys);
}

void hi_home_links(struct web_ctx *c)
{
	if (!gate_role_may(c, POLICY_STAFF_WORK, POLICY_READ))
		return;
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	struct my_team *v;
	size_t n;
	if (insight_my_teams(c->db, c->actor->id, today, c->a, &v, &n) || !n)
		return;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)v[i].id,
						      "name", v[i].name, "supervisor",
						      str_eq(v[i].role, "supervisor") &&
							  c->actor->role == ROLE_SUPERVISOR));
	json_object_set_new(c->model, "insight_teams", list);
}
