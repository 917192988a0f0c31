/* rules.h: the sickness-benefit timeline engine (spec/benefit-rules-dk.md).
 *
 * Pure: no I/O, no globals. Every legal number lives in a profile (text
 * parsed by rules_profile_parse); memory comes from the caller's arena.
 *
 *   profile text --rules_profile_parse--> struct rules_profile
 *   case JSON    --rules_facts_parse----> struct rules_facts
 *   both         --rules_compute--------> struct rules_timeline
 *   timeline     --rules_timeline_json--> section 9 JSON text
 */
#ifndef IBBIS_RULES_H
#define IBBIS_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"

/* "No date" in every day_t field below (JSON null). */
#define RULES_NO_DAY INT32_MIN
/* The end of an open absence ("to": null). */
#define RULES_OPEN ((day_t)(INT32_MAX / 4))
#define RULES_ERR_LEN 256
#define RULES_GROUNDS 7
#define RULES_MAX_RATES 16
#define RULES_MAX_ITEMS 10000 /* per input array */

enum rules_employment { RULES_EMPLOYEE, RULES_SELF_EMPLOYED, RULES_UNEMPLOYED, RULES_EMPLOYMENT_N };

/* Events of the input; the first four also end extensions (section 4). */
enum rules_event {
	RULES_EV_NONE = -1,
	RULES_EV_REHABILITATION_STARTED = 0,
	RULES_EV_REHAB_TEAM_DECISION,
	RULES_EV_WORK_INJURY_DECISION,
	RULES_EV_PENSION_DECISION,
	RULES_EV_RETURNED_TO_WORK,
	RULES_EV_N
};

/* How an extension ground's length is given in the profile. */
enum rules_ground_kind {
	RULES_GROUND_EVENT,       /* ends by a named event: until_event / ended_on */
	RULES_GROUND_FROM_START,  /* until = from + weeks - 1 day */
	RULES_GROUND_AFTER_REASS, /* until = reassessment date + weeks */
	RULES_GROUND_UNLIMITED,   /* until = null */
};

struct rules_ground {
	enum rules_ground_kind kind;
	int weeks;              /* FROM_START, AFTER_REASS */
	enum rules_event event; /* EVENT */
};

struct rules_rate {
	int year;
	long with_dependants;    /* DKK a month */
	long without_dependants; /* DKK a month */
};

/* Every number of the spec; see docs/timeline.md for the text format. */
struct rules_profile {
	const char *name; /* arena */
	int limit_days;
	int window_months;
	int not_counted_days[RULES_EMPLOYMENT_N];
	int first_followup_days;
	int fast_track_days;
	int next_followup_days;
	int category3_rehab_team_days;
	int broad_assessment_months;
	int job_clarification_rehab_team_days;
	int complaint_weeks;
	int job_clarification_max_years;
	struct rules_ground grounds[RULES_GROUNDS]; /* index = ground - 1 */
	struct rules_rate rates[RULES_MAX_RATES];
	int n_rates;
};

/* A period of days, both ends inclusive; b may be RULES_OPEN. */
struct rules_period {
	day_t a, b;
};

enum rules_decision_kind { RULES_DEC_EXTENSION, RULES_DEC_JOB_CLARIFICATION };

struct rules_decision {
	day_t on;
	day_t hearing; /* RULES_NO_DAY when none was recorded */
	enum rules_decision_kind kind;
	int ground; /* 1..7 for an extension, 0 otherwise */
};

struct rules_category {
	day_t on;
	int category; /* 1..3 */
};

struct rules_event_rec {
	day_t on;
	enum rules_event kind;
};

/* A case's facts (section 9 input). All arrays are arena memory. */
struct rules_facts {
	day_t as_of;
	enum rules_employment employment;
	day_t first_absence_day;
	struct rules_period *absences; /* arena */
	size_t n_absences;
	struct rules_period *earlier; /* arena */
	size_t n_earlier;
	day_t fast_track_requested; /* RULES_NO_DAY when none */
	bool fast_track_refused;
	day_t *followups; /* arena */
	size_t n_followups;
	struct rules_category *categories; /* arena */
	size_t n_categories;
	struct rules_decision *decisions; /* arena */
	size_t n_decisions;
	struct rules_event_rec *events; /* arena */
	size_t n_events;
};

enum rules_status {
	RULES_ENDED,
	RULES_NOT_ABSENT,
	RULES_NOT_COUNTED,
	RULES_SICKNESS_BENEFIT,
	RULES_AWAITING_DECISION,
	RULES_EXTENDED,
	RULES_JOB_CLARIFICATION,
};

enum rules_deadline_kind {
	RULES_DL_FIRST_FOLLOWUP,
	RULES_DL_NEXT_FOLLOWUP,
	RULES_DL_CATEGORY3_REHAB_TEAM,
	RULES_DL_BROAD_ASSESSMENT,
	RULES_DL_REASSESSMENT_DECISION,
	RULES_DL_JOB_CLARIFICATION_REHAB_TEAM,
	RULES_DL_N
};

struct rules_deadline {
	enum rules_deadline_kind kind;
	day_t due;
	day_t met_on; /* RULES_NO_DAY = null */
	bool overdue;
};

struct rules_extension {
	int ground;
	enum rules_ground_kind kind;
	day_t from;
	day_t until;            /* FROM_START, AFTER_REASS; RULES_NO_DAY otherwise */
	enum rules_event until_event; /* EVENT kind */
	day_t ended_on;         /* EVENT kind: RULES_NO_DAY = key absent */
};

enum rules_flag {
	RULES_FLAG_INVALID_DECISION_NO_HEARING = 1 << 0,
	RULES_FLAG_OVER_LIMIT_AT_START = 1 << 1,
};

#define RULES_MAX_EXPLANATIONS 16

/* Values the explanation sentences may use that are not output fields
 * (the web layer substitutes them; the CLI JSON leaves them out). */
struct rules_explain_params {
	day_t counted_from;     /* first absence day + not-counted days */
	day_t next_followup_due; /* RULES_NO_DAY when none */
	int window_months;
	int limit_days;
	int complaint_weeks;
	int rehab_team_days;
	int job_clarification_max_years;
	int rate_year; /* 0 when the profile has no rate for the year */
	long rate_with_dependants;
	long rate_without_dependants;
};

struct rules_timeline {
	const char *profile; /* borrowed from the profile */
	day_t as_of;
	int benefit_days;
	day_t limit_day;         /* RULES_NO_DAY = null */
	bool projected;
	day_t reassessment_date; /* RULES_NO_DAY = null */
	enum rules_status status;
	day_t benefit_ends;      /* RULES_NO_DAY = null */
	bool has_extension;
	struct rules_extension extension;
	struct rules_deadline deadlines[RULES_DL_N];
	int n_deadlines;
	unsigned flags; /* enum rules_flag bits */
	const char *explanations[RULES_MAX_EXPLANATIONS]; /* static */
	int n_explanations;
	struct rules_explain_params params;
};

/* Parses profile text. `file` only labels messages. On failure returns
 * ERR_INVALID and writes "FILE:LINE: KEY: problem" into err (line 0 for a
 * missing key). Strings in *out live in arena a. */
int rules_profile_parse(const char *text, size_t len, const char *file, struct arena *a,
			struct rules_profile *out, char err[RULES_ERR_LEN]);

/* Case facts from a parsed JSON document / from JSON text. On bad input
 * returns ERR_INVALID with one line naming the field in err. */
int rules_facts_from_json(const json_t *root, struct arena *a, struct rules_facts *out,
			  char err[RULES_ERR_LEN]);
int rules_facts_parse(const char *text, size_t len, struct arena *a, struct rules_facts *out,
		      char err[RULES_ERR_LEN]);

/* The engine. Scratch memory comes from a. Returns 0 (or ERR_INVALID for
 * facts that rules_facts_* would have refused, e.g. a period with b < a). */
int rules_compute(const struct rules_profile *p, const struct rules_facts *f, struct arena *a,
		  struct rules_timeline *out);

/* Chooses t->explanations and fills t->params (called by rules_compute). */
void rules_explain(const struct rules_profile *p, struct rules_timeline *t);

/* Appends the section 9 JSON object (one line) to out. */
int rules_timeline_json(const struct rules_timeline *t, struct buf *out);

/* Names used in the output. */
const char *rules_status_name(enum rules_status s);         /* static */
const char *rules_deadline_name(enum rules_deadline_kind k); /* static */
const char *rules_event_name(enum rules_event e);           /* static, NULL for NONE */

/* Every explanation key the engine can produce (for catalogue tests). */
const char *const *rules_explanation_keys(size_t *n); /* static */

/* Helpers, exposed for tests. */
/* The n-th weekday (n >= 1) on or after d. */
day_t rules_nth_weekday(day_t d, int n);
/* Weekdays in [lo, hi] that lie in the sorted, disjoint periods. */
int rules_count_in(const struct rules_period *p, size_t n, day_t lo, day_t hi);
/* Sorts and merges periods in place (overlapping or adjacent); returns the new count. */
size_t rules_merge(struct rules_period *p, size_t n);

#endif
