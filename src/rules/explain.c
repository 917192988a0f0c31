/* explain.c: which plain-language sentences fit the person's situation.
 *
 * Only keys are chosen here; the sentences are in locale/timeline/en.po and da.po.
 * Their {placeholders} name output fields or rules_explain_params. */
#include "rules/rules.h"

static const char *const keys[] = {
	"timeline.ended",
	"timeline.not_absent",
	"timeline.not_counted",
	"timeline.counted_since",
	"timeline.benefit_days",
	"timeline.reassessment_projected",
	"timeline.reassessment_reached",
	"timeline.no_reassessment",
	"timeline.awaiting_decision",
	"timeline.hearing_rights",
	"timeline.decision_upcoming",
	"timeline.extended_ground_1",
	"timeline.extended_ground_2",
	"timeline.extended_ground_3",
	"timeline.extended_ground_4",
	"timeline.extended_ground_5",
	"timeline.extended_ground_6",
	"timeline.extended_ground_7",
	"timeline.extension_until",
	"timeline.extension_until_event",
	"timeline.extension_unlimited",
	"timeline.extension_ended",
	"timeline.job_clarification",
	"timeline.job_clarification_rate",
	"timeline.rehab_team",
	"timeline.complaint",
	"timeline.next_followup",
	"timeline.over_limit_at_start",
	"timeline.invalid_decision",
};

enum {
	K_ENDED,
	K_NOT_ABSENT,
	K_NOT_COUNTED,
	K_COUNTED_SINCE,
	K_BENEFIT_DAYS,
	K_REASS_PROJECTED,
	K_REASS_REACHED,
	K_NO_REASS,
	K_AWAITING,
	K_HEARING_RIGHTS,
	K_DECISION_UPCOMING,
	K_GROUND_1,
	K_EXT_UNTIL = K_GROUND_1 + RULES_GROUNDS,
	K_EXT_UNTIL_EVENT,
	K_EXT_UNLIMITED,
	K_EXT_ENDED,
	K_JOB_CLARIFICATION,
	K_JC_RATE,
	K_REHAB_TEAM,
	K_COMPLAINT,
	K_NEXT_FOLLOWUP,
	K_OVER_LIMIT,
	K_INVALID_DECISION,
	K_N
};

_Static_assert(K_N == sizeof keys / sizeof keys[0], "explanation keys and enum agree");

const char *const *rules_explanation_keys(size_t *n)
{
	*n = K_N;
	return keys;
}

static void add(struct rules_timeline *t, int k)
{
	if (t->n_explanations < RULES_MAX_EXPLANATIONS)
		t->explanations[t->n_explanations++] = keys[k];
}

static void set_params(const struct rules_profile *p, struct rules_timeline *t)
{
	struct rules_explain_params *q = &t->params;
	int y, m, d;
	q->window_months = p->window_months;
	q->limit_days = p->limit_days;
	q->complaint_weeks = p->complaint_weeks;
	q->rehab_team_days = p->job_clarification_rehab_team_days;
	q->job_clarification_max_years = p->job_clarification_max_years;
	date_to_ymd(t->benefit_ends != RULES_NO_DAY ? t->benefit_ends + 1 : t->as_of, &y, &m, &d);
	for (int i = 0; i < p->n_rates; i++)
		if (p->rates[i].year == y) {
			q->rate_year = y;
			q->rate_with_dependants = p->rates[i].with_dependants;
			q->rate_without_dependants = p->rates[i].without_dependants;
		}
}

static void explain_extension(struct rules_timeline *t)
{
	const struct rules_extension *x = &t->extension;
	add(t, K_GROUND_1 + x->ground - 1);
	if (x->kind == RULES_GROUND_EVENT)
		add(t, K_EXT_UNTIL_EVENT);
	else if (x->kind == RULES_GROUND_UNLIMITED)
		add(t, K_EXT_UNLIMITED);
	else
		add(t, K_EXT_UNTIL);
}

static void explain_benefit(struct rules_timeline *t)
{
	add(t, K_COUNTED_SINCE);
	add(t, K_BENEFIT_DAYS);
	if (t->reassessment_date == RULES_NO_DAY)
		add(t, K_NO_REASS);
	else if (t->projected)
		add(t, K_REASS_PROJECTED);
	else
		add(t, K_REASS_REACHED);
	if (t->benefit_ends != RULES_NO_DAY)
		add(t, K_DECISION_UPCOMING);
	else if (t->reassessment_date != RULES_NO_DAY)
		add(t, K_HEARING_RIGHTS);
}

void rules_explain(const struct rules_profile *p, struct rules_timeline *t)
{
	set_params(p, t);
	t->n_explanations = 0;
	if (t->flags & RULES_FLAG_OVER_LIMIT_AT_START)
		add(t, K_OVER_LIMIT);
	switch (t->status) {
	case RULES_ENDED:
		add(t, K_ENDED);
		break;
	case RULES_NOT_ABSENT:
		add(t, K_NOT_ABSENT);
		break;
	case RULES_NOT_COUNTED:
		add(t, K_NOT_COUNTED);
		break;
	case RULES_SICKNESS_BENEFIT:
		explain_benefit(t);
		break;
	case RULES_AWAITING_DECISION:
		add(t, K_AWAITING);
		if (t->has_extension && t->as_of > t->benefit_ends)
			add(t, K_EXT_ENDED);
		else if (t->benefit_ends != RULES_NO_DAY)
			add(t, K_DECISION_UPCOMING);
		add(t, K_HEARING_RIGHTS);
		break;
	case RULES_EXTENDED:
		explain_extension(t);
		break;
	case RULES_JOB_CLARIFICATION:
		add(t, K_JOB_CLARIFICATION);
		if (t->params.rate_year)
			add(t, K_JC_RATE);
		add(t, K_REHAB_TEAM);
		break;
	}
	if (t->benefit_ends != RULES_NO_DAY && t->status != RULES_ENDED)
		add(t, K_COMPLAINT);
	for (int i = 0; i < t->n_deadlines; i++)
		if (t->deadlines[i].kind == RULES_DL_NEXT_FOLLOWUP)
			add(t, K_NEXT_FOLLOWUP);
	if (t->flags & RULES_FLAG_INVALID_DECISION_NO_HEARING)
		add(t, K_INVALID_DECISION);
}
