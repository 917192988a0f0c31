/* access.c: reading the policy's inputs. */
#include "domain/trust/access.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* The actor's membership role in team $T on date $D: a supervisor's role
 * wins over another held at the same time. */
#define TEAM_ROLE_SQL(team, user, day)                                                            \
	"SELECT role FROM memberships WHERE team_id = " team " AND user_id = " user " AND "       \
	"from_date <= " day " AND (to_date IS NULL OR to_date > " day ") "                      \
	"ORDER BY role = 'supervisor' DESC LIMIT 1"

/* The static name of a membership role, or NULL. */
static const char *team_role_name(const char *r)
{
	static const char *roles[] = {"supervisor", "care_manager", "employment_consultant"};
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (str_eq(r, roles[i]))
			return roles[i];
	return NULL;
}

/* A consent column: the newest row of one direction is the one in force. */
#define CONSENT_COL(dir)                                                                          \
	"(SELECT granted FROM consents WHERE case_id = c.id AND direction = '" dir "' "          \
	"ORDER BY id DESC LIMIT 1)"

/* ud: the case's consents, or NULL when the caller does not want them. */
static int case_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct case_ref *out = elem;
	struct case_consents *consents = ud;
	out->person_id = store_col_int64(st, 0);
	out->team_id = store_col_int64(st, 1);
	out->cm_id = store_col_is_null(st, 2) ? 0 : store_col_int64(st, 2);
	out->ec_id = store_col_is_null(st, 3) ? 0 : store_col_int64(st, 3);
	out->open = str_eq(store_col_text(st, 4, NULL), "open");
	out->rev = store_col_int64(st, 5);
	out->act = store_col_int64(st, 6);
	out->gen = store_col_int64(st, 7);
	if (consents) {
		consents->health_to_jobcentre = store_col_int64(st, 8) != 0;
		consents->jobcentre_to_health = store_col_int64(st, 9) != 0;
	}
	out->team_role = team_role_name(store_col_text(st, 10, NULL));
	return 0;
}

int access_case_open(struct store_conn *c, int64_t case_id, int64_t actor_id, day_t today,
		     struct case_ref *out, struct case_consents *consents)
{
	char d[DATE_STR_LEN];
	date_format(today, d);
	struct store_stmt *st;
	int rc = store_prepare(
		c,
		"SELECT c.person_id, c.team_id, c.care_manager_id, c.employment_consultant_id, "
		"c.status, c.rev, COALESCE((SELECT max(id) FROM audit_log WHERE case_id = c.id AND "
		"action NOT IN ('viewed', 'read')), 0), "
		"COALESCE((SELECT gen FROM cache_gen WHERE id = 1), 0), " CONSENT_COL(
			"health_to_jobcentre") ", " CONSENT_COL("jobcentre_to_health") ", (" TEAM_ROLE_SQL(
			"c.team_id", "$2", "$3") ") FROM cases c WHERE c.id = $1",
		&st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_int64(st, 2, actor_id);
	store_bind_str(st, 3, d);
	out->id = case_id;
	return store_read_row(st, NULL, case_row, consents, out);
}

const char *access_team_role(struct store_conn *c, int64_t team_id, int64_t user_id, day_t today)
{
	char d[DATE_STR_LEN];
	date_format(today, d);
	struct store_stmt *st;
	if (store_prepare(c, TEAM_ROLE_SQL("$1", "$2", "$3"), &st))
		return NULL;
	store_bind_int64(st, 1, team_id);
	store_bind_int64(st, 2, user_id);
	store_bind_str(st, 3, d);
	const char *role = NULL;
	if (store_step(st) == STORE_ROW)
		role = team_role_name(store_col_text(st, 0, NULL));
	store_reset(st);
	return role;
}

enum policy_role access_role(enum account_role r)
{
	switch (r) {
	case ROLE_SERVICE_USER: return POLICY_SERVICE_USER;
	case ROLE_CARE_MANAGER: return POLICY_CARE_MANAGER;
	case ROLE_EMPLOYMENT_CONSULTANT: return POLICY_EMPLOYMENT_CONSULTANT;
	case ROLE_SUPERVISOR: return POLICY_SUPERVISOR;
	case ROLE_RESEARCHER: return POLICY_RESEARCHER;
	case ROLE_ADMIN: return POLICY_ADMIN;
	default: return POLICY_ROLE_INVALID;
	}
}

enum policy_org access_org(const char *kind)
{
	if (str_eq(kind, "health"))
		return POLICY_ORG_HEALTH;
	if (str_eq(kind, "jobcentre"))
		return POLICY_ORG_JOBCENTRE;
	return POLICY_ORG_NONE;
}

void access_actor(const struct actor *a, const struct case_ref *cr, bool break_glass,
		  struct policy_actor *out)
{
	memset(out, 0, sizeof *out);
	out->role = access_role(a->role);
	/* A person's account is held by the referring jobcentre, but they act
	 * for themselves, not for it: to the policy they have no organisation. */
	out->org = a->role == ROLE_SERVICE_USER ? POLICY_ORG_NONE : access_org(a->org_kind);
	out->is_case_person = a->role == ROLE_SERVICE_USER && a->id == cr->person_id;
	out->is_assigned_cm = a->role == ROLE_CARE_MANAGER && a->id == cr->cm_id;
	out->is_assigned_ec = a->role == ROLE_EMPLOYMENT_CONSULTANT && a->id == cr->ec_id;
	if (a->role == ROLE_CARE_MANAGER || a->role == ROLE_EMPLOYMENT_CONSULTANT ||
	    a->role == ROLE_SUPERVISOR) {
		const char *tr = cr->team_role;
		out->is_team_member = tr != NULL;
		out->is_team_supervisor = a->role == ROLE_SUPERVISOR && str_eq(tr, "supervisor");
	}
	out->break_glass = a->role == ROLE_SUPERVISOR && !out->is_team_supervisor && break_glass;
}

void access_team_actor(struct store_conn *c, const struct actor *a, int64_t team_id, day_t today,
		       struct policy_actor *out)
{
	struct case_ref cr = {.team_role = team_id ? access_team_role(c, team_id, a->id, today)
						   : NULL};
	access_actor(a, &cr, false, out);
}
