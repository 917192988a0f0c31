/* export_tables.c: what a study's export holds, column by column. The
 * CSV writer and the dictionary both read this table, so the dictionary
 * names every column there is. No column here may hold a name, a CPR
 * number, a contact detail or free text: only pseudonyms, codes from the
 * schema's fixed lists, numbers and dates. */
#include "domain/research/export_int.h"

/* The study's cases: its teams, referred within its period. $1 study,
 * $2 from, $3 to. */
#define IN_STUDY                                                                          \
	"c.team_id IN (SELECT team_id FROM study_teams WHERE study_id = $1) "             \
	"AND c.referred_on >= $2 AND c.referred_on <= $3"

#define COLS(a) a, sizeof a / sizeof a[0], NULL, 0, 0
/* A whole-table scan kept to the study's cases by the writer, with a counts
 * query merged in or none (export_int.h). */
#define COLS_BY_CASE(a, sql, n) a, sizeof a / sizeof a[0], sql, n, 1

/* The column every file but one begins with: the case, as a pseudonym. */
#define CASE_COL {"case", X_PSEUDO, 'c', "the case", "sagen"}

static const struct xcol cases_cols[] = {
	CASE_COL,
	{"person", X_PSEUDO, 'p', "the service user", "borgeren"},
	{"team", X_INT, 0, "the team's id in IBBIS (teams are not people)",
	 "teamets id i IBBIS (et team er ikke en person)"},
	{"employment", X_CODE, 0, "employee, self_employed or unemployed",
	 "employee (lønmodtager), self_employed (selvstændig) eller unemployed (ledig)"},
	{"referred_on", X_DATE, 0, "the day of the referral", "dagen for henvisningen"},
	{"first_absence_day", X_DATE, 0, "the first day of sick leave", "første sygedag"},
	{"fast_track_requested", X_DATE, 0, "when a fast track was asked for (empty: never)",
	 "hvornår der blev bedt om hurtig indsats (tom: aldrig)"},
	{"fast_track_refused", X_BOOL, 0, "1 when the fast track was refused",
	 "1, når hurtig indsats blev afvist"},
	{"status", X_CODE, 0, "open or closed", "open (åben) eller closed (lukket)"},
	{"care_manager", X_PSEUDO, 'p', "the assigned care manager now",
	 "den care manager, sagen har nu"},
	{"employment_consultant", X_PSEUDO, 'p', "the assigned employment consultant now",
	 "den jobkonsulent, sagen har nu"},
};

static const struct xcol assignments_cols[] = {
	CASE_COL,
	{"role", X_CODE, 0, "care_manager or employment_consultant",
	 "care_manager (care manager) eller employment_consultant (jobkonsulent)"},
	{"professional", X_PSEUDO, 'p', "the professional assigned", "den tilknyttede fagperson"},
	{"from", X_DATE, 0, "first day of the assignment", "første dag med sagen"},
	{"to", X_DATE, 0, "last day (empty: still assigned)", "sidste dag (tom: har stadig sagen)"},
	{"handover", X_BOOL, 0, "1 when this assignment took over from an earlier one",
	 "1, når sagen blev overdraget fra en anden"},
};

static const struct xcol meetings_cols[] = {
	{"meeting", X_PSEUDO, 'm', "the meeting", "mødet"},
	CASE_COL,
	{"kind", X_CODE, 0, "roundtable, followup or therapy",
	 "roundtable (rundbordssamtale), followup (opfølgning) eller therapy (behandling)"},
	{"on", X_INSTANT, 0, "the day of the meeting (Danish time)", "mødets dag (dansk tid)"},
	{"duration_minutes", X_INT, 0, "planned length in minutes", "planlagt længde i minutter"},
	{"mode", X_CODE, 0, "in_person, phone, video, email or letter",
	 "in_person (fremmøde), phone (telefonmøde), video (videomøde), email (pr. e-mail) eller "
	 "letter (pr. brev)"},
	{"status", X_CODE, 0, "planned, held, cancelled, late_cancellation or no_show",
	 "planned (planlagt), held (afholdt), cancelled (aflyst), late_cancellation (aflyst med "
	 "kort varsel) eller no_show (udeblev)"},
	{"participants", X_INT, 0, "people invited", "antal inviterede"},
	{"attended", X_INT, 0, "people recorded as present", "antal, der er noteret som til stede"},
};

static const struct xcol goals_cols[] = {
	{"goal", X_PSEUDO, 'g', "the goal (its text never leaves)",
	 "målet (teksten kommer aldrig med)"},
	CASE_COL,
	{"status", X_CODE, 0, "active, reached or dropped",
	 "active (aktivt), reached (nået) eller dropped (opgivet)"},
	{"created_on", X_INSTANT, 0, "when it was set", "hvornår det blev sat"},
	{"updated_on", X_INSTANT, 0, "when it last changed", "hvornår det sidst blev ændret"},
	{"versions", X_INT, 0, "how many versions it has had", "hvor mange udgaver det har haft"},
	{"by_person", X_BOOL, 0, "1 when the service user wrote it", "1, når borgeren skrev det"},
};

static const struct xcol plan_cols[] = {
	CASE_COL,
	{"plan_version", X_INT, 0, "the plan's version (1, 2, ...)", "planens udgave (1, 2, ...)"},
	{"version_on", X_INSTANT, 0, "when that version was saved", "hvornår udgaven blev gemt"},
	{"position", X_INT, 0, "the step's place in the plan", "trinnets plads i planen"},
	{"kind", X_CODE, 0, "treatment or return_to_work",
	 "treatment (behandling) eller return_to_work (tilbage til arbejde)"},
	{"status", X_CODE, 0, "planned, in_progress, done or dropped",
	 "planned (planlagt), in_progress (i gang), done (udført) eller dropped (opgivet)"},
	{"due", X_DATE, 0, "when the step is due (empty: none)", "hvornår trinnet skal nås (tom: ingen)"},
	{"hours_per_week", X_DECIMAL, 0, "graded return: hours a week (empty: none)",
	 "gradvis tilbagevenden: timer om ugen (tom: ingen)"},
	{"responsible", X_PSEUDO, 'p', "who is responsible", "hvem der er ansvarlig"},
};

static const struct xcol decisions_cols[] = {
	CASE_COL,
	{"kind", X_CODE, 0, "category, extension, job_clarification or lapse",
	 "category (visitationskategori), extension (forlængelse), job_clarification "
	 "(jobafklaringsforløb) eller lapse (bortfald)"},
	{"ground", X_INT, 0, "extension ground, section 27 no. 1-7 (empty: none)",
	 "forlængelsesgrund, § 27, nr. 1-7 (tom: ingen)"},
	{"category", X_INT, 0, "case category 1, 2 or 3 (empty: none)",
	 "visitationskategori 1, 2 eller 3 (tom: ingen)"},
	{"hearing", X_DATE, 0, "day of the hearing (partshøring)", "dagen for partshøringen"},
	{"on", X_DATE, 0, "day of the decision", "dagen for afgørelsen"},
	{"lapse_from", X_DATE, 0, "lapse: first day", "bortfald: første dag"},
	{"lapse_to", X_DATE, 0, "lapse: last day", "bortfald: sidste dag"},
};

static const struct xcol outcomes_cols[] = {
	CASE_COL,
	{"kind", X_CODE, 0,
	 "returned_full, returned_partial, returned_graded, other_benefit, education or "
	 "ended_other",
	 "returned_full (fuldt tilbage), returned_partial (delvist tilbage), returned_graded "
	 "(gradvist tilbage), other_benefit (anden ydelse), education (uddannelse) eller "
	 "ended_other (sluttede på anden vis)"},
	{"on", X_DATE, 0, "the day of the outcome", "dagen for afslutningen"},
};

static const struct xcol survey_cols[] = {
	{"response", X_PSEUDO, 'r', "one person's answers to one round or meeting",
	 "én persons svar på én runde eller ét møde"},
	{"instrument", X_CODE, 0, "the instrument's id", "spørgeskemaets id"},
	{"respondent", X_PSEUDO, 'p', "who answered", "hvem der svarede"},
	{"case", X_PSEUDO, 'c', "the case (trust pulse; empty for team surveys)",
	 "sagen (tillidsmåling; tom for teamets spørgeskemaer)"},
	{"meeting", X_PSEUDO, 'm', "the meeting the pulse follows (empty: none)",
	 "mødet, målingen følger efter (tom: intet)"},
	{"team", X_INT, 0, "the team's id in IBBIS", "teamets id i IBBIS"},
	{"on", X_INSTANT, 0, "when it was answered", "hvornår der blev svaret"},
	{"item", X_CODE, 0, "the item's id in the instrument", "spørgsmålets id i spørgeskemaet"},
	{"value", X_INT, 0, "the rating (comments never leave)",
	 "svaret på skalaen (kommentarer kommer aldrig med)"},
};

static const struct xcol timeline_cols[] = {
	CASE_COL,
	{"event", X_CODE, 0,
	 "a deadline of the benefit engine (first_followup, next_followup, ...), "
	 "reassessment, benefit_limit or benefit_ends",
	 "en frist fra sygedagpengereglerne (first_followup, next_followup, ...), reassessment "
	 "(revurdering), benefit_limit (varighedsbegrænsning) eller benefit_ends (ydelsen "
	 "slutter)"},
	{"on", X_DATE, 0, "when it falls due or happens", "hvornår fristen er, eller det sker"},
	{"met_on", X_DATE, 0, "a deadline: when it was met (empty: not yet)",
	 "en frist: hvornår den blev overholdt (tom: endnu ikke)"},
	{"overdue", X_BOOL, 0, "a deadline: 1 when overdue on the export day",
	 "en frist: 1, når den var overskredet på udtræksdagen"},
};

/* clang-format off */
const struct xtable export_tables[] = {
	{"cases.csv", "one row per case of the study's teams referred in its period",
	 "én række pr. sag i studiets teams, henvist i studiets periode",
	 "SELECT c.person_id, c.id, c.person_id, c.team_id, c.employment, c.referred_on, "
	 "c.first_absence_day, c.fast_track_requested, c.fast_track_refused, c.status, "
	 "c.care_manager_id, c.employment_consultant_id FROM cases c WHERE " IN_STUDY
	 " ORDER BY c.id", COLS(cases_cols)},
	{"assignments.csv", "care manager and employment consultant assignments and handovers",
	 "hvilken care manager og jobkonsulent sagen har haft, og overdragelser",
	 "SELECT c.person_id, a.case_id, a.role, a.user_id, a.from_date, a.to_date, "
	 "CASE WHEN EXISTS (SELECT 1 FROM assignments b WHERE b.case_id = a.case_id "
	 "AND b.role = a.role AND b.id < a.id) THEN 1 ELSE 0 END "
	 "FROM assignments a JOIN cases c ON c.id = a.case_id WHERE " IN_STUDY
	 " ORDER BY a.case_id, a.id", COLS(assignments_cols)},
	{"meetings.csv", "meetings of the cases (not their agendas or minutes), in the order "
	 "they were booked",
	 "sagernes møder (uden dagsordener og referater), i den rækkefølge de blev oprettet",
	 "SELECT m.case_id, m.id, m.case_id, m.kind, m.starts_at, "
	 "(m.ends_at - m.starts_at) / 60, m.mode, m.status "
	 "FROM meetings m WHERE m.case_id IS NOT NULL ORDER BY m.id", COLS_BY_CASE(meetings_cols,
	 "SELECT meeting_id, count(*), sum(CASE WHEN attended = 1 THEN 1 ELSE 0 END) "
	 "FROM meeting_participants GROUP BY meeting_id ORDER BY meeting_id", 2)},
	{"goals.csv", "the service users' goals, without their text",
	 "borgernes mål, uden deres tekst",
	 "SELECT c.person_id, g.id, g.case_id, g.status, g.created_at, g.updated_at, "
	 "(SELECT count(*) FROM goal_versions v WHERE v.goal_id = g.id), "
	 "CASE WHEN g.created_by = c.person_id THEN 1 ELSE 0 END "
	 "FROM goals g JOIN cases c ON c.id = g.case_id WHERE " IN_STUDY
	 " ORDER BY g.case_id, g.id", COLS(goals_cols)},
	{"plan_steps.csv", "every version of every plan, step by step, without the steps' text, in the order "
	 "they were saved",
	 "alle udgaver af hver plan, trin for trin, uden trinnenes tekst, i den rækkefølge de blev gemt",
	 "SELECT v.case_id, v.case_id, v.version, v.created_at, s.position, s.kind, s.status, "
	 "s.due, s.hours_per_week, s.responsible_id FROM plan_steps s "
	 "JOIN plan_versions v ON v.id = s.plan_version_id ORDER BY s.id",
	 COLS_BY_CASE(plan_cols, NULL, 0)},
	{"decisions.csv", "the employment consultants' decisions, without their reasons",
	 "jobkonsulenternes afgørelser, uden begrundelser",
	 "SELECT c.person_id, d.case_id, d.kind, d.ground, d.category, d.hearing, d.on_date, "
	 "d.lapse_from, d.lapse_to FROM decisions d JOIN cases c ON c.id = d.case_id WHERE "
	 IN_STUDY " ORDER BY d.case_id, d.on_date, d.id", COLS(decisions_cols)},
	{"outcomes.csv", "how each closed case ended",
	 "hvordan hver lukket sag sluttede",
	 "SELECT c.person_id, c.id, c.outcome_kind, c.outcome_on FROM cases c WHERE " IN_STUDY
	 " AND c.outcome_kind IS NOT NULL ORDER BY c.id", COLS(outcomes_cols)},
	{"timeline_events.csv", "the benefit timeline of each case as of the export day",
	 "hver sags forløb efter sygedagpengereglerne på udtræksdagen", NULL,
	 COLS(timeline_cols)},
	{"survey_responses.csv",
	 "answers to the trust pulse of the study's cases and to its teams' surveys, "
	 "one row per item",
	 "svar på tillidsmålingen i studiets sager og på dets teams spørgeskemaer, én række pr. "
	 "spørgsmål",
	 "SELECT r.respondent_id, r.id, r.instrument, r.respondent_id, r.case_id, r.meeting_id, "
	 "r.team_id, r.created_at, a.item, a.value FROM survey_responses r "
	 "JOIN survey_answers a ON a.response_id = r.id WHERE a.value IS NOT NULL AND ("
	 "r.case_id IN (SELECT c.id FROM cases c WHERE " IN_STUDY ") OR (r.case_id IS NULL "
	 "AND r.team_id IN (SELECT team_id FROM study_teams WHERE study_id = $1))) "
	 "ORDER BY r.id, a.item", COLS(survey_cols)},
};
/* clang-format on */

const size_t export_ntables = sizeof export_tables / sizeof export_tables[0];
