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

static const struct xcol cases_cols[] = {
	{"case", X_PSEUDO, 'c', "the case"},
	{"person", X_PSEUDO, 'p', "the service user"},
	{"team", X_INT, 0, "the team's id in IBBIS (teams are not people)"},
	{"employment", X_CODE, 0, "employee, self_employed or unemployed"},
	{"referred_on", X_DATE, 0, "the day of the referral"},
	{"first_absence_day", X_DATE, 0, "the first day of sick leave"},
	{"fast_track_requested", X_DATE, 0, "when a fast track was asked for (empty: never)"},
	{"fast_track_refused", X_BOOL, 0, "1 when the fast track was refused"},
	{"status", X_CODE, 0, "open or closed"},
	{"care_manager", X_PSEUDO, 'p', "the assigned care manager now"},
	{"employment_consultant", X_PSEUDO, 'p', "the assigned employment consultant now"},
};

static const struct xcol assignments_cols[] = {
	{"case", X_PSEUDO, 'c', "the case"},
	{"role", X_CODE, 0, "care_manager or employment_consultant"},
	{"professional", X_PSEUDO, 'p', "the professional assigned"},
	{"from", X_DATE, 0, "first day of the assignment"},
	{"to", X_DATE, 0, "last day (empty: still assigned)"},
	{"handover", X_BOOL, 0, "1 when this assignment took over from an earlier one"},
};

static const struct xcol meetings_cols[] = {
	{"meeting", X_PSEUDO, 'm', "the meeting"},
	{"case", X_PSEUDO, 'c', "the case"},
	{"kind", X_CODE, 0, "roundtable, followup or therapy"},
	{"on", X_INSTANT, 0, "the day of the meeting (Danish time)"},
	{"duration_minutes", X_INT, 0, "planned length in minutes"},
	{"mode", X_CODE, 0, "in_person, phone, video, email or letter"},
	{"status", X_CODE, 0, "planned, held, cancelled, late_cancellation or no_show"},
	{"participants", X_INT, 0, "people invited"},
	{"attended", X_INT, 0, "people recorded as present"},
};

static const struct xcol goals_cols[] = {
	{"goal", X_PSEUDO, 'g', "the goal (its text never leaves)"},
	{"case", X_PSEUDO, 'c', "the case"},
	{"status", X_CODE, 0, "active, reached or dropped"},
	{"created_on", X_INSTANT, 0, "when it was set"},
	{"updated_on", X_INSTANT, 0, "when it last changed"},
	{"versions", X_INT, 0, "how many versions it has had"},
	{"by_person", X_BOOL, 0, "1 when the service user wrote it"},
};

static const struct xcol plan_cols[] = {
	{"case", X_PSEUDO, 'c', "the case"},
	{"plan_version", X_INT, 0, "the plan's version (1, 2, ...)"},
	{"version_on", X_INSTANT, 0, "when that version was saved"},
	{"position", X_INT, 0, "the step's place in the plan"},
	{"kind", X_CODE, 0, "treatment or return_to_work"},
	{"status", X_CODE, 0, "planned, in_progress, done or dropped"},
	{"due", X_DATE, 0, "when the step is due (empty: none)"},
	{"hours_per_week", X_DECIMAL, 0, "graded return: hours a week (empty: none)"},
	{"responsible", X_PSEUDO, 'p', "who is responsible"},
};

static const struct xcol decisions_cols[] = {
	{"case", X_PSEUDO, 'c', "the case"},
	{"kind", X_CODE, 0, "category, extension, job_clarification or lapse"},
	{"ground", X_INT, 0, "extension ground, section 27 no. 1-7 (empty: none)"},
	{"category", X_INT, 0, "case category 1, 2 or 3 (empty: none)"},
	{"hearing", X_DATE, 0, "day of the hearing (partshøring)"},
	{"on", X_DATE, 0, "day of the decision"},
	{"lapse_from", X_DATE, 0, "lapse: first day"},
	{"lapse_to", X_DATE, 0, "lapse: last day"},
};

static const struct xcol outcomes_cols[] = {
	{"case", X_PSEUDO, 'c', "the case"},
	{"kind", X_CODE, 0,
	 "returned_full, returned_partial, returned_graded, other_benefit, education or "
	 "ended_other"},
	{"on", X_DATE, 0, "the day of the outcome"},
};

static const struct xcol survey_cols[] = {
	{"response", X_PSEUDO, 'r', "one person's answers to one round or meeting"},
	{"instrument", X_CODE, 0, "the instrument's id"},
	{"respondent", X_PSEUDO, 'p', "who answered"},
	{"case", X_PSEUDO, 'c', "the case (trust pulse; empty for team surveys)"},
	{"meeting", X_PSEUDO, 'm', "the meeting the pulse follows (empty: none)"},
	{"team", X_INT, 0, "the team's id in IBBIS"},
	{"on", X_INSTANT, 0, "when it was answered"},
	{"item", X_CODE, 0, "the item's id in the instrument"},
	{"value", X_INT, 0, "the rating (comments never leave)"},
};

static const struct xcol timeline_cols[] = {
	{"case", X_PSEUDO, 'c', "the case"},
	{"event", X_CODE, 0,
	 "a deadline of the benefit engine (first_followup, next_followup, ...), "
	 "reassessment, benefit_limit or benefit_ends"},
	{"on", X_DATE, 0, "when it falls due or happens"},
	{"met_on", X_DATE, 0, "a deadline: when it was met (empty: not yet)"},
	{"overdue", X_BOOL, 0, "a deadline: 1 when overdue on the export day"},
};

/* clang-format off */
const struct xtable export_tables[] = {
	{"cases.csv", "one row per case of the study's teams referred in its period",
	 "SELECT c.person_id, c.id, c.person_id, c.team_id, c.employment, c.referred_on, "
	 "c.first_absence_day, c.fast_track_requested, c.fast_track_refused, c.status, "
	 "c.care_manager_id, c.employment_consultant_id FROM cases c WHERE " IN_STUDY
	 " ORDER BY c.id", COLS(cases_cols)},
	{"assignments.csv", "care manager and employment consultant assignments and handovers",
	 "SELECT c.person_id, a.case_id, a.role, a.user_id, a.from_date, a.to_date, "
	 "CASE WHEN EXISTS (SELECT 1 FROM assignments b WHERE b.case_id = a.case_id "
	 "AND b.role = a.role AND b.id < a.id) THEN 1 ELSE 0 END "
	 "FROM assignments a JOIN cases c ON c.id = a.case_id WHERE " IN_STUDY
	 " ORDER BY a.case_id, a.id", COLS(assignments_cols)},
	{"meetings.csv", "meetings of the cases (not their agendas or minutes), in the order "
	 "they were booked",
	 "SELECT m.case_id, m.id, m.case_id, m.kind, m.starts_at, "
	 "(m.ends_at - m.starts_at) / 60, m.mode, m.status "
	 "FROM meetings m WHERE m.case_id IS NOT NULL ORDER BY m.id", COLS_BY_CASE(meetings_cols,
	 "SELECT meeting_id, count(*), sum(CASE WHEN attended = 1 THEN 1 ELSE 0 END) "
	 "FROM meeting_participants GROUP BY meeting_id ORDER BY meeting_id", 2)},
	{"goals.csv", "the service users' goals, without their text",
	 "SELECT c.person_id, g.id, g.case_id, g.status, g.created_at, g.updated_at, "
	 "(SELECT count(*) FROM goal_versions v WHERE v.goal_id = g.id), "
	 "CASE WHEN g.created_by = c.person_id THEN 1 ELSE 0 END "
	 "FROM goals g JOIN cases c ON c.id = g.case_id WHERE " IN_STUDY
	 " ORDER BY g.case_id, g.id", COLS(goals_cols)},
	{"plan_steps.csv", "every version of every plan, step by step, without the steps' text, in the order "
	 "they were saved",
	 "SELECT v.case_id, v.case_id, v.version, v.created_at, s.position, s.kind, s.status, "
	 "s.due, s.hours_per_week, s.responsible_id FROM plan_steps s "
	 "JOIN plan_versions v ON v.id = s.plan_version_id ORDER BY s.id",
	 COLS_BY_CASE(plan_cols, NULL, 0)},
	{"decisions.csv", "the employment consultants' decisions, without their reasons",
	 "SELECT c.person_id, d.case_id, d.kind, d.ground, d.category, d.hearing, d.on_date, "
	 "d.lapse_from, d.lapse_to FROM decisions d JOIN cases c ON c.id = d.case_id WHERE "
	 IN_STUDY " ORDER BY d.case_id, d.on_date, d.id", COLS(decisions_cols)},
	{"outcomes.csv", "how each closed case ended",
	 "SELECT c.person_id, c.id, c.outcome_kind, c.outcome_on FROM cases c WHERE " IN_STUDY
	 " AND c.outcome_kind IS NOT NULL ORDER BY c.id", COLS(outcomes_cols)},
	{"timeline_events.csv", "the benefit timeline of each case as of the export day", NULL,
	 COLS(timeline_cols)},
	{"survey_responses.csv",
	 "answers to the trust pulse of the study's cases and to its teams' surveys, "
	 "one row per item",
	 "SELECT r.respondent_id, r.id, r.instrument, r.respondent_id, r.case_id, r.meeting_id, "
	 "r.team_id, r.created_at, a.item, a.value FROM survey_responses r "
	 "JOIN survey_answers a ON a.response_id = r.id WHERE a.value IS NOT NULL AND ("
	 "r.case_id IN (SELECT c.id FROM cases c WHERE " IN_STUDY ") OR (r.case_id IS NULL "
	 "AND r.team_id IN (SELECT team_id FROM study_teams WHERE study_id = $1))) "
	 "ORDER BY r.id, a.item", COLS(survey_cols)},
};
/* clang-format on */

const size_t export_ntables = sizeof export_tables / sizeof export_tables[0];
