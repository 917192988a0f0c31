/* test_policy.c: the access policy against DESIGN.md section 4.
 *
 * The matrix below was written by hand from the design's category table
 * (and docs/policy.md for the choices the design leaves open); it is not
 * derived from the implementation. Columns, in this order:
 *
 *   c core   k clinical   h health_shared   e employment   j joint
 *   d decision   p private (not shared)   a audit
 *   S private shared with a meeting, the actor is a participant
 *   s private shared with a meeting, the actor is not a participant
 *
 * 'y' allowed, '.' denied. A read string has four groups of ten, one per
 * consent state: none | health->jobcentre | jobcentre->health | both.
 * Writes do not depend on consent, so they are one group, checked under all
 * four consent states. */
#include "testutil.h"

#include "base/err.h"
#include "base/str.h"
#include "policy/policy.h"

#include <stdio.h>
#include <string.h>

/* The tables give the case flags positionally; the study flags that follow
 * them stay false unless a row names them. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define NCOL 10
#define NCONSENT 4
#define READ_LEN (NCONSENT * NCOL + NCONSENT - 1)

#define NO_READ ".......... .......... .......... .........."
#define NO_WRITE ".........."

struct row {
	const char *name;
	struct policy_actor actor;
	const char *read;	  /* 4 x 10, see above */
	const char *create;	  /* 10 */
	const char *update_own;	  /* 10: the actor wrote the item */
	const char *update_other; /* 10: someone else wrote it */
};

#define SU POLICY_SERVICE_USER
#define CM POLICY_CARE_MANAGER
#define EC POLICY_EMPLOYMENT_CONSULTANT
#define SUP POLICY_SUPERVISOR
#define RES POLICY_RESEARCHER
#define ADM POLICY_ADMIN
#define NONE POLICY_ORG_NONE
#define HEALTH POLICY_ORG_HEALTH
#define JOB POLICY_ORG_JOBCENTRE

/* Actor field order: role, org, person, cm, ec, member, team supervisor, glass. */
/* clang-format off */
static const struct row matrix[] = {
	{"service user, own case", {SU, NONE, 1, 0, 0, 0, 0, 0},
	 "y.yyyyyyyy y.yyyyyyyy y.yyyyyyyy y.yyyyyyyy",
	 "....y.y.yy", "....y.y.yy", NO_WRITE},
	{"service user, another person's case", {SU, NONE, 0, 0, 0, 0, 0, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
	{"service user with a stray EC flag", {SU, NONE, 0, 0, 1, 1, 0, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
	{"service user, own case, org health (bad data)", {SU, HEALTH, 1, 0, 0, 0, 0, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},

	{"CM assigned, team member", {CM, HEALTH, 0, 1, 0, 1, 0, 0},
	 "yyy.yy..y. yyy.yy..y. yyyyyy..y. yyyyyy..y.",
	 ".yy.y.....", ".yy.y.....", NO_WRITE},
	{"CM assigned, not a team member", {CM, HEALTH, 0, 1, 0, 0, 0, 0},
	 "yyy.yy..y. yyy.yy..y. yyyyyy..y. yyyyyy..y.",
	 ".yy.y.....", ".yy.y.....", NO_WRITE},
	{"CM assigned, stray break-glass flag", {CM, HEALTH, 0, 1, 0, 1, 0, 1},
	 "yyy.yy..y. yyy.yy..y. yyyyyy..y. yyyyyy..y.",
	 ".yy.y.....", ".yy.y.....", NO_WRITE},
	{"CM team member, not assigned", {CM, HEALTH, 0, 0, 0, 1, 0, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
	{"CM outside the team, break-glass flag", {CM, HEALTH, 0, 0, 0, 0, 0, 1},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
	{"CM assigned, org jobcentre (bad data)", {CM, JOB, 0, 1, 0, 1, 0, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},

	{"EC assigned, team member", {EC, JOB, 0, 0, 1, 1, 0, 0},
	 "y..yyy..y. y.yyyy..y. y..yyy..y. y.yyyy..y.",
	 "y..yyy....", "y..yyy....", "y........."},
	{"EC team member, not assigned", {EC, JOB, 0, 0, 0, 1, 0, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
	{"EC with a stray CM flag", {EC, JOB, 0, 1, 0, 1, 0, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
	{"EC assigned, org health (bad data)", {EC, HEALTH, 0, 0, 1, 1, 0, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},

	{"health supervisor of the team", {SUP, HEALTH, 0, 0, 0, 1, 1, 0},
	 "yyy.yy.yy. yyy.yy.yy. yyy.yy.yy. yyy.yy.yy.",
	 "y.........", "y.........", "y........."},
	{"health supervisor of the team, also a reason", {SUP, HEALTH, 0, 0, 0, 1, 1, 1},
	 "yyy.yy.yy. yyy.yy.yy. yyy.yy.yy. yyy.yy.yy.",
	 "y.........", "y.........", "y........."},
	{"health supervisor of the team, stray CM flag", {SUP, HEALTH, 0, 1, 0, 1, 1, 0},
	 "yyy.yy.yy. yyy.yy.yy. yyy.yy.yy. yyy.yy.yy.",
	 "y.........", "y.........", "y........."},
	{"jobcentre supervisor of the team", {SUP, JOB, 0, 0, 0, 1, 1, 0},
	 "y..yyy.yy. y..yyy.yy. y..yyy.yy. y..yyy.yy.",
	 "y.........", "y.........", "y........."},
	{"health supervisor, other team, break-glass", {SUP, HEALTH, 0, 0, 0, 0, 0, 1},
	 "yyy.yy.... yyy.yy.... yyy.yy.... yyy.yy....",
	 NO_WRITE, NO_WRITE, NO_WRITE},
	{"jobcentre supervisor, other team, break-glass", {SUP, JOB, 0, 0, 0, 0, 0, 1},
	 "y..yyy.... y..yyy.... y..yyy.... y..yyy....",
	 NO_WRITE, NO_WRITE, NO_WRITE},
	{"health supervisor, other team, no reason", {SUP, HEALTH, 0, 0, 0, 0, 0, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
	{"jobcentre supervisor, team member only, no reason", {SUP, JOB, 0, 0, 0, 1, 0, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
	{"supervisor with no organisation (bad data)", {SUP, NONE, 0, 0, 0, 1, 1, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},

	{"researcher, every flag", {RES, NONE, 1, 1, 1, 1, 1, 1},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
	{"admin at health, every flag", {ADM, HEALTH, 1, 1, 1, 1, 1, 1},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
	{"admin at jobcentre, every flag", {ADM, JOB, 1, 1, 1, 1, 1, 1},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
	{"admin, no organisation", {ADM, NONE, 0, 0, 0, 1, 0, 0},
	 NO_READ, NO_WRITE, NO_WRITE, NO_WRITE},
};
/* clang-format on */

static const enum policy_category col_category[NCOL] = {
    POLICY_CORE,     POLICY_CLINICAL, POLICY_HEALTH_SHARED, POLICY_EMPLOYMENT, POLICY_JOINT,
    POLICY_DECISION, POLICY_PRIVATE,  POLICY_AUDIT,	    POLICY_PRIVATE,    POLICY_PRIVATE,
};
static const bool col_shared[NCOL] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
static const bool col_in_meeting[NCOL] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
static const char *const consent_label[NCONSENT] = {"none", "h2j", "j2h", "both"};

static struct policy_item item_for(int col, int consent, bool author)
{
	struct policy_item it = {
	    .category = col_category[col],
	    .shared_with_meeting = col_shared[col],
	    .actor_in_meeting = col_in_meeting[col],
	    .actor_is_author = author,
	    .consent_health_to_jobcentre = (consent & 1) != 0,
	    .consent_jobcentre_to_health = (consent & 2) != 0,
	};
	return it;
}

/* A mistyped table row must fail, not silently test less. */
static bool row_well_formed(const struct row *r)
{
	if (strlen(r->read) != READ_LEN)
		return false;
	for (int i = 0; i < READ_LEN; i++) {
		char want_space = (i % (NCOL + 1)) == NCOL;
		char ch = r->read[i];
		if (want_space ? ch != ' ' : (ch != 'y' && ch != '.'))
			return false;
	}
	const char *w[3] = {r->create, r->update_own, r->update_other};
	for (int k = 0; k < 3; k++) {
		if (strlen(w[k]) != NCOL || strspn(w[k], "y.") != NCOL)
			return false;
	}
	return true;
}

/* One cell: prints it on a mismatch and returns 1, else 0. */
static int check_cell(const struct row *r, int consent, int col, enum policy_action action,
		      bool author, char expect)
{
	struct policy_item it = item_for(col, consent, author);
	enum policy_reason why;
	int rc = policy_explain(&r->actor, action, &it, &why);
	int want = expect == 'y' ? 0 : ERR_FORBIDDEN;
	if (rc == want && (rc == 0) == (why == POLICY_ALLOWED))
		return 0;
	print_message("FAIL [%s] role=%s org=%s consents=%s category=%s%s action=%s "
		      "author=%d expected=%s got=%s (%s)\n",
		      r->name, policy_role_name(r->actor.role), policy_org_name(r->actor.org),
		      consent_label[consent], policy_category_name(col_category[col]),
		      col == 8	 ? "(shared,participant)"
		      : col == 9 ? "(shared,not participant)"
				 : "",
		      policy_action_name(action), author, expect == 'y' ? "allow" : "deny",
		      rc == 0 ? "allow" : "deny", policy_reason_name(why));
	return 1;
}

static int check_row(const struct row *r, int *cells)
{
	int fails = 0;
	for (int c = 0; c < NCONSENT; c++) {
		for (int col = 0; col < NCOL; col++) {
			char rd = r->read[c * (NCOL + 1) + col];
			for (int author = 0; author <= 1; author++) {
				fails += check_cell(r, c, col, POLICY_READ, author, rd);
				fails +=
				    check_cell(r, c, col, POLICY_CREATE, author, r->create[col]);
			}
			fails += check_cell(r, c, col, POLICY_UPDATE, true, r->update_own[col]);
			fails += check_cell(r, c, col, POLICY_UPDATE, false, r->update_other[col]);
			*cells += 6;
		}
	}
	return fails;
}

static void test_matrix(void **state)
{
	(void)state;
	int fails = 0, cells = 0;
	size_t n = sizeof matrix / sizeof matrix[0];
	for (size_t i = 0; i < n; i++) {
		if (!row_well_formed(&matrix[i])) {
			print_message("FAIL malformed table row [%s]\n", matrix[i].name);
			fails++;
			continue;
		}
		fails += check_row(&matrix[i], &cells);
	}
	print_message("policy matrix: %zu rows, %d cells, %d failed\n", n, cells, fails);
	assert_int_equal(cells, (int)n * NCONSENT * NCOL * 6);
	assert_int_equal(fails, 0);
}

/* ---- exhaustive sweeps for the critical promises ---- */

#define N_FLAGMASK 64 /* person, cm, ec, member, team supervisor, glass */
#define N_ITEMMASK 8  /* shared, in meeting, author */

static struct policy_actor actor_of(enum policy_role role, enum policy_org org, int m)
{
	struct policy_actor a = {
	    .role = role,
	    .org = org,
	    .is_case_person = m & 1,
	    .is_assigned_cm = (m >> 1) & 1,
	    .is_assigned_ec = (m >> 2) & 1,
	    .is_team_member = (m >> 3) & 1,
	    .is_team_supervisor = (m >> 4) & 1,
	    .break_glass = (m >> 5) & 1,
	};
	return a;
}

static struct policy_item item_of(enum policy_category cat, int m, int consent)
{
	struct policy_item it = {
	    .category = cat,
	    .shared_with_meeting = m & 1,
	    .actor_in_meeting = (m >> 1) & 1,
	    .actor_is_author = (m >> 2) & 1,
	    .consent_health_to_jobcentre = consent & 1,
	    .consent_jobcentre_to_health = (consent >> 1) & 1,
	};
	return it;
}

/* Calls fn for every actor of role x org x relationship flags and every
 * item flag and consent state, for one category and action. */
typedef void (*sweep_fn)(const struct policy_actor *a, enum policy_action act,
			 const struct policy_item *it, int *count);

static void sweep(enum policy_role role, enum policy_org org, enum policy_category cat,
		  enum policy_action act, sweep_fn fn, int *count)
{
	for (int am = 0; am < N_FLAGMASK; am++) {
		struct policy_actor a = actor_of(role, org, am);
		for (int im = 0; im < N_ITEMMASK; im++) {
			for (int c = 0; c < NCONSENT; c++) {
				struct policy_item it = item_of(cat, im, c);
				fn(&a, act, &it, count);
			}
		}
	}
}

static void expect_jobcentre_clinical_denied(const struct policy_actor *a, enum policy_action act,
					     const struct policy_item *it, int *count)
{
	enum policy_reason why;
	assert_int_equal(policy_explain(a, act, it, &why), ERR_FORBIDDEN);
	if (a->role == EC || a->role == SUP)
		assert_int_equal(why, POLICY_R_JOBCENTRE_CLINICAL);
	(*count)++;
}

static void test_clinical_never_to_jobcentre(void **state)
{
	(void)state;
	int n = 0;
	for (int r = SU; r < POLICY_ROLE_COUNT; r++)
		for (int act = POLICY_READ; act < POLICY_ACTION_COUNT; act++)
			sweep(r, JOB, POLICY_CLINICAL, act, expect_jobcentre_clinical_denied, &n);
	assert_int_equal(n, 6 * 3 * N_FLAGMASK * N_ITEMMASK * NCONSENT);

	/* An assigned EC under both consents, shared with a meeting. */
	struct policy_actor ec = {EC, JOB, 0, 0, 1, 1, 0, 0};
	struct policy_item it = {.category = POLICY_CLINICAL, .shared_with_meeting = 1, .actor_in_meeting = 1, .actor_is_author = 1, .consent_health_to_jobcentre = 1, .consent_jobcentre_to_health = 1};
	assert_int_equal(policy_check(&ec, POLICY_READ, &it), ERR_FORBIDDEN);
	/* Control: the assigned CM does read it. */
	struct policy_actor cm = {CM, HEALTH, 0, 1, 0, 1, 0, 0};
	assert_int_equal(policy_check(&cm, POLICY_READ, &it), 0);
}

static void expect_reason(const struct policy_actor *a, enum policy_action act,
			  const struct policy_item *it, enum policy_reason want)
{
	enum policy_reason why = POLICY_REASON_COUNT;
	int rc = policy_explain(a, act, it, &why);
	if (why != want)
		print_message("role=%s category=%s action=%s: want %s, got %s\n",
			      policy_role_name(a->role), policy_category_name(it->category),
			      policy_action_name(act), policy_reason_name(want),
			      policy_reason_name(why));
	assert_int_equal(why, want);
	assert_int_equal(rc, want == POLICY_ALLOWED ? 0 : ERR_FORBIDDEN);
}

static void test_health_shared_consent(void **state)
{
	(void)state;
	struct policy_actor ec = {EC, JOB, 0, 0, 1, 1, 0, 0};
	struct policy_item it = {.category = POLICY_HEALTH_SHARED};
	expect_reason(&ec, POLICY_READ, &it, POLICY_R_NO_CONSENT);
	it.consent_jobcentre_to_health = true; /* the wrong direction */
	expect_reason(&ec, POLICY_READ, &it, POLICY_R_NO_CONSENT);
	it.consent_health_to_jobcentre = true; /* granted */
	expect_reason(&ec, POLICY_READ, &it, POLICY_ALLOWED);
	it.consent_health_to_jobcentre = false; /* withdrawn: next request */
	expect_reason(&ec, POLICY_READ, &it, POLICY_R_NO_CONSENT);

	it.consent_health_to_jobcentre = true;
	expect_reason(&ec, POLICY_CREATE, &it, POLICY_R_NOT_AUTHOR_ROLE);
	struct policy_actor other_ec = {EC, JOB, 0, 0, 0, 1, 0, 0};
	expect_reason(&other_ec, POLICY_READ, &it, POLICY_R_NOT_ASSIGNED);
	struct policy_actor job_sup = {SUP, JOB, 0, 0, 0, 1, 1, 0};
	expect_reason(&job_sup, POLICY_READ, &it, POLICY_R_OTHER_SIDE);
}

static void test_employment_consent(void **state)
{
	(void)state;
	struct policy_actor cm = {CM, HEALTH, 0, 1, 0, 1, 0, 0};
	struct policy_item it = {.category = POLICY_EMPLOYMENT};
	expect_reason(&cm, POLICY_READ, &it, POLICY_R_NO_CONSENT);
	it.consent_health_to_jobcentre = true; /* the wrong direction */
	expect_reason(&cm, POLICY_READ, &it, POLICY_R_NO_CONSENT);
	it.consent_jobcentre_to_health = true;
	expect_reason(&cm, POLICY_READ, &it, POLICY_ALLOWED);
	it.consent_jobcentre_to_health = false; /* withdrawn */
	expect_reason(&cm, POLICY_READ, &it, POLICY_R_NO_CONSENT);

	it.consent_jobcentre_to_health = true;
	expect_reason(&cm, POLICY_CREATE, &it, POLICY_R_NOT_AUTHOR_ROLE);
	struct policy_actor health_sup = {SUP, HEALTH, 0, 0, 0, 1, 1, 0};
	expect_reason(&health_sup, POLICY_READ, &it, POLICY_R_OTHER_SIDE);
}

static enum policy_reason sweep_want;

static void expect_sweep_reason(const struct policy_actor *a, enum policy_action act,
				const struct policy_item *it, int *count)
{
	expect_reason(a, act, it, sweep_want);
	(*count)++;
}

static void sweep_all_content(enum policy_role role, enum policy_reason want)
{
	int n = 0;
	sweep_want = want;
	for (int org = NONE; org < POLICY_ORG_COUNT; org++)
		for (int cat = POLICY_CORE; cat < POLICY_RESEARCH; cat++) /* all but the research row */
			for (int act = POLICY_READ; act < POLICY_ACTION_COUNT; act++)
				sweep(role, org, cat, act, expect_sweep_reason, &n);
	assert_int_equal(n, 3 * (POLICY_RESEARCH - POLICY_CORE) * 3 * N_FLAGMASK * N_ITEMMASK * NCONSENT);
}

static void test_admin_sees_nothing(void **state)
{
	(void)state;
	sweep_all_content(ADM, POLICY_R_ADMIN);
}

static void test_researcher_sees_nothing(void **state)
{
	(void)state;
	sweep_all_content(RES, POLICY_R_RESEARCHER);
}

/* Predicates stated in DESIGN.md, checked over every actor and item. */
enum promise { DECISION_WRITER, PRIVATE_UNSHARED, AUDIT_READER };

static bool promise_holds(enum promise p, const struct policy_actor *a, enum policy_action act,
			  const struct policy_item *it)
{
	bool person = a->role == SU && a->org == NONE && a->is_case_person;
	bool ec = a->role == EC && a->org == JOB && a->is_assigned_ec;
	bool own = act != POLICY_UPDATE || it->actor_is_author;
	bool team_sup = a->role == SUP && a->org != NONE && a->is_team_supervisor;
	switch (p) {
	case DECISION_WRITER:
		return ec && own;
	case PRIVATE_UNSHARED:
		return person && own;
	default:
		return act == POLICY_READ && (person || team_sup);
	}
}

static int promise_allowed;
static enum promise promise_now;

static void expect_promise(const struct policy_actor *a, enum policy_action act,
			   const struct policy_item *it, int *count)
{
	if (promise_now == PRIVATE_UNSHARED && it->shared_with_meeting)
		return;
	bool want = promise_holds(promise_now, a, act, it);
	int rc = policy_check(a, act, it);
	if ((rc == 0) != want)
		print_message("promise %d: role=%s org=%s action=%s want %d\n", promise_now,
			      policy_role_name(a->role), policy_org_name(a->org),
			      policy_action_name(act), want);
	assert_int_equal(rc, want ? 0 : ERR_FORBIDDEN);
	promise_allowed += rc == 0;
	(*count)++;
}

static int sweep_promise(enum promise p, enum policy_category cat, int first, int last)
{
	int n = 0;
	promise_now = p;
	promise_allowed = 0;
	for (int r = SU; r < POLICY_ROLE_COUNT; r++)
		for (int org = NONE; org < POLICY_ORG_COUNT; org++)
			for (int act = first; act <= last; act++)
				sweep(r, org, cat, act, expect_promise, &n);
	assert_true(n > 0);
	return promise_allowed;
}

static void test_decisions_written_only_by_assigned_ec(void **state)
{
	(void)state;
	assert_true(sweep_promise(DECISION_WRITER, POLICY_DECISION, POLICY_CREATE, POLICY_UPDATE) >
		    0);
	struct policy_actor cm = {CM, HEALTH, 0, 1, 0, 1, 0, 0};
	struct policy_item it = {.category = POLICY_DECISION, .actor_is_author = true};
	expect_reason(&cm, POLICY_CREATE, &it, POLICY_R_DECISION_EC_ONLY);
	struct policy_actor sup = {SUP, JOB, 0, 0, 0, 1, 1, 0};
	expect_reason(&sup, POLICY_CREATE, &it, POLICY_R_DECISION_EC_ONLY);
	struct policy_actor ec = {EC, JOB, 0, 0, 1, 1, 0, 0};
	it.actor_is_author = false; /* another EC's decision, after a handover */
	expect_reason(&ec, POLICY_UPDATE, &it, POLICY_R_NOT_ITEM_AUTHOR);
}

static void test_private_only_service_user(void **state)
{
	(void)state;
	assert_true(sweep_promise(PRIVATE_UNSHARED, POLICY_PRIVATE, POLICY_READ, POLICY_UPDATE) >
		    0);
	struct policy_actor cm = {CM, HEALTH, 0, 1, 0, 1, 0, 0};
	struct policy_item it = {.category = POLICY_PRIVATE};
	expect_reason(&cm, POLICY_READ, &it, POLICY_R_PRIVATE);
	it.shared_with_meeting = true;
	expect_reason(&cm, POLICY_READ, &it, POLICY_R_NOT_PARTICIPANT);
	it.actor_in_meeting = true;
	expect_reason(&cm, POLICY_READ, &it, POLICY_ALLOWED);
	/* Shared or not, only the person writes it. */
	expect_reason(&cm, POLICY_CREATE, &it, POLICY_R_NOT_AUTHOR_ROLE);
	struct policy_actor glass = {SUP, HEALTH, 0, 0, 0, 0, 0, 1};
	expect_reason(&glass, POLICY_READ, &it, POLICY_R_BREAK_GLASS_NOT_REACHED);
}

static void test_audit_readers(void **state)
{
	(void)state;
	assert_true(sweep_promise(AUDIT_READER, POLICY_AUDIT, POLICY_READ, POLICY_UPDATE) > 0);
	struct policy_actor cm = {CM, HEALTH, 0, 1, 0, 1, 0, 0};
	struct policy_item it = {.category = POLICY_AUDIT};
	expect_reason(&cm, POLICY_READ, &it, POLICY_R_AUDIT_READERS);
	struct policy_actor sup = {SUP, HEALTH, 0, 0, 0, 1, 1, 0};
	expect_reason(&sup, POLICY_CREATE, &it, POLICY_R_AUDIT_SYSTEM_ONLY);
	struct policy_actor other = {SU, NONE, 0, 0, 0, 0, 0, 0};
	expect_reason(&other, POLICY_READ, &it, POLICY_R_NOT_OWN_CASE);
}

static void test_break_glass(void **state)
{
	(void)state;
	struct policy_actor sup = {SUP, HEALTH, 0, 0, 0, 0, 0, 0};
	struct policy_item core = {.category = POLICY_CORE};
	struct policy_item audit = {.category = POLICY_AUDIT};
	expect_reason(&sup, POLICY_READ, &core, POLICY_R_NEEDS_BREAK_GLASS);
	expect_reason(&sup, POLICY_READ, &audit, POLICY_R_NOT_IN_TEAM);
	expect_reason(&sup, POLICY_UPDATE, &core, POLICY_R_NOT_IN_TEAM);
	sup.break_glass = true;
	expect_reason(&sup, POLICY_READ, &core, POLICY_ALLOWED);
	expect_reason(&sup, POLICY_UPDATE, &core, POLICY_R_BREAK_GLASS_READ_ONLY);
	expect_reason(&sup, POLICY_READ, &audit, POLICY_R_BREAK_GLASS_NOT_REACHED);

	struct policy_actor job = {SUP, JOB, 0, 0, 0, 0, 0, 1};
	struct policy_item hs = {.category = POLICY_HEALTH_SHARED, .shared_with_meeting = 0, .actor_in_meeting = 0, .actor_is_author = 0, .consent_health_to_jobcentre = 1, .consent_jobcentre_to_health = 1};
	expect_reason(&job, POLICY_READ, &hs, POLICY_R_OTHER_SIDE);
	struct policy_item clin = {.category = POLICY_CLINICAL, .shared_with_meeting = 0, .actor_in_meeting = 0, .actor_is_author = 0, .consent_health_to_jobcentre = 1, .consent_jobcentre_to_health = 1};
	expect_reason(&job, POLICY_READ, &clin, POLICY_R_JOBCENTRE_CLINICAL);
	/* The reason flag does nothing for a role that is not a supervisor. */
	struct policy_actor ec = {EC, JOB, 0, 0, 0, 0, 0, 1};
	expect_reason(&ec, POLICY_READ, &core, POLICY_R_NOT_ASSIGNED);
}

static void test_sharing_flags_only_touch_private(void **state)
{
	(void)state;
	struct policy_item it = {.category = POLICY_EMPLOYMENT, .shared_with_meeting = 1, .actor_in_meeting = 1, .actor_is_author = 1, .consent_health_to_jobcentre = 0, .consent_jobcentre_to_health = 0};
	struct policy_actor cm = {CM, HEALTH, 0, 1, 0, 1, 0, 0};
	expect_reason(&cm, POLICY_READ, &it, POLICY_R_NO_CONSENT);
	struct policy_actor su = {SU, NONE, 1, 0, 0, 0, 0, 0};
	it.category = POLICY_CLINICAL;
	expect_reason(&su, POLICY_READ, &it, POLICY_R_CLINICAL_HEALTH_ONLY);
	it.category = POLICY_AUDIT;
	expect_reason(&cm, POLICY_READ, &it, POLICY_R_AUDIT_READERS);
}

static void test_invalid_inputs_denied(void **state)
{
	(void)state;
	struct policy_actor zero_actor = {0};
	struct policy_item zero_item = {0};
	struct policy_actor su = {SU, NONE, 1, 0, 0, 0, 0, 0};
	struct policy_item core = {.category = POLICY_CORE};
	assert_int_equal(policy_check(&su, POLICY_READ, &core), 0); /* control */
	expect_reason(&zero_actor, POLICY_READ, &core, POLICY_R_INVALID);
	expect_reason(&su, POLICY_READ, &zero_item, POLICY_R_INVALID);
	expect_reason(&su, POLICY_ACTION_INVALID, &core, POLICY_R_INVALID);
	expect_reason(&su, (enum policy_action)99, &core, POLICY_R_INVALID);
	assert_int_equal(policy_check(NULL, POLICY_READ, &core), ERR_FORBIDDEN);
	assert_int_equal(policy_check(&su, POLICY_READ, NULL), ERR_FORBIDDEN);
	struct policy_actor bad_role = su, bad_org = su;
	bad_role.role = (enum policy_role)42;
	bad_org.org = (enum policy_org) - 1;
	expect_reason(&bad_role, POLICY_READ, &core, POLICY_R_INVALID);
	expect_reason(&bad_org, POLICY_READ, &core, POLICY_R_INVALID);
	struct policy_item bad_cat = {.category = (enum policy_category)POLICY_CATEGORY_COUNT};
	expect_reason(&su, POLICY_READ, &bad_cat, POLICY_R_INVALID);
	struct policy_actor cm_no_org = {CM, NONE, 0, 1, 0, 1, 0, 0};
	expect_reason(&cm_no_org, POLICY_READ, &core, POLICY_R_INVALID_ACTOR);
}

/* Security events (issue 14): the administrator reads them; no one else,
 * not the person, not a supervisor; no one writes them by hand. */
static void test_security_events(void **state)
{
	(void)state;
	static const struct {
		enum policy_role role;
		enum policy_org org;
		enum policy_action act;
		bool allowed;
	} rows[] = {
	    {POLICY_ADMIN, POLICY_ORG_HEALTH, POLICY_READ, true},
	    {POLICY_ADMIN, POLICY_ORG_JOBCENTRE, POLICY_READ, true},
	    {POLICY_ADMIN, POLICY_ORG_HEALTH, POLICY_CREATE, false},
	    {POLICY_ADMIN, POLICY_ORG_HEALTH, POLICY_UPDATE, false},
	    {POLICY_SUPERVISOR, POLICY_ORG_HEALTH, POLICY_READ, false},
	    {POLICY_SERVICE_USER, POLICY_ORG_NONE, POLICY_READ, false},
	    {POLICY_CARE_MANAGER, POLICY_ORG_HEALTH, POLICY_READ, false},
	    {POLICY_RESEARCHER, POLICY_ORG_HEALTH, POLICY_READ, false},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct policy_actor a = {.role = rows[i].role, .org = rows[i].org,
					 .is_case_person = rows[i].role == POLICY_SERVICE_USER};
		struct policy_item it = {.category = POLICY_SECURITY};
		enum policy_reason why;
		int rc = policy_explain(&a, rows[i].act, &it, &why);
		assert_int_equal(rc == 0, rows[i].allowed);
		if (!rows[i].allowed)
			assert_int_equal(why, POLICY_R_SECURITY_ADMIN_ONLY);
	}
	assert_string_equal(policy_category_name(POLICY_SECURITY), "security");
}

static void test_names(void **state)
{
	(void)state;
	static const char *const roles[] = {"service_user", "care_manager", "employment_consultant",
					    "supervisor",   "researcher",   "admin"};
	static const char *const cats[] = {"core",  "clinical", "health_shared", "employment",
					   "joint", "decision", "private",	 "audit"};
	for (int i = 0; i < 6; i++) {
		enum policy_role r;
		assert_int_equal(policy_role_parse(roles[i], &r), 0);
		assert_int_equal(r, SU + i);
		assert_string_equal(policy_role_name(r), roles[i]);
	}
	for (int i = 0; i < 8; i++) {
		enum policy_category c;
		assert_int_equal(policy_category_parse(cats[i], &c), 0);
		assert_int_equal(c, POLICY_CORE + i);
		assert_string_equal(policy_category_name(c), cats[i]);
	}
	enum policy_action a;
	assert_int_equal(policy_action_parse("update", &a), 0);
	assert_int_equal(a, POLICY_UPDATE);
	enum policy_org o = POLICY_ORG_HEALTH;
	assert_int_equal(policy_org_parse("jobcentre", &o), 0);
	assert_int_equal(o, JOB);
	assert_int_equal(policy_org_parse("Jobcentre", &o), ERR_INVALID);
	assert_int_equal(o, JOB);
	enum policy_role r = SU;
	assert_int_equal(policy_role_parse("Admin", &r), ERR_INVALID);
	assert_int_equal(policy_role_parse("", &r), ERR_INVALID);
	assert_int_equal(policy_role_parse(NULL, &r), ERR_INVALID);
	assert_int_equal(policy_action_parse("write", &a), ERR_INVALID);
	assert_int_equal(r, SU);
	assert_string_equal(policy_role_name((enum policy_role)99), "?");
	assert_string_equal(policy_category_name(POLICY_CATEGORY_INVALID), "?");
	assert_string_equal(policy_reason_name(POLICY_R_NOT_ASSIGNED), "not_assigned");
	assert_string_equal(policy_reason_name(POLICY_R_NO_CONSENT), "no_consent");
	assert_string_equal(policy_reason_name(POLICY_R_JOBCENTRE_CLINICAL),
			    "jobcentre_never_clinical");
	assert_string_equal(policy_reason_name(POLICY_R_ADMIN), "admin_no_case_content");
	for (int i = 0; i < POLICY_REASON_COUNT; i++)
		assert_string_not_equal(policy_reason_name(i), "?");
}

/* The research row (DESIGN.md section 4), by hand: per actor, the answer
 * for research content and for the study's settings, each as
 * read/create/update ('y' allowed, '.' denied), and the reason of the
 * first denial. Study flags: granted researcher, creating admin. */
struct research_row {
	const char *name;
	struct policy_actor actor;
	const char *content, *settings;
	enum policy_reason content_why, settings_why;
};

static void test_research_row(void **state)
{
	(void)state;
	/* clang-format off */
	static const struct research_row rows[] = {
		{"granted researcher", {RES, NONE, .is_study_researcher = 1},
		 "yyy", "y..", POLICY_ALLOWED, POLICY_R_STUDY_ADMIN_WRITES},
		{"researcher not granted", {RES, NONE},
		 "...", "...", POLICY_R_NOT_STUDY_RESEARCHER, POLICY_R_NOT_STUDY_RESEARCHER},
		{"admin who made the study", {ADM, NONE, .is_study_creator = 1},
		 "...", "yyy", POLICY_R_STUDY_SETTINGS_ONLY, POLICY_ALLOWED},
		{"another admin", {ADM, NONE},
		 "...", ".y.", POLICY_R_STUDY_SETTINGS_ONLY, POLICY_R_NOT_STUDY_CREATOR},
		{"admin with a stray researcher flag", {ADM, NONE, .is_study_researcher = 1},
		 "...", ".y.", POLICY_R_STUDY_SETTINGS_ONLY, POLICY_R_NOT_STUDY_CREATOR},
		{"researcher with a stray creator flag", {RES, NONE, .is_study_creator = 1},
		 "...", "...", POLICY_R_NOT_STUDY_RESEARCHER, POLICY_R_NOT_STUDY_RESEARCHER},
		{"team supervisor with a stray researcher flag",
		 {SUP, HEALTH, 0, 0, 0, 1, 1, 0, .is_study_researcher = 1},
		 "...", "...", POLICY_R_NOT_STUDY_RESEARCHER, POLICY_R_NOT_STUDY_RESEARCHER},
		{"assigned CM", {CM, HEALTH, 0, 1, 0, 1, 0, 0},
		 "...", "...", POLICY_R_NOT_STUDY_RESEARCHER, POLICY_R_NOT_STUDY_RESEARCHER},
		{"service user", {SU, NONE, 1, 0, 0, 0, 0, 0},
		 "...", "...", POLICY_R_NOT_STUDY_RESEARCHER, POLICY_R_NOT_STUDY_RESEARCHER},
	};
	/* clang-format on */
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct research_row *r = &rows[i];
		for (int cat = 0; cat < 2; cat++) {
			struct policy_item it = {.category = cat ? POLICY_STUDY : POLICY_RESEARCH,
						 .actor_is_author = true};
			const char *want = cat ? r->settings : r->content;
			bool first = true;
			for (int act = POLICY_READ; act < POLICY_ACTION_COUNT; act++) {
				enum policy_reason why;
				int rc = policy_explain(&r->actor, act, &it, &why);
				bool allowed = want[act - POLICY_READ] == 'y';
				if ((rc == 0) != allowed)
					print_message("%s: %s %s: want %c\n", r->name,
						      policy_category_name(it.category),
						      policy_action_name(act), want[act - 1]);
				assert_int_equal(rc == 0, allowed);
				if (!allowed && first) {
					assert_int_equal(why, cat ? r->settings_why : r->content_why);
					first = false;
				}
			}
			if (first)
				assert_int_equal(POLICY_ALLOWED, cat ? r->settings_why : r->content_why);
		}
	}
	/* The research row reaches no case: a granted researcher still reads
	 * no case content. */
	struct policy_actor res = {RES, NONE, .is_study_researcher = 1};
	struct policy_item core = {.category = POLICY_CORE};
	expect_reason(&res, POLICY_READ, &core, POLICY_R_RESEARCHER);
	assert_string_equal(policy_category_name(POLICY_RESEARCH), "research");
	assert_string_equal(policy_category_name(POLICY_STUDY), "study");
}

/* Only the administrator administers; every other role, and nonsense, not. */
static void test_administer(void **state)
{
	(void)state;
	assert_int_equal(policy_administer(POLICY_ADMIN), 0);
	const enum policy_role no[] = {POLICY_ROLE_INVALID, POLICY_SERVICE_USER, POLICY_CARE_MANAGER,
				       POLICY_EMPLOYMENT_CONSULTANT, POLICY_SUPERVISOR,
				       POLICY_RESEARCHER, POLICY_ROLE_COUNT, (enum policy_role)-1};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		assert_int_equal(policy_administer(no[i]), ERR_FORBIDDEN);
}

/* Handing over a role and making the person's activation link (issue 14):
 * expected reasons written by hand. Columns: hand over the CM role, hand
 * over the EC role, make the activation link. */
struct account_row {
	const char *name;
	struct policy_actor actor;
	enum policy_reason cm_role, ec_role, link;
};

#define OK POLICY_ALLOWED
/* clang-format off */
static const struct account_row account_rows[] = {
	{"assigned CM", {CM, HEALTH, 0, 1, 0, 1, 0, 0}, OK, POLICY_R_HANDOVER_OWN_SIDE, OK},
	{"CM in the team, not assigned", {CM, HEALTH, 0, 0, 0, 1, 0, 0}, POLICY_R_NOT_ASSIGNED,
	 POLICY_R_NOT_ASSIGNED, POLICY_R_ACTIVATION_ASSIGNED},
	{"assigned EC", {EC, JOB, 0, 0, 1, 1, 0, 0}, POLICY_R_HANDOVER_OWN_SIDE, OK, OK},
	{"EC in the team, not assigned", {EC, JOB, 0, 0, 0, 1, 0, 0}, POLICY_R_NOT_ASSIGNED,
	 POLICY_R_NOT_ASSIGNED, POLICY_R_ACTIVATION_ASSIGNED},
	{"health supervisor of the team", {SUP, HEALTH, 0, 0, 0, 1, 1, 0}, OK,
	 POLICY_R_HANDOVER_OWN_SIDE, POLICY_R_ACTIVATION_ASSIGNED},
	{"jobcentre supervisor of the team", {SUP, JOB, 0, 0, 0, 1, 1, 0},
	 POLICY_R_HANDOVER_OWN_SIDE, OK, POLICY_R_ACTIVATION_ASSIGNED},
	{"health supervisor, other team", {SUP, HEALTH, 0, 0, 0, 0, 0, 0}, POLICY_R_NOT_IN_TEAM,
	 POLICY_R_NOT_IN_TEAM, POLICY_R_ACTIVATION_ASSIGNED},
	{"health supervisor, break-glass", {SUP, HEALTH, 0, 0, 0, 0, 0, 1},
	 POLICY_R_BREAK_GLASS_READ_ONLY, POLICY_R_BREAK_GLASS_READ_ONLY,
	 POLICY_R_ACTIVATION_ASSIGNED},
	{"service user, own case", {SU, NONE, 1, 0, 0, 0, 0, 0}, POLICY_R_NOT_AUTHOR_ROLE,
	 POLICY_R_NOT_AUTHOR_ROLE, POLICY_R_NOT_AUTHOR_ROLE},
	{"service user, other case", {SU, NONE, 0, 0, 0, 0, 0, 0}, POLICY_R_NOT_OWN_CASE,
	 POLICY_R_NOT_OWN_CASE, POLICY_R_NOT_OWN_CASE},
	{"CM with a stray EC flag", {CM, HEALTH, 0, 0, 1, 1, 0, 0}, POLICY_R_NOT_ASSIGNED,
	 POLICY_R_NOT_ASSIGNED, POLICY_R_ACTIVATION_ASSIGNED},
	{"CM recorded at a jobcentre", {CM, JOB, 0, 1, 0, 1, 0, 0}, POLICY_R_INVALID_ACTOR,
	 POLICY_R_INVALID_ACTOR, POLICY_R_INVALID_ACTOR},
	{"administrator", {ADM, HEALTH, 0, 1, 1, 1, 1, 0}, POLICY_R_ADMIN, POLICY_R_ADMIN,
	 POLICY_R_ADMIN},
	{"researcher", {RES, NONE, 1, 1, 1, 1, 1, 1}, POLICY_R_RESEARCHER, POLICY_R_RESEARCHER,
	 POLICY_R_RESEARCHER},
};
/* clang-format on */

static void expect_row_reason(const char *name, const char *what, const struct policy_actor *a,
			      enum policy_action act, const struct policy_item *it,
			      enum policy_reason want)
{
	enum policy_reason got;
	int rc = policy_explain(a, act, it, &got);
	if (got != want || (rc == 0) != (want == OK))
		fail_msg("%s, %s: want %s, got %s", name, what, policy_reason_name(want),
			 policy_reason_name(got));
}

static void test_handover_and_activation(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof account_rows / sizeof account_rows[0]; i++) {
		const struct account_row *r = &account_rows[i];
		for (int consent = 0; consent < NCONSENT; consent++) {
			struct policy_item cm = {.category = POLICY_CORE, .hands_over = HEALTH};
			struct policy_item ec = {.category = POLICY_CORE, .hands_over = JOB};
			struct policy_item link = {.category = POLICY_CORE, .person_account = true};
			cm.consent_health_to_jobcentre = ec.consent_health_to_jobcentre =
			    link.consent_health_to_jobcentre = consent & 1;
			cm.consent_jobcentre_to_health = ec.consent_jobcentre_to_health =
			    link.consent_jobcentre_to_health = (consent >> 1) & 1;
			expect_row_reason(r->name, "hand over CM", &r->actor, POLICY_UPDATE, &cm,
					  r->cm_role);
			expect_row_reason(r->name, "hand over EC", &r->actor, POLICY_UPDATE, &ec,
					  r->ec_role);
			expect_row_reason(r->name, "activation link", &r->actor, POLICY_CREATE, &link,
					  r->link);
		}
	}
	/* The flags mean nothing on other actions: a plain core update by the
	 * CM is still refused, and a handover item read is an ordinary read. */
	struct policy_actor cm = {CM, HEALTH, 0, 1, 0, 1, 0, 0};
	struct policy_item plain = {.category = POLICY_CORE};
	expect_row_reason("assigned CM", "plain core update", &cm, POLICY_UPDATE, &plain,
			  POLICY_R_NOT_AUTHOR_ROLE);
	struct policy_item read = {.category = POLICY_CORE, .hands_over = JOB};
	expect_row_reason("assigned CM", "read", &cm, POLICY_READ, &read, OK);
	/* A side out of range is invalid, never a guess. */
	struct policy_item bad = {.category = POLICY_CORE, .hands_over = (enum policy_org)7};
	expect_row_reason("assigned CM", "bad side", &cm, POLICY_UPDATE, &bad, POLICY_R_INVALID);
}

/* A team's page, its record and its supervision meetings (DESIGN.md
 * section 4, "beyond one case"): expected reasons written by hand. Columns:
 * read the team page, change the team, read its record, add to its record
 * (integration log, glossary), arrange a supervision meeting. The flags
 * describe the actor's membership of that team today. */
struct team_row {
	const char *name;
	struct policy_actor actor;
	enum policy_reason page, change, record, record_add, supervision;
};

#define NIT POLICY_R_NOT_IN_TEAM
#define TAO POLICY_R_TEAM_ADMIN_ONLY
#define TSO POLICY_R_TEAM_SUPERVISOR_ONLY
/* clang-format off */
static const struct team_row team_rows[] = {
	{"CM, current member", {CM, HEALTH, 0, 0, 0, 1, 0, 0}, OK, TAO, OK, OK, TSO},
	{"EC, current member", {EC, JOB, 0, 0, 0, 1, 0, 0}, OK, TAO, OK, OK, TSO},
	{"CM, former member (no flag)", {CM, HEALTH, 0, 1, 0, 0, 0, 0}, NIT, TAO, NIT, NIT, NIT},
	{"supervisor of the team", {SUP, JOB, 0, 0, 0, 1, 1, 0}, OK, TAO, OK, OK, OK},
	{"supervisor, plain member", {SUP, HEALTH, 0, 0, 0, 1, 0, 0}, OK, TAO, OK, OK, TSO},
	{"supervisor, other team, break-glass", {SUP, HEALTH, 0, 0, 0, 0, 0, 1}, NIT, TAO, NIT, NIT,
	 NIT},
	{"CM with a stray supervisor flag", {CM, HEALTH, 0, 0, 0, 0, 1, 0}, NIT, TAO, NIT, NIT, NIT},
	{"service user with team flags", {SU, NONE, 1, 0, 0, 1, 1, 0}, NIT, TAO, NIT, NIT, NIT},
	{"administrator", {ADM, HEALTH, 0, 0, 0, 0, 0, 0}, OK, OK, POLICY_R_ADMIN, POLICY_R_ADMIN,
	 POLICY_R_ADMIN},
	{"researcher, flags set", {RES, NONE, 0, 0, 0, 1, 1, 0}, POLICY_R_RESEARCHER, TAO,
	 POLICY_R_RESEARCHER, POLICY_R_RESEARCHER, POLICY_R_RESEARCHER},
	{"EC recorded at a health org", {EC, HEALTH, 0, 0, 0, 1, 0, 0}, POLICY_R_INVALID_ACTOR,
	 TAO, POLICY_R_INVALID_ACTOR, POLICY_R_INVALID_ACTOR, POLICY_R_INVALID_ACTOR},
};
/* clang-format on */

static void test_team_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof team_rows / sizeof team_rows[0]; i++) {
		const struct team_row *r = &team_rows[i];
		struct policy_item team = {.category = POLICY_TEAM};
		struct policy_item rec = {.category = POLICY_TEAM_RECORD};
		struct policy_item sup = {.category = POLICY_TEAM_RECORD, .supervision = true};
		expect_row_reason(r->name, "read team", &r->actor, POLICY_READ, &team, r->page);
		expect_row_reason(r->name, "change team", &r->actor, POLICY_UPDATE, &team, r->change);
		expect_row_reason(r->name, "create team", &r->actor, POLICY_CREATE, &team, r->change);
		expect_row_reason(r->name, "read record", &r->actor, POLICY_READ, &rec, r->record);
		expect_row_reason(r->name, "add record", &r->actor, POLICY_CREATE, &rec, r->record_add);
		expect_row_reason(r->name, "read supervision", &r->actor, POLICY_READ, &sup, r->record);
		expect_row_reason(r->name, "arrange supervision", &r->actor, POLICY_CREATE, &sup,
				  r->supervision);
		expect_row_reason(r->name, "change supervision", &r->actor, POLICY_UPDATE, &sup,
				  r->supervision);
	}
	assert_string_equal(policy_category_name(POLICY_TEAM), "team");
	enum policy_category c;
	assert_int_equal(policy_category_parse("team", &c), 0);
	assert_int_equal(c, POLICY_TEAM);
}

/* The person's own pages, consent records and meeting minutes: expected
 * reasons by hand. Columns: read a /my page, record a consent, write the
 * minutes of a roundtable (joint). */
struct own_row {
	const char *name;
	struct policy_actor actor;
	enum policy_reason my, consent, minutes;
};

/* clang-format off */
static const struct own_row own_rows[] = {
	{"service user, own case", {SU, NONE, 1, 0, 0, 0, 0, 0}, OK, OK, POLICY_R_MINUTES_WRITER},
	{"service user, another case", {SU, NONE, 0, 0, 0, 0, 0, 0}, POLICY_R_PERSON_ONLY,
	 POLICY_R_PERSON_ONLY, POLICY_R_MINUTES_WRITER},
	{"assigned CM", {CM, HEALTH, 0, 1, 0, 1, 0, 0}, POLICY_R_PERSON_ONLY, POLICY_R_PERSON_ONLY, OK},
	{"assigned EC", {EC, JOB, 0, 0, 1, 1, 0, 0}, POLICY_R_PERSON_ONLY, POLICY_R_PERSON_ONLY, OK},
	{"EC, not assigned", {EC, JOB, 0, 0, 0, 1, 0, 0}, POLICY_R_PERSON_ONLY,
	 POLICY_R_PERSON_ONLY, POLICY_R_MINUTES_WRITER},
	{"team supervisor", {SUP, HEALTH, 0, 0, 0, 1, 1, 0}, POLICY_R_PERSON_ONLY,
	 POLICY_R_PERSON_ONLY, POLICY_R_MINUTES_WRITER},
	{"CM with a stray person flag", {CM, HEALTH, 1, 0, 0, 0, 0, 0}, POLICY_R_PERSON_ONLY,
	 POLICY_R_PERSON_ONLY, POLICY_R_MINUTES_WRITER},
	{"administrator", {ADM, HEALTH, 1, 1, 1, 1, 1, 0}, POLICY_R_ADMIN, POLICY_R_ADMIN,
	 POLICY_R_ADMIN},
};
/* clang-format on */

static void test_person_pages_consent_minutes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof own_rows / sizeof own_rows[0]; i++) {
		const struct own_row *r = &own_rows[i];
		struct policy_item my = {.category = POLICY_CORE, .person_pages = true};
		struct policy_item consent = {.category = POLICY_CORE, .consent_record = true};
		struct policy_item minutes = {.category = POLICY_JOINT, .meeting_minutes = true};
		expect_row_reason(r->name, "my page", &r->actor, POLICY_READ, &my, r->my);
		expect_row_reason(r->name, "consent", &r->actor, POLICY_CREATE, &consent, r->consent);
		expect_row_reason(r->name, "minutes", &r->actor, POLICY_CREATE, &minutes, r->minutes);
	}
	/* Minutes of a therapy session (clinical) stay the CM's: the EC is
	 * assigned, but the clinical rule comes first. */
	struct policy_actor ec = {EC, JOB, 0, 0, 1, 1, 0, 0};
	struct policy_item th = {.category = POLICY_CLINICAL, .meeting_minutes = true};
	expect_row_reason("assigned EC", "therapy minutes", &ec, POLICY_CREATE, &th,
			  POLICY_R_JOBCENTRE_CLINICAL);
	/* Reading the consents is not a consent record write. */
	struct policy_actor cm = {CM, HEALTH, 0, 1, 0, 1, 0, 0};
	struct policy_item read = {.category = POLICY_CORE, .consent_record = true};
	expect_row_reason("assigned CM", "read consents", &cm, POLICY_READ, &read, OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matrix),
	    cmocka_unit_test(test_research_row),
	    cmocka_unit_test(test_clinical_never_to_jobcentre),
	    cmocka_unit_test(test_health_shared_consent),
	    cmocka_unit_test(test_employment_consent),
	    cmocka_unit_test(test_admin_sees_nothing),
	    cmocka_unit_test(test_researcher_sees_nothing),
	    cmocka_unit_test(test_decisions_written_only_by_assigned_ec),
	    cmocka_unit_test(test_private_only_service_user),
	    cmocka_unit_test(test_audit_readers),
	    cmocka_unit_test(test_break_glass),
	    cmocka_unit_test(test_sharing_flags_only_touch_private),
	    cmocka_unit_test(test_invalid_inputs_denied),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_administer),
	    cmocka_unit_test(test_security_events),
	    cmocka_unit_test(test_handover_and_activation),
	    cmocka_unit_test(test_team_rules),
	    cmocka_unit_test(test_person_pages_consent_minutes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
