/* policy.c: the access decision (DESIGN.md section 4, docs/policy.md).
 *
 * Order matters: the absolute rules (admin, researcher, clinical never to
 * the jobcentre, audit never written) come before any relationship, so no
 * flag combination can reach past them. */
#include "policy/policy.h"

#include "base/err.h"
#include "base/str.h"

static const char *const role_names[POLICY_ROLE_COUNT] = {
    [POLICY_SERVICE_USER] = "service_user",
    [POLICY_CARE_MANAGER] = "care_manager",
    [POLICY_EMPLOYMENT_CONSULTANT] = "employment_consultant",
    [POLICY_SUPERVISOR] = "supervisor",
    [POLICY_RESEARCHER] = "researcher",
    [POLICY_ADMIN] = "admin",
};

static const char *const org_names[POLICY_ORG_COUNT] = {
    [POLICY_ORG_NONE] = "none",
    [POLICY_ORG_HEALTH] = "health",
    [POLICY_ORG_JOBCENTRE] = "jobcentre",
};

static const char *const category_names[POLICY_CATEGORY_COUNT] = {
    [POLICY_CORE] = "core",
    [POLICY_CLINICAL] = "clinical",
    [POLICY_HEALTH_SHARED] = "health_shared",
    [POLICY_EMPLOYMENT] = "employment",
    [POLICY_JOINT] = "joint",
    [POLICY_DECISION] = "decision",
    [POLICY_PRIVATE] = "private",
    [POLICY_AUDIT] = "audit",
    [POLICY_TEAM_RECORD] = "team_record",
    [POLICY_INSIGHT] = "insight",
    [POLICY_SURVEY_ANSWER] = "survey_answer",
    [POLICY_RESEARCH] = "research",
    [POLICY_STUDY] = "study",
    [POLICY_SECURITY] = "security",
    [POLICY_TEAM] = "team",
    [POLICY_ADMINISTRATION] = "administration",
    [POLICY_STAFF_WORK] = "staff_work",
};

static const char *const action_names[POLICY_ACTION_COUNT] = {
    [POLICY_READ] = "read",
    [POLICY_CREATE] = "create",
    [POLICY_UPDATE] = "update",
};

static const char *const reason_names[POLICY_REASON_COUNT] = {
    [POLICY_ALLOWED] = "allowed",
    [POLICY_R_INVALID] = "invalid",
    [POLICY_R_INVALID_ACTOR] = "invalid_actor",
    [POLICY_R_ADMIN] = "admin_no_case_content",
    [POLICY_R_RESEARCHER] = "researcher_no_live_case",
    [POLICY_R_JOBCENTRE_CLINICAL] = "jobcentre_never_clinical",
    [POLICY_R_AUDIT_SYSTEM_ONLY] = "audit_system_only",
    [POLICY_R_NOT_OWN_CASE] = "not_own_case",
    [POLICY_R_NOT_ASSIGNED] = "not_assigned",
    [POLICY_R_NEEDS_BREAK_GLASS] = "needs_break_glass_reason",
    [POLICY_R_NOT_IN_TEAM] = "not_in_team",
    [POLICY_R_BREAK_GLASS_READ_ONLY] = "break_glass_read_only",
    [POLICY_R_BREAK_GLASS_NOT_REACHED] = "break_glass_not_reached",
    [POLICY_R_NO_CONSENT] = "no_consent",
    [POLICY_R_OTHER_SIDE] = "other_side",
    [POLICY_R_CLINICAL_HEALTH_ONLY] = "clinical_health_staff_only",
    [POLICY_R_PRIVATE] = "private_to_person",
    [POLICY_R_NOT_PARTICIPANT] = "not_meeting_participant",
    [POLICY_R_AUDIT_READERS] = "audit_person_and_supervisors_only",
    [POLICY_R_DECISION_EC_ONLY] = "decision_assigned_ec_only",
    [POLICY_R_NOT_AUTHOR_ROLE] = "not_author_of_category",
    [POLICY_R_NOT_ITEM_AUTHOR] = "not_item_author",
    [POLICY_R_INSIGHT_SUPERVISORS] = "insight_team_supervisors_only",
    [POLICY_R_OWN_ANSWER_ONLY] = "survey_answer_own_only",
    [POLICY_R_NOT_STUDY_RESEARCHER] = "not_study_researcher",
    [POLICY_R_STUDY_SETTINGS_ONLY] = "admin_study_settings_only",
    [POLICY_R_NOT_STUDY_CREATOR] = "not_study_creator",
    [POLICY_R_STUDY_ADMIN_WRITES] = "study_settings_admin_only",
    [POLICY_R_SECURITY_ADMIN_ONLY] = "security_events_admin_only",
    [POLICY_R_HANDOVER_OWN_SIDE] = "handover_own_side_only",
    [POLICY_R_ACTIVATION_ASSIGNED] = "activation_assigned_only",
    [POLICY_R_TEAM_ADMIN_ONLY] = "team_admin_only",
    [POLICY_R_TEAM_SUPERVISOR_ONLY] = "team_supervisor_only",
    [POLICY_R_PERSON_ONLY] = "person_only",
    [POLICY_R_MINUTES_WRITER] = "minutes_assigned_cm_ec_only",
    [POLICY_R_ADMINISTRATION_ONLY] = "administration_admin_only",
    [POLICY_R_STAFF_ONLY] = "staff_work_staff_only",
    [POLICY_R_NOT_ORGANISER] = "meeting_organiser_only",
};

static const char *name_at(const char *const *table, int count, int i)
{
	if (i < 0 || i >= count || !table[i])
		return "?";
	return table[i];
}

static int parse_in(const char *const *table, int count, const char *s, int *out)
{
	if (!s)
		return ERR_INVALID;
	for (int i = 0; i < count; i++) {
		if (table[i] && str_eq(table[i], s)) {
			*out = i;
			return 0;
		}
	}
	return ERR_INVALID;
}

const char *policy_role_name(enum policy_role r)
{
	return name_at(role_names, POLICY_ROLE_COUNT, (int)r);
}

const char *policy_org_name(enum policy_org o)
{
	return name_at(org_names, POLICY_ORG_COUNT, (int)o);
}

const char *policy_category_name(enum policy_category c)
{
	return name_at(category_names, POLICY_CATEGORY_COUNT, (int)c);
}

const char *policy_action_name(enum policy_action a)
{
	return name_at(action_names, POLICY_ACTION_COUNT, (int)a);
}

const char *policy_reason_name(enum policy_reason r)
{
	return name_at(reason_names, POLICY_REASON_COUNT, (int)r);
}

int policy_administer(enum policy_role role)
{
	struct policy_actor a = {.role = role};
	struct policy_item it = {.category = POLICY_ADMINISTRATION};
	return policy_check(&a, POLICY_READ, &it);
}

int policy_role_parse(const char *s, enum policy_role *out)
{
	int v;
	int rc = parse_in(role_names, POLICY_ROLE_COUNT, s, &v);
	if (rc == 0)
		*out = (enum policy_role)v;
	return rc;
}

int policy_org_parse(const char *s, enum policy_org *out)
{
	int v;
	int rc = parse_in(org_names, POLICY_ORG_COUNT, s, &v);
	if (rc == 0)
		*out = (enum policy_org)v;
	return rc;
}

int policy_category_parse(const char *s, enum policy_category *out)
{
	int v;
	int rc = parse_in(category_names, POLICY_CATEGORY_COUNT, s, &v);
	if (rc == 0)
		*out = (enum policy_category)v;
	return rc;
}

int policy_action_parse(const char *s, enum policy_action *out)
{
	int v;
	int rc = parse_in(action_names, POLICY_ACTION_COUNT, s, &v);
	if (rc == 0)
		*out = (enum policy_action)v;
	return rc;
}

/* Enums can hold any int; check the ranges before indexing anything. */
static bool inputs_valid(const struct policy_actor *actor, enum policy_action action,
			 const struct policy_item *item)
{
	if (!actor || !item)
		return false;
	if ((int)actor->role <= POLICY_ROLE_INVALID || (int)actor->role >= POLICY_ROLE_COUNT)
		return false;
	if ((int)actor->org < POLICY_ORG_NONE || (int)actor->org >= POLICY_ORG_COUNT)
		return false;
	if ((int)action <= POLICY_ACTION_INVALID || (int)action >= POLICY_ACTION_COUNT)
		return false;
	return (int)item->category > POLICY_CATEGORY_INVALID &&
	       (int)item->category < POLICY_CATEGORY_COUNT;
}

/* Each case role belongs to one kind of organisation; anything else is bad
 * data, and bad data is denied rather than guessed at. */
static bool actor_consistent(const struct policy_actor *a)
{
	switch (a->role) {
	case POLICY_SERVICE_USER:
		return a->org == POLICY_ORG_NONE;
	case POLICY_CARE_MANAGER:
		return a->org == POLICY_ORG_HEALTH;
	case POLICY_EMPLOYMENT_CONSULTANT:
		return a->org == POLICY_ORG_JOBCENTRE;
	case POLICY_SUPERVISOR:
		return a->org == POLICY_ORG_HEALTH || a->org == POLICY_ORG_JOBCENTRE;
	default:
		return true;
	}
}

/* A write by an author of the category: updating someone else's item is
 * refused unless the category is not author-bound (core). */
static enum policy_reason write_as_author(enum policy_action action, const struct policy_item *item,
					  bool author_bound)
{
	if (action == POLICY_UPDATE && author_bound && !item->actor_is_author)
		return POLICY_R_NOT_ITEM_AUTHOR;
	return POLICY_ALLOWED;
}

/* A professional reading the person's preparation notes: only once shared
 * with a meeting, and only as a participant of that meeting. */
static enum policy_reason private_read(const struct policy_item *item)
{
	if (!item->shared_with_meeting)
		return POLICY_R_PRIVATE;
	if (!item->actor_in_meeting)
		return POLICY_R_NOT_PARTICIPANT;
	return POLICY_ALLOWED;
}

static enum policy_reason decide_person(const struct policy_actor *a, enum policy_action action,
					const struct policy_item *item)
{
	if (!a->is_case_person)
		return POLICY_R_NOT_OWN_CASE;
	if (action == POLICY_READ)
		return item->category == POLICY_CLINICAL ? POLICY_R_CLINICAL_HEALTH_ONLY
							 : POLICY_ALLOWED;
	switch (item->category) {
	case POLICY_JOINT:
	case POLICY_PRIVATE:
		return write_as_author(action, item, true);
	case POLICY_DECISION:
		return POLICY_R_DECISION_EC_ONLY;
	default:
		return POLICY_R_NOT_AUTHOR_ROLE;
	}
}

static enum policy_reason cm_read(const struct policy_item *item)
{
	switch (item->category) {
	case POLICY_CORE:
	case POLICY_CLINICAL:
	case POLICY_HEALTH_SHARED:
	case POLICY_JOINT:
	case POLICY_DECISION:
		return POLICY_ALLOWED;
	case POLICY_EMPLOYMENT:
		return item->consent_jobcentre_to_health ? POLICY_ALLOWED : POLICY_R_NO_CONSENT;
	case POLICY_PRIVATE:
		return private_read(item);
	default:
		return POLICY_R_AUDIT_READERS;
	}
}

static enum policy_reason decide_cm(const struct policy_actor *a, enum policy_action action,
				    const struct policy_item *item)
{
	if (!a->is_assigned_cm)
		return POLICY_R_NOT_ASSIGNED;
	if (action == POLICY_READ)
		return cm_read(item);
	switch (item->category) {
	case POLICY_CLINICAL:
	case POLICY_HEALTH_SHARED:
	case POLICY_JOINT:
		return write_as_author(action, item, true);
	case POLICY_DECISION:
		return POLICY_R_DECISION_EC_ONLY;
	default:
		return POLICY_R_NOT_AUTHOR_ROLE;
	}
}

static enum policy_reason ec_read(const struct policy_item *item)
{
	switch (item->category) {
	case POLICY_CORE:
	case POLICY_EMPLOYMENT:
	case POLICY_JOINT:
	case POLICY_DECISION:
		return POLICY_ALLOWED;
	case POLICY_HEALTH_SHARED:
		return item->consent_health_to_jobcentre ? POLICY_ALLOWED : POLICY_R_NO_CONSENT;
	case POLICY_CLINICAL:
		return POLICY_R_JOBCENTRE_CLINICAL; /* caught earlier; kept for safety */
	case POLICY_PRIVATE:
		return private_read(item);
	default:
		return POLICY_R_AUDIT_READERS;
	}
}

static enum policy_reason decide_ec(const struct policy_actor *a, enum policy_action action,
				    const struct policy_item *item)
{
	if (!a->is_assigned_ec)
		return POLICY_R_NOT_ASSIGNED;
	if (action == POLICY_READ)
		return ec_read(item);
	switch (item->category) {
	case POLICY_CORE:
		return write_as_author(action, item, false);
	case POLICY_EMPLOYMENT:
	case POLICY_JOINT:
	case POLICY_DECISION:
		return write_as_author(action, item, true);
	default:
		return POLICY_R_NOT_AUTHOR_ROLE;
	}
}

/* What a supervisor's side reaches among the categories both a team
 * supervisor and a break-glass read can see. */
static enum policy_reason side_read(const struct policy_actor *a, enum policy_category cat)
{
	switch (cat) {
	case POLICY_CLINICAL:
	case POLICY_HEALTH_SHARED:
		return a->org == POLICY_ORG_HEALTH ? POLICY_ALLOWED : POLICY_R_OTHER_SIDE;
	case POLICY_EMPLOYMENT:
		return a->org == POLICY_ORG_JOBCENTRE ? POLICY_ALLOWED : POLICY_R_OTHER_SIDE;
	default: /* core, joint, decision */
		return POLICY_ALLOWED;
	}
}

static enum policy_reason team_supervisor(const struct policy_actor *a, enum policy_action action,
					  const struct policy_item *item)
{
	if (action == POLICY_READ) {
		if (item->category == POLICY_PRIVATE)
			return private_read(item);
		if (item->category == POLICY_AUDIT)
			return POLICY_ALLOWED;
		return side_read(a, item->category);
	}
	if (item->category == POLICY_CORE) /* assignment and handover */
		return write_as_author(action, item, false);
	if (item->category == POLICY_DECISION)
		return POLICY_R_DECISION_EC_ONLY;
	return POLICY_R_NOT_AUTHOR_ROLE;
}

/* A break-glass read reaches what the supervisor needs to act on the case,
 * never the person's private notes or their access log. */
static enum policy_reason break_glass_read(const struct policy_actor *a,
					   const struct policy_item *item)
{
	if (item->category == POLICY_PRIVATE || item->category == POLICY_AUDIT)
		return POLICY_R_BREAK_GLASS_NOT_REACHED;
	return side_read(a, item->category);
}

static enum policy_reason decide_supervisor(const struct policy_actor *a, enum policy_action action,
					    const struct policy_item *item)
{
	if (a->is_team_supervisor)
		return team_supervisor(a, action, item);
	enum policy_reason glass = break_glass_read(a, item);
	if (!a->break_glass) {
		if (action == POLICY_READ && glass == POLICY_ALLOWED)
			return POLICY_R_NEEDS_BREAK_GLASS;
		return POLICY_R_NOT_IN_TEAM;
	}
	if (action != POLICY_READ)
		return POLICY_R_BREAK_GLASS_READ_ONLY;
	return glass;
}

static bool team_category(enum policy_category c)
{
	return c == POLICY_TEAM_RECORD || c == POLICY_INSIGHT || c == POLICY_SURVEY_ANSWER;
}

/* A team's own items (section 4, beyond one case). Membership on the day
 * asked is the caller's fact; the person is never part of a team. */
static enum policy_reason decide_team(const struct policy_actor *a, enum policy_action action,
				      const struct policy_item *item)
{
	bool supervisor = a->role == POLICY_SUPERVISOR && a->is_team_supervisor;
	bool member = a->role != POLICY_SERVICE_USER && a->is_team_member;
	if (!supervisor && !member)
		return POLICY_R_NOT_IN_TEAM;
	switch (item->category) {
	case POLICY_TEAM_RECORD: /* the team's shared records, versioned */
		/* supervision meetings are arranged by the team's supervisors */
		if (item->supervision && action != POLICY_READ && !supervisor)
			return POLICY_R_TEAM_SUPERVISOR_ONLY;
		return POLICY_ALLOWED;
	case POLICY_INSIGHT:
		return supervisor ? POLICY_ALLOWED : POLICY_R_INSIGHT_SUPERVISORS;
	default: /* survey_answer: anyone in the team answers; only they read it */
		if (action == POLICY_CREATE || item->actor_is_author)
			return POLICY_ALLOWED;
		return POLICY_R_OWN_ANSWER_ONLY;
	}
}

/* The research row (DESIGN.md section 4): a study's content is for the
 * researchers granted to it; its settings are made by an administrator,
 * changed only by the one who made it, and read by that administrator and
 * the study's researchers. Nothing here reaches a live case. */
static enum policy_reason decide_research(const struct policy_actor *a, enum policy_action action,
					  const struct policy_item *item)
{
	bool researcher = a->role == POLICY_RESEARCHER && a->is_study_researcher;
	if (item->category == POLICY_RESEARCH) {
		if (researcher)
			return POLICY_ALLOWED;
		return a->role == POLICY_ADMIN ? POLICY_R_STUDY_SETTINGS_ONLY
					       : POLICY_R_NOT_STUDY_RESEARCHER;
	}
	if (a->role == POLICY_ADMIN) {
		if (action == POLICY_CREATE || a->is_study_creator)
			return POLICY_ALLOWED;
		return POLICY_R_NOT_STUDY_CREATOR;
	}
	if (!researcher)
		return POLICY_R_NOT_STUDY_RESEARCHER;
	return action == POLICY_READ ? POLICY_ALLOWED : POLICY_R_STUDY_ADMIN_WRITES;
}

/* Handing over a role: the side the role belongs to, and only the role's
 * current holder or a supervisor of the team on that side. A case role
 * belongs to one kind of organisation, so its holder's org is the side. */
static enum policy_reason decide_handover(const struct policy_actor *a,
					  const struct policy_item *item)
{
	if (item->hands_over != POLICY_ORG_HEALTH && item->hands_over != POLICY_ORG_JOBCENTRE)
		return POLICY_R_INVALID;
	if (a->role == POLICY_SERVICE_USER)
		return a->is_case_person ? POLICY_R_NOT_AUTHOR_ROLE : POLICY_R_NOT_OWN_CASE;
	if (a->role == POLICY_SUPERVISOR && !a->is_team_supervisor)
		return a->break_glass ? POLICY_R_BREAK_GLASS_READ_ONLY : POLICY_R_NOT_IN_TEAM;
	bool holder = (a->role == POLICY_CARE_MANAGER && a->is_assigned_cm) ||
		      (a->role == POLICY_EMPLOYMENT_CONSULTANT && a->is_assigned_ec) ||
		      a->role == POLICY_SUPERVISOR;
	if (!holder)
		return POLICY_R_NOT_ASSIGNED;
	return a->org == item->hands_over ? POLICY_ALLOWED : POLICY_R_HANDOVER_OWN_SIDE;
}

/* The person's activation link: made by their assigned CM or EC only. */
static enum policy_reason decide_activation(const struct policy_actor *a)
{
	if (a->role == POLICY_SERVICE_USER)
		return a->is_case_person ? POLICY_R_NOT_AUTHOR_ROLE : POLICY_R_NOT_OWN_CASE;
	if ((a->role == POLICY_CARE_MANAGER && a->is_assigned_cm) ||
	    (a->role == POLICY_EMPLOYMENT_CONSULTANT && a->is_assigned_ec))
		return POLICY_ALLOWED;
	return POLICY_R_ACTIVATION_ASSIGNED;
}

/* The team's page: its current members (any staff role) and the
 * administrator, who alone changes teams. */
static enum policy_reason decide_team_page(const struct policy_actor *a, enum policy_action action)
{
	if (a->role == POLICY_ADMIN) /* the administrator manages teams */
		return POLICY_ALLOWED;
	if (action != POLICY_READ)
		return POLICY_R_TEAM_ADMIN_ONLY;
	if (a->role == POLICY_RESEARCHER)
		return POLICY_R_RESEARCHER;
	if (!actor_consistent(a))
		return POLICY_R_INVALID_ACTOR;
	bool staff = a->role == POLICY_CARE_MANAGER || a->role == POLICY_EMPLOYMENT_CONSULTANT ||
		     a->role == POLICY_SUPERVISOR;
	bool supervisor = a->role == POLICY_SUPERVISOR && a->is_team_supervisor;
	return staff && (a->is_team_member || supervisor) ? POLICY_ALLOWED : POLICY_R_NOT_IN_TEAM;
}

/* Who organises a case meeting: the kind decides which assigned role. */
static enum policy_reason decide_organise(const struct policy_actor *a,
					  const struct policy_item *item)
{
	bool cm = a->role == POLICY_CARE_MANAGER && a->is_assigned_cm;
	bool ec = a->role == POLICY_EMPLOYMENT_CONSULTANT && a->is_assigned_ec;
	switch (item->organise) {
	case POLICY_MEETING_ROUNDTABLE:
		return cm || ec ? POLICY_ALLOWED : POLICY_R_NOT_ORGANISER;
	case POLICY_MEETING_FOLLOWUP:
		return ec ? POLICY_ALLOWED : POLICY_R_NOT_ORGANISER;
	case POLICY_MEETING_THERAPY:
		return cm ? POLICY_ALLOWED : POLICY_R_NOT_ORGANISER;
	default:
		return POLICY_R_INVALID;
	}
}

/* A professional's own working tools: the three staff roles, each in an
 * organisation of its kind. */
static enum policy_reason decide_staff_work(const struct policy_actor *a)
{
	bool staff = a->role == POLICY_CARE_MANAGER || a->role == POLICY_EMPLOYMENT_CONSULTANT ||
		     a->role == POLICY_SUPERVISOR;
	if (!staff)
		return POLICY_R_STAFF_ONLY;
	return actor_consistent(a) ? POLICY_ALLOWED : POLICY_R_INVALID_ACTOR;
}

static enum policy_reason decide(const struct policy_actor *actor, enum policy_action action,
				 const struct policy_item *item)
{
	if (!inputs_valid(actor, action, item))
		return POLICY_R_INVALID;
	/* Administration is the administrator's, whatever is done to it. */
	if (item->category == POLICY_ADMINISTRATION)
		return actor->role == POLICY_ADMIN ? POLICY_ALLOWED : POLICY_R_ADMINISTRATION_ONLY;
	if (item->category == POLICY_STAFF_WORK)
		return decide_staff_work(actor);
	if (item->category == POLICY_RESEARCH || item->category == POLICY_STUDY)
		return decide_research(actor, action, item);
	/* Security events: the administrator reads them (DESIGN.md section 4);
	 * only the system writes them, as audit entries. */
	if (item->category == POLICY_SECURITY)
		return actor->role == POLICY_ADMIN && action == POLICY_READ
			   ? POLICY_ALLOWED
			   : POLICY_R_SECURITY_ADMIN_ONLY;
	if (item->category == POLICY_TEAM)
		return decide_team_page(actor, action);
	if (actor->role == POLICY_ADMIN)
		return POLICY_R_ADMIN;
	if (actor->role == POLICY_RESEARCHER)
		return POLICY_R_RESEARCHER;
	if (!actor_consistent(actor))
		return POLICY_R_INVALID_ACTOR;
	if (team_category(item->category))
		return decide_team(actor, action, item);
	if (item->category == POLICY_CLINICAL && actor->org == POLICY_ORG_JOBCENTRE)
		return POLICY_R_JOBCENTRE_CLINICAL;
	if (item->category == POLICY_AUDIT && action != POLICY_READ)
		return POLICY_R_AUDIT_SYSTEM_ONLY;
	if (item->category == POLICY_CORE && action == POLICY_UPDATE && item->hands_over)
		return decide_handover(actor, item);
	if (item->category == POLICY_CORE && action == POLICY_CREATE && item->person_account)
		return decide_activation(actor);
	bool person = actor->role == POLICY_SERVICE_USER && actor->is_case_person;
	if (item->consent_record && action != POLICY_READ) /* the person's own decision */
		return person ? POLICY_ALLOWED : POLICY_R_PERSON_ONLY;
	if (item->person_pages && !person)
		return POLICY_R_PERSON_ONLY;
	if (item->meeting_minutes && action != POLICY_READ &&
	    !(actor->role == POLICY_CARE_MANAGER && actor->is_assigned_cm) &&
	    !(actor->role == POLICY_EMPLOYMENT_CONSULTANT && actor->is_assigned_ec))
		return POLICY_R_MINUTES_WRITER;
	if (item->organise && action != POLICY_READ)
		return decide_organise(actor, item);
	switch (actor->role) {
	case POLICY_SERVICE_USER:
		return decide_person(actor, action, item);
	case POLICY_CARE_MANAGER:
		return decide_cm(actor, action, item);
	case POLICY_EMPLOYMENT_CONSULTANT:
		return decide_ec(actor, action, item);
	case POLICY_SUPERVISOR:
		return decide_supervisor(actor, action, item);
	default:
		return POLICY_R_INVALID;
	}
}

int policy_explain(const struct policy_actor *actor, enum policy_action action,
		   const struct policy_item *item, enum policy_reason *why)
{
	enum policy_reason r = decide(actor, action, item);
	if (why)
		*why = r;
	return r == POLICY_ALLOWED ? 0 : ERR_FORBIDDEN;
}

int policy_check(const struct policy_actor *actor, enum policy_action action,
		 const struct policy_item *item)
{
	return policy_explain(actor, action, item, NULL);
}
