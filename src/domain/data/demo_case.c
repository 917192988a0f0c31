/* demo_case.c: one invented course: a service user, the case, absences,
 * assessments, meetings, goals, plan, consents, decisions and evidence,
 * placed by stage around the demo's "today". */
#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/cases/case_timeline.h"
#include "domain/data/demo_int.h"
#include "domain/trust/seal.h"
#include "rules/holidays.h"
#include "store/store.h"

enum stage { S_START, S_PLAN, S_NEAR22, S_EXTENDED, S_JOBCLAR, S_RETURNED, S_N };

struct course {
	enum stage stage;
	int64_t case_id, person, cm, ec, team;
	const char *employment;
	day_t first, referred, to; /* to: RULES_NO_DAY while absent */
	day_t cm_assessed, ec_assessed, roundtable1;
	day_t earlier_from, earlier_to;
	int category;
};

static const char SQL_CASE[] =
	"INSERT INTO cases (person_id, name, cpr, contact, first_absence_day, employment, team_id, "
	"care_manager_id, employment_consultant_id, referred_by, referred_on, fast_track_requested, "
	"status, outcome_kind, outcome_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
	"$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id";
static const char SQL_ASSIGN[] =
	"INSERT INTO assignments (case_id, role, user_id, from_date, reason, created_by, created_at) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char SQL_ABSENCE[] =
	"INSERT INTO case_absences (case_id, from_date, to_date, partial) VALUES ($1, $2, $3, $4)";
static const char SQL_EARLIER[] =
	"INSERT INTO case_earlier_benefit (case_id, from_date, to_date) VALUES ($1, $2, $3)";
static const char SQL_ASSESS[] =
	"INSERT INTO assessments (case_id, author_id, role, category, reason, body, body_plain, "
	"on_date, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
static const char SQL_MEETING[] =
	"INSERT INTO meetings (case_id, team_id, kind, starts_at, ends_at, site_id, mode, status, "
	"minutes, minutes_by, minutes_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5, NULL, "
	"$6, $7, $8, $9, $10, $11, $12) RETURNING id";
static const char SQL_PARTICIPANT[] =
	"INSERT INTO meeting_participants (meeting_id, user_id, role, attended) VALUES ($1, $2, $3, $4)";
static const char SQL_GOAL[] =
	"INSERT INTO goals (case_id, text, created_by, created_at, updated_at) "
	"VALUES ($1, $2, $3, $4, $4) RETURNING id";
static const char SQL_GOAL_VERSION[] =
	"INSERT INTO goal_versions (goal_id, text, status, by_user, at) VALUES ($1, $2, 'active', $3, $4)";
static const char SQL_PLAN[] =
	"INSERT INTO plan_versions (case_id, version, author_id, created_at) VALUES ($1, $2, $3, $4) "
	"RETURNING id";
static const char SQL_STEP[] =
	"INSERT INTO plan_steps (plan_version_id, position, kind, text, responsible_id, due, status, "
	"hours_per_week, step_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $2)"; /* key = position */
static const char SQL_CONSENT[] =
	"INSERT INTO consents (case_id, direction, granted, purpose, by_user, at) "
	"VALUES ($1, $2, $3, $4, $5, $6)";
static const char SQL_DECISION[] =
	"INSERT INTO decisions (case_id, kind, ground, hearing, on_date, legal_basis, reasons, "
	"complaint, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
static const char SQL_EVIDENCE[] =
	"INSERT INTO evidence (case_id, kind, category, ground, supplied_by, supplied_on, text, "
	"created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char SQL_EVENT[] =
	"INSERT INTO case_events (case_id, kind, on_date, created_by, created_at) "
	"VALUES ($1, $2, $3, $4, $5)";

static const char *const goals[] = {
	"Jeg vil gerne kunne sove igennem om natten igen.",
	"Jeg vil tilbage til mit arbejde, først på nogle få timer om ugen.",
	"Jeg vil kunne handle ind uden at få hjertebanken.",
	"Jeg vil have overskud til mine børn om eftermiddagen.",
	"Jeg vil finde ud af, om jeg kan klare mit gamle job, eller om jeg skal noget andet.",
	"Jeg vil kunne gå en tur hver dag og mærke, at jeg har energi.",
	"Jeg vil kunne tale med min leder om, hvad jeg kan klare.",
};
static const char *const treatments[] = {
	"Samtaleterapi (kognitiv adfærdsterapi), 8 sessioner",
	"Psykoedukation om stress og søvn",
	"Eksponeringsøvelser mellem sessionerne",
	"Kontakt til egen læge om medicin",
};
static const char *const minutes[] = {
	"Rundbordssamtale. Vi talte om søvn, energi og kontakten til arbejdspladsen. "
	"Aftalt: gradvis tilbagevenden med få timer og opfølgning om fire uger.",
	"Rundbordssamtale. Borgeren fortalte om bedre nætter. Planen justeres med flere timer, "
	"og arbejdsgiveren inviteres til næste møde.",
	"Rundbordssamtale. Status på behandlingen og jobcentrets opfølgning. Borgerens spørgsmål "
	"om forlængelse blev besvaret.",
};

#define DEMO_DAY_FIRST (8 * 60)  /* the first meeting starts at 08:00 */
#define DEMO_DAY_LAST (15 * 60)   /* the last at 15:00, over by 15:45 */

static int64_t at(day_t d, int minute)
{
	return clock_dk_to_utc(d, minute);
}

/* A meeting with its participants; returns 0 or an error. */
static int meeting(struct demo_ctx *d, const struct course *k, const char *kind, day_t day,
		   int minute, const char *status, const char *text)
{
	int64_t id;
	bool held = strcmp(status, "held") == 0;
	/* Working days (no weekend, no Danish holiday) and hours only: a held
	 * meeting moves back to the working day before
	 * (never into the future), a planned one on to the next. */
	while (!rules_dk_working_day(day))
		day += held || strcmp(status, "no_show") == 0 ? -1 : 1;
	if (minute < DEMO_DAY_FIRST)
		minute = DEMO_DAY_FIRST;
	if (minute > DEMO_DAY_LAST)
		minute = DEMO_DAY_LAST;
	int64_t s = at(day, minute);
	int64_t by = strcmp(kind, "therapy") == 0 ? k->cm : k->ec;
	const char *mode = demo_chance(&d->rng, 15) ? "phone" : "in_person";
	int rc = demo_exec(d->c, SQL_MEETING, &id, "iisiisssIIii", k->case_id, k->team, kind, s,
			   s + 45 * 60, mode, status, text, text ? by : (int64_t)0,
			   text ? s + 3600 : (int64_t)0, by, d->o->now);
	bool cm = strcmp(kind, "followup") != 0, ec = strcmp(kind, "therapy") != 0;
	if (rc == 0 && cm)
		rc = demo_exec(d->c, SQL_PARTICIPANT, NULL, "iisI", id, k->cm, "care_manager",
			       (int64_t)held);
	if (rc == 0 && ec)
		rc = demo_exec(d->c, SQL_PARTICIPANT, NULL, "iisI", id, k->ec, "employment_consultant",
			       (int64_t)held);
	if (rc == 0)
		rc = demo_exec(d->c, SQL_PARTICIPANT, NULL, "iisI", id, k->person, "service_user",
			       (int64_t)held);
	d->st->meetings++;
	return rc;
}

static day_t min_day(day_t a, day_t b)
{
	return a < b ? a : b;
}

static enum stage pick_stage(struct demo_rng *r)
{
	static const int weights[S_N] = {20, 25, 15, 15, 10, 15};
	int x = (int)demo_range(r, 0, 99);
	for (int s = 0; s < S_N; s++) {
		if (x < weights[s])
			return (enum stage)s;
		x -= weights[s];
	}
	return S_PLAN;
}

/* How long ago the sick leave began, by stage (days). */
static void lay_out(struct demo_ctx *d, struct course *k)
{
	static const int lo[S_N] = {32, 75, 165, 230, 230, 90};
	static const int hi[S_N] = {60, 130, 190, 420, 380, 300};
	struct demo_rng *r = &d->rng;
	day_t today = d->o->today;
	k->first = today - (day_t)demo_range(r, lo[k->stage], hi[k->stage]);
	int e = (int)demo_range(r, 0, 99);
	k->employment = e < 90 ? "employee" : e < 97 ? "self_employed" : "unemployed";
	k->referred = min_day(k->first + (day_t)demo_range(r, 8, 22), today - 2);
	k->to = RULES_NO_DAY;
	if (k->stage == S_RETURNED)
		k->to = k->first + (day_t)demo_range(r, 50, today - k->first - 10);
	k->cm_assessed = k->referred + (day_t)demo_range(r, 3, 12);
	k->ec_assessed = k->referred + (day_t)demo_range(r, 3, 12);
	if (k->stage == S_START) {
		/* Before the first roundtable: some assessments are not done yet. */
		if (k->cm_assessed >= today || demo_chance(r, 30))
			k->cm_assessed = RULES_NO_DAY;
		if (k->ec_assessed >= today || demo_chance(r, 30))
			k->ec_assessed = RULES_NO_DAY;
	}
	day_t later = k->cm_assessed > k->ec_assessed ? k->cm_assessed : k->ec_assessed;
	k->roundtable1 = later + (day_t)demo_range(r, 6, 14);
	k->category = (int)demo_range(r, 1, 3);
	k->earlier_from = k->earlier_to = RULES_NO_DAY;
	if (demo_chance(r, 10)) {
		k->earlier_from = k->first - (day_t)demo_range(r, 200, 500);
		k->earlier_to = k->earlier_from + (day_t)demo_range(r, 20, 60);
	}
}

static int person_add(struct demo_ctx *d, long n, struct demo_team *t, struct course *k,
		      char *name, size_t namesz)
{
	char username[32], pw[14];
	struct demo_user u;
	demo_name(&d->rng, name, namesz, NULL);
	demo_password(&d->rng, pw);
	(void)str_fmt(username, sizeof username, "borger%05ld", n + 1);
	bool login = n < d->o->logins_max;
	int rc = demo_user_add(d, username, name, "service_user", t->org_j, t->org_j_name, t->name,
			       login ? pw : NULL, &u);
	k->person = u.id;
	d->st->service_users++;
	if (rc == 0 && u.cases)
		json_array_append_new(u.cases, json_integer(0)); /* the case id, set below */
	return rc;
}

static int case_add(struct demo_ctx *d, struct course *k, const char *name)
{
	static const char *const outcomes[] = {"returned_full", "returned_partial", "returned_graded"};
	char cpr[11], contact[120];
	demo_cpr(&d->rng, cpr);
	(void)str_fmt(contact, sizeof contact, "tlf. %02ld %02ld %02ld %02ld",
		      demo_range(&d->rng, 20, 99), demo_range(&d->rng, 10, 99),
		      demo_range(&d->rng, 10, 99), demo_range(&d->rng, 10, 99));
	bool closed = k->stage == S_RETURNED;
	day_t fast = demo_chance(&d->rng, 5) ? k->first + 7 : RULES_NO_DAY;
	int rc = demo_exec(d->c, SQL_CASE, &k->case_id, "isssdsiiiiddssdi", k->person, name, cpr,
			   contact, k->first, k->employment, k->team, k->cm, k->ec, k->ec,
			   k->referred, fast, closed ? "closed" : "open",
			   closed ? DEMO_PICK(&d->rng, outcomes) : NULL,
			   closed ? k->to + 1 : RULES_NO_DAY, d->o->now);
	if (rc == 0)
		rc = demo_exec(d->c, SQL_ASSIGN, NULL, "isidsii", k->case_id, "care_manager", k->cm,
			       k->referred, "Henvisning", k->ec, d->o->now);
	if (rc == 0)
		rc = demo_exec(d->c, SQL_ASSIGN, NULL, "isidsii", k->case_id,
			       "employment_consultant", k->ec, k->referred, "Henvisning", k->ec,
			       d->o->now);
	if (rc == 0)
		rc = demo_exec(d->c, SQL_ABSENCE, NULL, "iddi", k->case_id, k->first, k->to,
			       (int64_t)0);
	if (rc == 0 && k->earlier_from != RULES_NO_DAY)
		rc = demo_exec(d->c, SQL_EARLIER, NULL, "idd", k->case_id, k->earlier_from,
			       k->earlier_to);
	return rc;
}

static int assessments_add(struct demo_ctx *d, struct course *k)
{
	static const char clinical[] = "Moderat depressiv episode med søvnbesvær og nedsat "
				       "koncentration. Motiveret for samtaleterapi.";
	static const char *const reasons[] = {
		"", "Forventes at vende tilbage til arbejdet inden for kort tid.",
		"Behov for en afklaring af arbejdsevnen og en plan for tilbagevenden.",
		"Komplekse problemer; sagen skal forelægges rehabiliteringsteamet."};
	unsigned char *sealed = NULL;
	size_t n = 0;
	int rc = 0;
	if (k->cm_assessed != RULES_NO_DAY) {
		if (d->sealing)
			rc = seal_encrypt(d->a, clinical, sizeof clinical - 1, &sealed, &n);
		if (rc == 0)
			rc = demo_exec(d->c, SQL_ASSESS, NULL, "iisIsbsdi", k->case_id, k->cm,
				       "care_manager", (int64_t)0, "", (const void *)sealed, n,
				       (const char *)NULL, k->cm_assessed, d->o->now);
	}
	if (rc == 0 && k->ec_assessed != RULES_NO_DAY)
		rc = demo_exec(d->c, SQL_ASSESS, NULL, "iisIsbsdi", k->case_id, k->ec,
			       "employment_consultant", (int64_t)k->category, reasons[k->category],
			       (const void *)NULL, (size_t)0,
			       "Samtale om arbejdsevne, arbejdsplads og ønsker for fremtiden.",
			       k->ec_assessed, d->o->now);
	return rc;
}

/* The last day anything happened: today, or the end of the sick leave. */
static day_t last_day(const struct demo_ctx *d, const struct course *k)
{
	return k->to != RULES_NO_DAY ? k->to : d->o->today - 1;
}

/* Follow-ups by the EC about every four weeks (some a little late). */
static int followups_add(struct demo_ctx *d, struct course *k, int slot)
{
	int rc = 0;
	day_t end = last_day(d, k);
	day_t day = k->first + (day_t)demo_range(&d->rng, 35, 62);
	while (rc == 0 && day <= end) {
		rc = meeting(d, k, "followup", day, slot, "held", NULL);
		day += (day_t)demo_range(&d->rng, 24, 31);
	}
	return rc;
}

/* Roundtables every six weeks or so, therapy in between, and the next ones planned. */
static int meetings_add(struct demo_ctx *d, struct course *k, int slot)
{
	day_t end = last_day(d, k), today = d->o->today;
	bool open = k->to == RULES_NO_DAY;
	int rc = followups_add(d, k, slot), n = 0;
	if (k->cm_assessed == RULES_NO_DAY || k->ec_assessed == RULES_NO_DAY)
		return rc;
	day_t day = k->roundtable1;
	if (k->stage == S_START) {
		if (rc == 0 && demo_chance(&d->rng, 50))
			rc = meeting(d, k, "roundtable", today + (day_t)demo_range(&d->rng, 3, 20),
				     slot + 60, "planned", NULL);
		return rc;
	}
	for (; rc == 0 && day <= end; day += (day_t)demo_range(&d->rng, 35, 50), n++) {
		rc = meeting(d, k, "roundtable", day, slot + 60, "held", DEMO_PICK(&d->rng, minutes));
		for (int s = 2; rc == 0 && s <= 4 && day + 7 * s <= end; s += 2)
			rc = meeting(d, k, "therapy", day + 7 * s, slot + 120,
				     demo_chance(&d->rng, 8) ? "no_show" : "held", NULL);
	}
	if (rc == 0 && open)
		rc = meeting(d, k, "roundtable", today + (day_t)demo_range(&d->rng, 2, 30), slot + 60,
			     "planned", NULL);
	return rc;
}

static int goals_add(struct demo_ctx *d, struct course *k)
{
	int rc = 0;
	long n = demo_range(&d->rng, 1, 2);
	for (long i = 0; rc == 0 && i < n; i++) {
		int64_t id;
		const char *g = DEMO_PICK(&d->rng, goals);
		rc = demo_exec(d->c, SQL_GOAL, &id, "isii", k->case_id, g, k->person, d->o->now);
		if (rc == 0)
			rc = demo_exec(d->c, SQL_GOAL_VERSION, NULL, "isii", id, g, k->person, d->o->now);
	}
	return rc;
}

/* A plan version: treatment steps and graded hours back at work. */
static int plan_add(struct demo_ctx *d, struct course *k, int version, day_t from, int hours)
{
	int64_t id;
	char text[160];
	int rc = demo_exec(d->c, SQL_PLAN, &id, "iiii", k->case_id, (int64_t)version, k->cm,
			   d->o->now);
	if (rc == 0)
		rc = demo_exec(d->c, SQL_STEP, NULL, "iissIdsI", id, (int64_t)1, "treatment",
			       DEMO_PICK(&d->rng, treatments), k->cm, from + 56, "in_progress",
			       (int64_t)0);
	(void)str_fmt(text, sizeof text, "Gradvis tilbagevenden: %d timer om ugen", hours);
	if (rc == 0)
		rc = demo_exec(d->c, SQL_STEP, NULL, "iissIdsI", id, (int64_t)2, "return_to_work", text,
			       k->ec, from + 28, version > 1 ? "in_progress" : "planned",
			       (int64_t)hours);
	(void)str_fmt(text, sizeof text, "Op i tid: %d timer om ugen", hours + 8);
	if (rc == 0)
		rc = demo_exec(d->c, SQL_STEP, NULL, "iissIdsI", id, (int64_t)3, "return_to_work", text,
			       k->ec, from + 70, "planned", (int64_t)(hours + 8));
	return rc;
}

static int consents_add(struct demo_ctx *d, struct course *k)
{
	int64_t t = at(k->roundtable1, 11 * 60);
	int rc = 0;
	if (demo_chance(&d->rng, 85))
		rc = demo_exec(d->c, SQL_CONSENT, NULL, "isisii", k->case_id, "health_to_jobcentre",
			       (int64_t)1, "benefit_case", k->person,
			       t);
	if (rc == 0 && demo_chance(&d->rng, 70))
		rc = demo_exec(d->c, SQL_CONSENT, NULL, "isisii", k->case_id, "jobcentre_to_health",
			       (int64_t)1, "treatment", k->person, t);
	return rc;
}

/* The reassessment date the engine gives these facts today. */
static day_t reassessment(struct demo_ctx *d, const struct course *k)
{
	struct rules_facts f = {0};
	struct rules_period abs = {k->first, RULES_OPEN}, earlier = {k->earlier_from, k->earlier_to};
	struct rules_timeline t;
	f.as_of = d->o->today;
	f.employment = strcmp(k->employment, "employee") == 0	     ? RULES_EMPLOYEE
		       : strcmp(k->employment, "self_employed") == 0 ? RULES_SELF_EMPLOYED
								     : RULES_UNEMPLOYED;
	f.first_absence_day = k->first;
	f.absences = &abs;
	f.n_absences = 1;
	f.earlier = &earlier;
	f.n_earlier = k->earlier_from != RULES_NO_DAY;
	f.fast_track_requested = RULES_NO_DAY;
	if (case_timeline_compute(&f, d->a, &t))
		return RULES_NO_DAY;
	return t.reassessment_date;
}

static int decision_add(struct demo_ctx *d, struct course *k)
{
	static const int grounds[] = {3, 3, 3, 3, 3, 3, 3, 2, 2, 4};
	day_t r = reassessment(d, k);
	if (r == RULES_NO_DAY || r >= d->o->today - 1)
		return 0;
	day_t on = min_day(r - (day_t)demo_range(&d->rng, 0, 6), d->o->today - 1);
	day_t hearing = on - (day_t)demo_range(&d->rng, 8, 14);
	bool ext = k->stage == S_EXTENDED;
	int ground = ext ? grounds[demo_next(&d->rng) % (sizeof grounds / sizeof grounds[0])] : 0;
	char basis[120];
	if (ext)
		(void)str_fmt(basis, sizeof basis, "Sygedagpengeloven § 27, stk. 1, nr. %d", ground);
	else
		(void)str_copy(basis, sizeof basis, "Sygedagpengeloven § 24, stk. 1");
	int rc = demo_exec(
		d->c, SQL_DECISION, NULL, "isIddsssii", k->case_id,
		ext ? "extension" : "job_clarification", (int64_t)ground, hearing, on, basis,
		ext ? "Du er i behandling, og din læge vurderer, at du kan vende tilbage til arbejdet. "
		      "Derfor forlænges dine sygedagpenge."
		    : "Du har brug for mere tid til at blive afklaret. Du overgår derfor til et "
		      "jobafklaringsforløb med ressourceforløbsydelse.",
		"Du kan klage til kommunen inden 4 uger. Fastholder kommunen afgørelsen, sendes "
		"klagen videre til Ankestyrelsen.",
		k->ec, d->o->now);
	d->st->decisions++;
	if (rc == 0 && ext && ground == 3)
		rc = demo_exec(d->c, SQL_EVIDENCE, NULL, "issIidsi", k->case_id, "medical_statement",
			       "health_shared", (int64_t)3, k->cm, hearing - 5,
			       "Lægeerklæring: i behandling, forventet tilbagevenden.", d->o->now);
	if (rc == 0 && ext && ground == 2)
		rc = demo_exec(d->c, SQL_EVIDENCE, NULL, "issIidsi", k->case_id, "employer_statement",
			       "employment", (int64_t)2, k->ec, hearing - 5,
			       "Arbejdsgiveren tilbyder arbejdsprøvning med få timer.", d->o->now);
	return rc;
}

int demo_case(struct demo_ctx *d, long n, struct demo_team *t, int cm, int ec)
{
	struct course k = {0};
	char name[80];
	k.stage = pick_stage(&d->rng);
	k.team = t->id;
	k.cm = t->cm[cm].id;
	k.ec = t->ec[ec].id;
	lay_out(d, &k);
	int slot = 8 * 60 + (int)((n / 2) % 12) * 30;
	int rc = person_add(d, n, t, &k, name, sizeof name);
	if (rc == 0)
		rc = case_add(d, &k, name);
	if (rc == 0)
		rc = assessments_add(d, &k);
	if (rc == 0)
		rc = meetings_add(d, &k, slot);
	if (rc == 0 && k.stage != S_START) {
		rc = goals_add(d, &k);
		if (rc == 0)
			rc = plan_add(d, &k, 1, k.roundtable1, 8);
		if (rc == 0 && k.stage >= S_NEAR22)
			rc = plan_add(d, &k, 2, k.roundtable1 + 42, 12);
		if (rc == 0)
			rc = consents_add(d, &k);
	}
	if (rc == 0 && (k.stage == S_EXTENDED || k.stage == S_JOBCLAR))
		rc = decision_add(d, &k);
	if (rc == 0 && k.stage == S_RETURNED)
		rc = demo_exec(d->c, SQL_EVENT, NULL, "isdii", k.case_id, "returned_to_work", k.to + 1,
			       k.ec, d->o->now);
	/* Everyone on the case lists it in the accounts file. */
	struct demo_user *who[] = {&t->cm[cm], &t->ec[ec], &t->sup_h, &t->sup_j};
	for (size_t i = 0; rc == 0 && i < sizeof who / sizeof who[0]; i++)
		if (who[i]->cases)
			json_array_append_new(who[i]->cases, json_integer(k.case_id));
	json_t *last = json_array_get(d->accounts, json_array_size(d->accounts) - 1);
	if (rc == 0 && n < d->o->logins_max && last)
		json_array_set_new(json_object_get(last, "cases"), 0, json_integer(k.case_id));
	d->st->cases++;
	return rc;
}
