/* access.h: the facts policy_check needs, read from the database: the
 * case's people and team, the actor's relation to it, and its consents. */
#ifndef IBBIS_ACCESS_H
#define IBBIS_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "domain/accounts/account.h"
#include "policy/policy.h"

struct store_conn;

struct case_ref {
	int64_t id;
	int64_t person_id;
	int64_t team_id;
	int64_t cm_id; /* 0 when none */
	int64_t ec_id; /* 0 when none */
	bool open;
	/* Change counters for cached answers (docs/cache.md): the case's rev,
	 * its newest change in the audit log, the shared generation. */
	int64_t rev, act, gen;
	/* static: the membership role in the team, on the day asked, of the
	 * actor asked for, or NULL */
	const char *team_role;
};

struct case_consents {
	bool health_to_jobcentre;
	bool jobcentre_to_health;
};

/* The case's reference, the actor's role in its team on `today`, and the
 * consents in force now (the newest row per direction), in one statement;
 * consents may be NULL. ERR_NOT_FOUND when there is no such case. */
int access_case_open(struct store_conn *c, int64_t case_id, int64_t actor_id, day_t today,
		     struct case_ref *out, struct case_consents *consents);
/* The actor's relation to the case, from a case_ref opened for this actor
 * (its team_role). break_glass: a reason was given. */
void access_actor(const struct actor *a, const struct case_ref *cr, bool break_glass,
		  struct policy_actor *out);
/* The actor as the policy sees them for one team's page or record (the
 * categories team and team_record): their membership on `today` (to_date
 * is the day a membership ends: from then on it grants nothing). */
void access_team_actor(struct store_conn *c, const struct actor *a, int64_t team_id, day_t today,
		       struct policy_actor *out);
/* The policy's view of an account role and organisation kind. */
enum policy_role access_role(enum account_role r);
enum policy_org access_org(const char *org_kind);
/* The actor's membership role in a team on `today` ("care_manager", ...), or
 * NULL when not a member. static */
const char *access_team_role(struct store_conn *c, int64_t team_id, int64_t user_id, day_t today);

#endif
