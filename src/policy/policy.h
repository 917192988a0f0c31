/* policy.h: who may read and write what (DESIGN.md section 4).
 *
 * Pure: no I/O, no globals, no allocation. The caller computes the actor's
 * relationship to the case and the case's active consents from the database
 * and passes them in; policy_check only decides. docs/policy.md has the full
 * table and every choice the design left open.
 *
 * Fail closed: a zero-initialised actor or item, an enum out of range or a
 * NULL pointer is always denied. */
#ifndef IBBIS_POLICY_H
#define IBBIS_POLICY_H

#include <stdbool.h>

/* Role ids as in DESIGN.md section 1. 0 is deliberately invalid. */
enum policy_role {
	POLICY_ROLE_INVALID = 0,
	POLICY_SERVICE_USER,
	POLICY_CARE_MANAGER,
	POLICY_EMPLOYMENT_CONSULTANT,
	POLICY_SUPERVISOR, /* side comes from org */
	POLICY_RESEARCHER,
	POLICY_ADMIN,
	POLICY_ROLE_COUNT
};

/* The kind of the actor's organisation. */
enum policy_org {
	POLICY_ORG_NONE = 0, /* service users, researchers */
	POLICY_ORG_HEALTH,
	POLICY_ORG_JOBCENTRE,
	POLICY_ORG_COUNT
};

/* Item categories (DESIGN.md section 4). 0 is deliberately invalid. */
enum policy_category {
	POLICY_CATEGORY_INVALID = 0,
	POLICY_CORE,
	POLICY_CLINICAL,
	POLICY_HEALTH_SHARED,
	POLICY_EMPLOYMENT,
	POLICY_JOINT,
	POLICY_DECISION,
	POLICY_PRIVATE,
	POLICY_AUDIT,
	/* Beyond one case (DESIGN.md section 4, second table): the item is a
	 * team's, and is_team_member / is_team_supervisor name that team. */
	POLICY_TEAM_RECORD,   /* integration log, glossary, supervision */
	POLICY_INSIGHT,	      /* a team's aggregates: supervisors only */
	POLICY_SURVEY_ANSWER, /* one professional's answers: theirs only */
	POLICY_RESEARCH,      /* a study's documents, codes, codings, exports */
	POLICY_STUDY,	      /* a study's settings: name, teams, period, researchers */
	POLICY_SECURITY,      /* security events (refused attempts, break-glass): admins read */
	/* The team itself: its page (members, the organisation chart). Read by
	 * its current members and the administrator, changed by the
	 * administrator. is_team_member / is_team_supervisor name that team. */
	POLICY_TEAM,
	/* Administration: organisations, sites, teams, memberships, accounts,
	 * the outbox and the administrator's log. The administrator's alone,
	 * any action; it gives no case content. */
	POLICY_ADMINISTRATION,
	/* Staff work: a professional's own working tools that hold no case
	 * content by themselves (the day page, the survey instruments, a
	 * team's meeting calendar when booking). Care managers, employment
	 * consultants and supervisors, any action. */
	POLICY_STAFF_WORK,
	POLICY_CATEGORY_COUNT
};

/* A case meeting's kind, for the organiser rule (policy_item.organise).
 * 0: not a question of organising. */
enum policy_meeting {
	POLICY_MEETING_NONE = 0,
	POLICY_MEETING_ROUNDTABLE,
	POLICY_MEETING_FOLLOWUP,
	POLICY_MEETING_THERAPY,
	POLICY_MEETING_COUNT
};

/* Write is split: CREATE makes a new item (or a new version of a versioned
 * one, such as the plan); UPDATE changes an existing item and, outside
 * core, needs item.actor_is_author. 0 is deliberately invalid. */
enum policy_action {
	POLICY_ACTION_INVALID = 0,
	POLICY_READ,
	POLICY_CREATE,
	POLICY_UPDATE,
	POLICY_ACTION_COUNT
};

/* Why a request was allowed or denied: machine codes for audit entries and
 * tests (policy_reason_name). Never shown together with content. */
enum policy_reason {
	POLICY_ALLOWED = 0,
	POLICY_R_INVALID,		  /* "invalid": NULL or enum out of range */
	POLICY_R_INVALID_ACTOR,		  /* "invalid_actor": role and org do not fit */
	POLICY_R_ADMIN,			  /* "admin_no_case_content" */
	POLICY_R_RESEARCHER,		  /* "researcher_no_live_case" */
	POLICY_R_JOBCENTRE_CLINICAL,	  /* "jobcentre_never_clinical" */
	POLICY_R_AUDIT_SYSTEM_ONLY,	  /* "audit_system_only": no one writes audit */
	POLICY_R_NOT_OWN_CASE,		  /* "not_own_case" */
	POLICY_R_NOT_ASSIGNED,		  /* "not_assigned" */
	POLICY_R_NEEDS_BREAK_GLASS,	  /* "needs_break_glass_reason" */
	POLICY_R_NOT_IN_TEAM,		  /* "not_in_team" */
	POLICY_R_BREAK_GLASS_READ_ONLY,	  /* "break_glass_read_only" */
	POLICY_R_BREAK_GLASS_NOT_REACHED, /* "break_glass_not_reached" */
	POLICY_R_NO_CONSENT,		  /* "no_consent" */
	POLICY_R_OTHER_SIDE,		  /* "other_side": the other sector's category */
	POLICY_R_CLINICAL_HEALTH_ONLY,	  /* "clinical_health_staff_only" */
	POLICY_R_PRIVATE,		  /* "private_to_person" */
	POLICY_R_NOT_PARTICIPANT,	  /* "not_meeting_participant" */
	POLICY_R_AUDIT_READERS,		  /* "audit_person_and_supervisors_only" */
	POLICY_R_DECISION_EC_ONLY,	  /* "decision_assigned_ec_only" */
	POLICY_R_NOT_AUTHOR_ROLE,	  /* "not_author_of_category" */
	POLICY_R_NOT_ITEM_AUTHOR,	  /* "not_item_author": update of another's item */
	POLICY_R_INSIGHT_SUPERVISORS,	  /* "insight_team_supervisors_only" */
	POLICY_R_OWN_ANSWER_ONLY,	  /* "survey_answer_own_only" */
	POLICY_R_NOT_STUDY_RESEARCHER,	  /* "not_study_researcher" */
	POLICY_R_STUDY_SETTINGS_ONLY,	  /* "admin_study_settings_only" */
	POLICY_R_NOT_STUDY_CREATOR,	  /* "not_study_creator" */
	POLICY_R_STUDY_ADMIN_WRITES,	  /* "study_settings_admin_only" */
	POLICY_R_SECURITY_ADMIN_ONLY,	  /* "security_events_admin_only": read, never written */
	POLICY_R_HANDOVER_OWN_SIDE,	  /* "handover_own_side_only" */
	POLICY_R_ACTIVATION_ASSIGNED,	  /* "activation_assigned_only" */
	POLICY_R_TEAM_ADMIN_ONLY,	  /* "team_admin_only": teams are the admin's to change */
	POLICY_R_TEAM_SUPERVISOR_ONLY, /* "team_supervisor_only": supervision is arranged by them */
	POLICY_R_PERSON_ONLY,	       /* "person_only": /my pages and consents */
	POLICY_R_MINUTES_WRITER,       /* "minutes_assigned_cm_ec_only" */
	POLICY_R_ADMINISTRATION_ONLY,  /* "administration_admin_only" */
	POLICY_R_STAFF_ONLY,
	POLICY_R_NOT_ORGANISER, /* "staff_work_staff_only" */
	POLICY_REASON_COUNT
};

/* Who is asking, and how they stand to this case. A relationship flag only
 * counts for the role it belongs to (is_assigned_cm for a care manager, ...);
 * on any other role it grants nothing. */
struct policy_actor {
	enum policy_role role;
	enum policy_org org;
	bool is_case_person;	  /* service user: this is their own case */
	bool is_assigned_cm;	  /* care manager: the case's assigned CM now */
	bool is_assigned_ec;	  /* employment consultant: the assigned EC now */
	bool is_team_member;	  /* a member of the case's team (grants nothing alone) */
	bool is_team_supervisor;  /* supervisor: supervises the case's team */
	bool break_glass;	  /* supervisor outside the team gave a reason */
	bool is_study_researcher; /* researcher: granted to the item's study */
	bool is_study_creator;	  /* admin: made the item's study */
};

/* What is asked for. Consents are the case's, active at this request. */
struct policy_item {
	enum policy_category category;
	bool shared_with_meeting; /* private: the person shared it with a meeting */
	bool actor_in_meeting;	  /* private: the actor takes part in that meeting */
	bool actor_is_author;	  /* UPDATE: the actor wrote this item */
	bool consent_health_to_jobcentre;
	bool consent_jobcentre_to_health;
	/* core UPDATE that hands over a role: POLICY_ORG_HEALTH for the care
	 * manager, POLICY_ORG_JOBCENTRE for the employment consultant. Only
	 * that side hands it over: the assigned holder or a team supervisor of
	 * that side. */
	enum policy_org hands_over;
	/* core CREATE of the person's activation link: the assigned CM or EC. */
	bool person_account;
	/* The person's own pages (/my): only the case's person, any action. */
	bool person_pages;
	/* A consent grant or withdrawal (a core CREATE): only the case's person. */
	bool consent_record;
	/* A case meeting's minutes: written (CREATE, UPDATE) by the assigned CM
	 * or EC only, then as the meeting's category allows. */
	bool meeting_minutes;
	/* Organising a case meeting of this kind (creating it, moving it,
	 * setting its status: CREATE or UPDATE): a roundtable the assigned CM
	 * or EC, a follow-up the assigned EC, a therapy session the assigned
	 * CM. The category is the meeting's (joint, clinical). */
	enum policy_meeting organise;
	/* team_record: a supervision meeting, arranged (CREATE, UPDATE) by the
	 * team's supervisors only; members read it. */
	bool supervision;
};

/* 0 when allowed, ERR_FORBIDDEN otherwise. */
int policy_check(const struct policy_actor *actor, enum policy_action action,
		 const struct policy_item *item);
/* Same decision; *why (may be NULL) gets POLICY_ALLOWED or the reason. */
int policy_explain(const struct policy_actor *actor, enum policy_action action,
		   const struct policy_item *item, enum policy_reason *why);

/* Administration (organisations, sites, teams, memberships, accounts) is
 * the administrator's alone (DESIGN.md section 4), and gives no case
 * content. 0, or ERR_FORBIDDEN for every other role and out-of-range ones.
 * The same decision as policy_check on POLICY_ADMINISTRATION. */
int policy_administer(enum policy_role role);

/* Names ("care_manager", "health_shared", "read", "jobcentre",
 * "not_assigned"); "?" for a value out of range. Static strings. */
const char *policy_role_name(enum policy_role r);
const char *policy_org_name(enum policy_org o);
const char *policy_category_name(enum policy_category c);
const char *policy_action_name(enum policy_action a);
const char *policy_reason_name(enum policy_reason r);

/* Exact names back to values: 0, or ERR_INVALID with *out untouched. */
int policy_role_parse(const char *s, enum policy_role *out);
int policy_org_parse(const char *s, enum policy_org *out);
int policy_category_parse(const char *s, enum policy_category *out);
int policy_action_parse(const char *s, enum policy_action *out);

#endif
