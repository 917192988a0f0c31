/* case.c: the referral. */
#include "domain/cases/case.h"

#include <sodium.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/cases/case_int.h"
#include "domain/cases/case_periods.h"
#include "domain/cases/cpr.h"
#include "domain/messages/outbox.h"
#include "domain/messages/prefs.h"
#include "domain/teams/team.h"
#include "store/store.h"

static const char *const employments[] = {"employee", "self_employed", "unemployed"};

int case_referrer_check(const struct actor *a)
{
	if (a->role == ROLE_EMPLOYMENT_CONSULTANT)
		return 0;
	if (a->role == ROLE_SUPERVISOR && str_eq(a->org_kind, "jobcentre"))
		return 0;
	return ERR_FORBIDDEN;
}

const char *case_employment_static(const char *s)
{
	for (size_t i = 0; i < sizeof employments / sizeof employments[0]; i++)
		if (str_eq(s, employments[i]))
			return employments[i];
	return NULL;
}

struct referral {
	const char *name, *cpr_in, *contact, *first_absence_day, *employment;
	const char *email; /* the person's own address for messages, or NULL */
	char cpr[CPR_LEN];
	json_t *absences, *earlier;
	int64_t team, cm, ec;
};

static int referral_fields(struct in_ctx *x, json_t *in, struct referral *r)
{
	int rc = in_text(x, in, "name", "name", IN_REQUIRED, CASE_NAME_MAX, "cases.err.name",
			 &r->name);
	if (!rc)
		rc = in_text(x, in, "cpr", "cpr", IN_REQUIRED, 16, "cases.err.cpr", &r->cpr_in);
	if (!rc && cpr_parse(r->cpr_in, r->cpr, NULL))
		rc = in_fail(x, "cpr", "cases.err.cpr");
	if (!rc)
		rc = in_text(x, in, "contact", "contact", IN_NULLABLE, CASE_CONTACT_MAX,
			     "cases.err.contact", &r->contact);
	if (!rc)
		rc = in_text(x, in, "email", "email", IN_NULLABLE, OUTBOX_EMAIL_MAX,
			     "messages.err.email", &r->email);
	if (!rc && r->email && *r->email && !outbox_email_ok(r->email))
		rc = in_fail(x, "email", "messages.err.email");
	if (!rc)
		rc = in_date(x, in, "first_absence_day", "first_absence_day", IN_REQUIRED,
			     "cases.err.first_absence_day", &r->first_absence_day, NULL);
	const char *emp = NULL;
	if (!rc)
		rc = in_text(x, in, "employment", "employment", IN_NULLABLE, 32,
			     "cases.err.employment", &emp);
	r->employment = emp ? case_employment_static(emp) : "employee";
	if (!rc && !r->employment)
		rc = in_fail(x, "employment", "cases.err.employment");
	if (!rc)
		rc = in_array(x, in, "absences", "cases.err.absences", &r->absences);
	if (!rc)
		rc = in_array(x, in, "earlier_benefit", "cases.err.earlier_benefit", &r->earlier);
	if (!rc)
		rc = in_id(x, in, "team", "team", IN_REQUIRED, "cases.err.team", &r->team);
	if (!rc)
		rc = in_id(x, in, "care_manager", "care_manager", IN_REQUIRED,
			   "cases.err.care_manager", &r->cm);
	if (!rc)
		rc = in_id(x, in, "employment_consultant", "employment_consultant", IN_REQUIRED,
			   "cases.err.employment_consultant", &r->ec);
	return rc;
}

static bool team_found(struct store_conn *c, int64_t id)
{
	struct store_stmt *st;
	if (store_prepare(c, "SELECT 1 FROM teams WHERE id = $1", &st))
		return false;
	store_bind_int64(st, 1, id);
	bool yes = store_step(st) == STORE_ROW;
	store_reset(st);
	return yes;
}

/* The CM must be a care_manager member of the team today, the EC an
 * employment_consultant member (team_role_on also checks the dates). */
static int referral_people(struct store_conn *c, struct in_ctx *x, const struct referral *r,
			   day_t today)
{
	if (!team_found(c, r->team))
		return in_fail(x, "team", "cases.err.team");
	if (!str_eq(team_role_on(c, r->team, r->cm, today), "care_manager"))
		return in_fail(x, "care_manager", "cases.err.care_manager");
	if (!str_eq(team_role_on(c, r->team, r->ec, today), "employment_consultant"))
		return in_fail(x, "employment_consultant", "cases.err.employment_consultant");
	return 0;
}

/* Lower-case ASCII letters of the first name (æ ø å spelled out). */
static void username_stem(const char *name, char *out, size_t outsz)
{
	static const struct {
		const char *utf8, *ascii;
	} map[] = {{"\xc3\xa6", "ae"}, {"\xc3\x86", "ae"}, {"\xc3\xb8", "oe"},
		   {"\xc3\x98", "oe"}, {"\xc3\xa5", "aa"}, {"\xc3\x85", "aa"}};
	size_t n = 0;
	for (const char *p = name; *p && *p != ' ' && n + 3 < outsz && n < 12;) {
		char ch = *p;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch >= 'a' && ch <= 'z') {
			out[n++] = ch;
			p++;
			continue;
		}
		bool mapped = false;
		for (size_t i = 0; i < sizeof map / sizeof map[0] && !mapped; i++)
			if (str_starts_with(p, map[i].utf8)) {
				out[n++] = map[i].ascii[0];
				out[n++] = map[i].ascii[1];
				p += 2;
				mapped = true;
			}
		if (!mapped)
			p++;
	}
	if (n == 0) {
		str_copy(out, outsz, "borger");
		return;
	}
	out[n] = '\0';
}

static bool username_taken(struct store_conn *c, const char *u)
{
	struct store_stmt *st;
	if (store_prepare(c, "SELECT 1 FROM users WHERE username = $1", &st))
		return true;
	store_bind_str(st, 1, u);
	int64_t one;
	return store_read_int64(st, &one) != ERR_NOT_FOUND;
}

/* The person's account; "!" is no argon2 hash, so no password matches it
 * until activation. No organisation for now: the policy requires a service
 * user's organisation kind to be "none", and access_actor passes the
 * account's kind through. The referring jobcentre is the organisation of
 * cases.referred_by. (Once access_actor maps service users to ORG_NONE,
 * set organisation_id from the referral's EC here, as account.h says.) */
static int person_create(struct store_conn *c, const struct referral *r, int64_t now,
			 int64_t *id)
{
	char stem[32], user[48];
	username_stem(r->name, stem, sizeof stem);
	int tries = 0;
	do {
		str_fmt(user, sizeof user, "%s.%04u", stem, (unsigned)randombytes_uniform(10000));
	} while (username_taken(c, user) && ++tries < 20);
	if (tries == 20)
		return ERR_CONFLICT;
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO users (username, name, password_hash, role, "
			       "organisation_id, created_at, disabled) VALUES ($1, $2, '!', "
			       "'service_user', NULL, $3, 0) RETURNING id",
			       &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, user);
	store_bind_str(st, 2, r->name);
	store_bind_int64(st, 3, now);
	return store_step_id(st, id);
}

/* The person a CPR number already belongs to (the earliest case's), or 0. */
static int person_by_cpr(struct store_conn *c, const char *cpr, int64_t *id)
{
	*id = 0;
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT person_id FROM cases WHERE cpr = $1 ORDER BY id LIMIT 1",
			       &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, cpr);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*id = store_col_int64(st, 0);
		store_reset(st);
		return 0;
	}
	return rc < 0 ? rc : 0;
}

static int case_insert(struct store_conn *c, const struct referral *r, int64_t person,
		       int64_t by, const char *today, int64_t now, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(
		c,
		"INSERT INTO cases (person_id, name, cpr, contact, first_absence_day, employment, "
		"team_id, care_manager_id, employment_consultant_id, referred_by, referred_on, "
		"created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
		"$12, $12) RETURNING id",
		&st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, person);
	store_bind_str(st, 2, r->name);
	store_bind_str(st, 3, r->cpr);
	store_bind_str(st, 4, r->contact ? r->contact : "");
	store_bind_str(st, 5, r->first_absence_day);
	store_bind_str(st, 6, r->employment);
	store_bind_int64(st, 7, r->team);
	store_bind_int64(st, 8, r->cm);
	store_bind_int64(st, 9, r->ec);
	store_bind_int64(st, 10, by);
	store_bind_str(st, 11, today);
	store_bind_int64(st, 12, now);
	return store_step_id(st, id);
}

int case_assignment_add(struct store_conn *c, int64_t case_id, const char *role, int64_t user,
			const char *from, const char *reason, int64_t by, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO assignments (case_id, role, user_id, from_date, reason, "
			       "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_str(st, 2, role);
	store_bind_int64(st, 3, user);
	store_bind_str(st, 4, from);
	store_bind_str(st, 5, reason ? reason : "");
	store_bind_int64(st, 6, by);
	store_bind_int64(st, 7, now);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

static int refer_tx(struct store_conn *c, struct in_ctx *x, const struct actor *by,
		    struct referral *r, day_t today, int64_t now, int64_t *case_id, bool *existing)
{
	char ts[DATE_STR_LEN];
	date_format(today, ts);
	int64_t person = 0;
	int rc = referral_people(c, x, r, today);
	/* One person, one account: a CPR number seen before links the new case
	 * to that person's account instead of making a second one. */
	if (!rc)
		rc = person_by_cpr(c, r->cpr, &person);
	*existing = person != 0;
	if (!rc && !person)
		rc = person_create(c, r, now, &person);
	if (!rc && r->email && *r->email)
		rc = prefs_set_email(c, person, r->email);
	if (!rc)
		rc = case_insert(c, r, person, by->id, ts, now, case_id);
	if (!rc && r->absences)
		rc = case_periods_absences(c, x, *case_id, r->absences);
	if (!rc && !r->absences) {
		json_t *def = json_pack("[{s:s, s:n}]", "from", r->first_absence_day, "to");
		rc = case_periods_absences(c, x, *case_id, def);
		json_decref(def);
	}
	if (!rc && r->earlier)
		rc = case_periods_earlier(c, x, *case_id, r->earlier);
	if (!rc)
		rc = case_assignment_add(c, *case_id, "care_manager", r->cm, ts, "", by->id, now);
	if (!rc)
		rc = case_assignment_add(c, *case_id, "employment_consultant", r->ec, ts, "", by->id,
					 now);
	return rc;
}

int case_refer(struct store_conn *c, struct in_ctx *x, const struct actor *by, json_t *in,
	       day_t today, int64_t now, int64_t *case_id, bool *existing)
{
	struct referral r;
	memset(&r, 0, sizeof r);
	int rc = referral_fields(x, in, &r);
	if (rc)
		return rc;
	rc = store_begin_write(c);
	if (rc)
		return rc;
	rc = refer_tx(c, x, by, &r, today, now, case_id, existing);
	return store_end(c, rc);
}
