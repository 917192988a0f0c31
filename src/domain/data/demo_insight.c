/* demo_insight.c: invented but plausible insight data (DESIGN.md section 8)
 * for the demo: two rounds of the coordination survey in the first team
 * (every professional answers, so the totals show while small cells stay
 * hidden), one round in the second team with too few answers, trust pulse
 * answers with some comments shared, the integration log under all three
 * dimensions and the glossary (the person on sick leave is "borgeren"). */
#include <string.h>

#include "base/arena.h"
#include "base/str.h"
#include "domain/data/demo_int.h"
#include "domain/insight/instrument.h"
#include "domain/insight/records.h"
#include "domain/insight/survey.h"
#include "store/store.h"

/* How rater role a sees rated role b, on a 1-5 scale: colleagues in the
 * same sector see each other a little better than across the sectors. */
static const int base_view[INSTR_ROLES][INSTR_ROLES] = {
    {4, 3, 4, 3}, {3, 4, 3, 4}, {4, 3, 4, 3}, {3, 4, 3, 4}};

static int answer(struct demo_ctx *d, const struct instrument *in, int64_t round, int64_t user,
		  int rater, int drift)
{
	struct survey_rating v[INSTR_ROLES * 16];
	size_t n = 0;
	for (int b = 0; b < INSTR_ROLES; b++)
		for (size_t i = 0; i < in->nitems && n < sizeof v / sizeof v[0]; i++) {
			long x = base_view[rater][b] + drift + demo_range(&d->rng, -1, 1);
			v[n++] = (struct survey_rating){b, in->items[i].id,
							(int)(x < 1 ? 1 : x > 5 ? 5 : x)};
		}
	return survey_response_put(d->c, in, round, user, rater, v, n, d->o->now);
}

static int round_add(struct demo_ctx *d, const struct demo_team *t, day_t opens, day_t closes,
		     int answers, int drift)
{
	const struct instrument *in = instrument_find("ibbis-coordination");
	if (!in)
		return 0;
	char o[DATE_STR_LEN], c[DATE_STR_LEN];
	date_format(opens, o);
	date_format(closes, c);
	int64_t round;
	int rc = survey_round_create(d->c, t->id, in->id, o, c, t->sup_h.id, d->o->now, &round);
	/* Who answers, in this order: care managers, consultants, supervisors. */
	const struct {
		const struct demo_user *u;
		int rater;
	} who[] = {{&t->cm[0], 0}, {&t->ec[0], 1}, {&t->sup_h, 2}, {&t->cm[1], 0}, {&t->ec[1], 1},
		   {&t->sup_j, 3},  {&t->cm[2], 0}, {&t->ec[2], 1}, {&t->cm[3], 0}};
	for (int k = 0; rc == 0 && k < answers && k < 9; k++)
		rc = answer(d, in, round, who[k].u->id, who[k].rater, drift);
	return rc;
}

static const char *const comments[] = {
    "Det var rart, at de to talte sammen foran mig og ikke hver for sig.",
    "I liked that we agreed on one plan instead of two.",
    "Jeg var nervøs for pengene, men jobkonsulenten forklarede reglerne.",
    "Mødet var for kort; jeg nåede ikke mine spørgsmål.",
    "Det hjalp at have min bisidder med.",
    "I finally understood what happens after week 22.",
    "Godt at mine egne spørgsmål var på dagsordenen.",
};

/* Pulse answers after held roundtables of the team's cases. */
static int pulses(struct demo_ctx *d, const struct demo_team *t, int max)
{
	struct store_stmt *st;
	int rc = store_prepare(d->c,
			       "SELECT m.id, m.case_id, k.person_id FROM meetings m JOIN cases k ON "
			       "k.id = m.case_id WHERE m.team_id = $1 AND m.kind = 'roundtable' AND "
			       "m.status = 'held' ORDER BY m.id LIMIT $2",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, t->id);
	store_bind_int64(st, 2, max);
	int64_t ids[3][64];
	int n = 0;
	while (n < 64 && (rc = store_step(st)) == STORE_ROW) {
		ids[0][n] = store_col_int64(st, 0);
		ids[1][n] = store_col_int64(st, 1);
		ids[2][n++] = store_col_int64(st, 2);
	}
	if (rc < 0)
		return rc;
	store_reset(st);
	static const char *const items[] = {"safe", "same_goal", "next_steps", "listened"};
	for (int i = 0; rc == 0 && i < n; i++) {
		bool share = demo_chance(&d->rng, 50);
		int64_t resp;
		rc = demo_exec(d->c,
			       "INSERT INTO survey_responses (instrument, respondent_id, case_id, "
			       "meeting_id, team_id, created_at, share_text) VALUES ('trust_pulse', $1, "
			       "$2, $3, $4, $5, $6) RETURNING id",
			       &resp, "iiiiii", ids[2][i], ids[1][i], ids[0][i], t->id,
			       d->o->now - demo_range(&d->rng, 1, 300) * 86400, (int64_t)(share ? 1 : 0));
		for (int k = 0; rc == 0 && k < 4; k++)
			rc = demo_exec(d->c,
				       "INSERT INTO survey_answers (response_id, item, value) VALUES "
				       "($1, $2, $3)",
				       NULL, "isi", resp, items[k], (int64_t)demo_range(&d->rng, 2, 5));
		if (rc == 0 && demo_chance(&d->rng, 60))
			rc = demo_exec(d->c,
				       "INSERT INTO survey_answers (response_id, item, text) VALUES ($1, "
				       "'text', $2)",
				       NULL, "is", resp, DEMO_PICK(&d->rng, comments));
	}
	return rc;
}

static int records(struct demo_ctx *d, const struct demo_team *t)
{
	static const char *const log[][6] = {
	    {"shared_culture", "Two professional languages: 'treatment' and 'activation' mean different things to the two sides",
	     "A glossary agreed at supervision", "bottom_up", "Fewer misunderstandings at roundtables", "addressed"},
	    {"shared_norms", "Uncertainty whether health information may be passed on to the jobcentre",
	     "The consent is explained at the first roundtable, and the person decides each time", "person_based",
	     "The person feels in control; fewer questions afterwards", "open"},
	    {"shared_norms", "The jobcentre's power over the benefit makes persons hold back in joint meetings",
	     "Employment consultant says at the start what will and will not be used in decisions", "meso_negotiation",
	     "Agreed wording between the managers of both organisations", "open"},
	    {"shared_goals", "Treatment goals and return-to-work goals are written in two plans",
	     "One joint plan in IBBIS, agreed at the roundtable", "organisational_change",
	     "Both professionals see the same steps and deadlines", "addressed"},
	};
	int rc = 0;
	int64_t id;
	for (size_t i = 0; rc == 0 && i < sizeof log / sizeof log[0]; i++) {
		const char *v[6] = {log[i][0], log[i][1], log[i][2], log[i][3], log[i][4], "open"};
		rc = rec_create(d->c, &rec_integration_log, t->id, v, t->sup_j.id, d->o->now - 86400 * 90, &id);
		if (rc == 0 && str_eq(log[i][5], "addressed")) {
			v[5] = "addressed";
			rc = rec_update(d->c, &rec_integration_log, id, v, t->cm[0].id, d->o->now - 86400 * 20);
		}
	}
	static const char *const terms[][6] = {
	    {"the person", "borgeren", "The person on sick leave whom the team works with.",
	     "Den sygemeldte, som teamet arbejder med.", "sygemeldt, patient, bruger", "negotiated"},
	    {"employment consultant", "jobkonsulent", "The jobcentre's professional in the team.",
	     "Jobcentrets medarbejder i teamet.", "beskæftigelseskonsulent, rådgiver", "top_down"},
	    {"roundtable meeting", "rundbordssamtale", "The joint meeting of the person, the care manager and the employment consultant.",
	     "Det fælles møde mellem borgeren, care manageren og jobkonsulenten.", "rundbordsmøde", "bottom_up"},
	    {"reassessment", "revurdering", "The date by which the benefit must be assessed again.",
	     "Den dato, hvor retten til sygedagpenge skal vurderes igen.", "revurderingsdato", "negotiated"},
	};
	char on[DATE_STR_LEN];
	date_format(d->o->today - 120, on);
	for (size_t i = 0; rc == 0 && i < sizeof terms / sizeof terms[0]; i++) {
		const char *v[8] = {terms[i][0], terms[i][1], terms[i][2], terms[i][3], terms[i][4],
				    "Supervision, both managers", on, terms[i][5]};
		rc = rec_create(d->c, &rec_glossary, t->id, v, t->sup_h.id, d->o->now - 86400 * 120, &id);
	}
	return rc;
}

int demo_insight(struct demo_ctx *d, struct demo_team *teams, long nteams)
{
	if (nteams < 2)
		return 0;
	day_t today = d->o->today;
	int rc = round_add(d, &teams[0], today - 190, today - 176, 9, -1);
	if (rc == 0)
		rc = round_add(d, &teams[0], today - 10, today + 14, 9, 0);
	if (rc == 0)
		rc = round_add(d, &teams[1], today - 10, today + 14, 3, 0);
	for (long i = 0; rc == 0 && i < 2; i++)
		rc = pulses(d, &teams[i], i == 0 ? 40 : 4);
	for (long i = 0; rc == 0 && i < 2; i++)
		rc = records(d, &teams[i]);
	return rc;
}
