/* meeting.h: meetings (roundtable, legal follow-up, therapy, supervision),
 * their participants, status, agenda, minutes and agreements, and the
 * professionals' calendar-feed secrets.
 *
 * Times are unix seconds (UTC). The web layer converts Danish local time.
 * Strings in results live in the caller's arena. Functions that write
 * expect the caller's write transaction (store_begin_write). */
#ifndef IBBIS_MEETING_H
#define IBBIS_MEETING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

struct arena;
struct store_conn;

enum meeting_kind {
	MEETING_ROUNDTABLE,
	MEETING_FOLLOWUP,
	MEETING_THERAPY,
	MEETING_SUPERVISION,
	MEETING_KIND_COUNT
};

enum meeting_status {
	MEETING_PLANNED,
	MEETING_HELD,
	MEETING_CANCELLED,
	MEETING_LATE_CANCELLATION,
	MEETING_NO_SHOW,
	MEETING_STATUS_COUNT
};

enum meeting_mode {
	MEETING_IN_PERSON,
	MEETING_PHONE,
	MEETING_VIDEO,
	MEETING_EMAIL,
	MEETING_LETTER,
	MEETING_MODE_COUNT
};

#define MEETING_TEXT_MAX 20000	/* agenda items, minutes, comments: bytes */
#define MEETING_REASON_MAX 2000 /* status and mode reasons */

struct meeting_participant {
	int64_t user_id;
	const char *name; /* arena */
	const char *role; /* arena: "service_user", "care_manager", ... */
	int attended;	  /* -1 not recorded, 0 no, 1 yes */
};

struct meeting {
	int64_t id;
	int64_t case_id; /* 0 for supervision */
	int64_t team_id;
	enum meeting_kind kind;
	int64_t starts_at, ends_at;
	int64_t site_id;	 /* 0 when none */
	const char *site_name;	 /* arena or NULL */
	const char *site_address; /* arena or NULL */
	const char *remote_link; /* arena or NULL */
	enum meeting_mode mode;
	const char *mode_reason; /* arena or NULL */
	enum meeting_status status;
	int64_t status_by;	   /* 0 when none */
	const char *status_reason; /* arena or NULL */
	const char *minutes;	   /* arena or NULL */
	int64_t minutes_by, minutes_at;
	int64_t created_by, created_at;
	const char *person_name;	   /* arena: the case's name, NULL for supervision */
	const char *team_name;		   /* arena */
	struct meeting_participant *parts; /* arena */
	size_t nparts;
};

struct meeting_new {
	int64_t case_id; /* 0 for supervision */
	int64_t team_id;
	enum meeting_kind kind;
	int64_t starts_at, ends_at;
	int64_t site_id;	 /* 0 when none */
	const char *remote_link; /* borrowed or NULL */
	enum meeting_mode mode;
	const char *mode_reason; /* borrowed or NULL */
	int64_t created_by;
	const struct meeting_participant *parts; /* borrowed: user_id and role */
	size_t nparts;
};

/* The other meeting in a double booking. */
struct meeting_clash {
	int64_t user_id;
	const char *user_name; /* arena */
	int64_t meeting_id;
	enum meeting_kind kind;
	int64_t starts_at;
	int64_t case_id; /* 0 for a team's meeting */
	int64_t team_id;
};

struct meeting_agenda_item {
	int64_t id;
	int64_t author_id;
	const char *author_name; /* arena */
	const char *author_role; /* arena */
	bool private_;		 /* still private to the person */
	const char *text;	 /* arena: decrypted only when asked, else NULL */
	int64_t shared_at;	 /* 0 when never shared */
	int64_t created_at;
};

struct meeting_agreement {
	int64_t user_id;
	const char *name; /* arena */
	const char *role; /* arena */
	bool agreed;
	const char *comment; /* arena */
	int64_t at;
};

/* Names (static) and parsing (0 or ERR_INVALID). */
const char *meeting_kind_name(enum meeting_kind k);
const char *meeting_status_name(enum meeting_status s);
const char *meeting_mode_name(enum meeting_mode m);
int meeting_kind_parse(const char *s, enum meeting_kind *out);
int meeting_status_parse(const char *s, enum meeting_status *out);
int meeting_mode_parse(const char *s, enum meeting_mode *out);

/* The policy category of a meeting's record: joint, clinical (therapy), or
 * INVALID for supervision (team business, not case content). */
enum policy_category meeting_category(enum meeting_kind k);
/* The policy's question for organising (creating, moving, setting the
 * status of) a case meeting of kind k: its category, and the organiser
 * rule (policy_item.organise: roundtable the assigned CM or EC, followup
 * the assigned EC, therapy the assigned CM). The web layer asks it through
 * the gate. Pure. */
struct policy_item meeting_organise_item(enum meeting_kind k);

/* One meeting with its participants. ERR_NOT_FOUND when there is none. */
int meeting_get(struct store_conn *c, int64_t id, struct arena *a, struct meeting *out);
/* Meetings of a case, or of a team's supervision, by start time. Without
 * participants. *out: arena. */
int meeting_list_case(struct store_conn *c, int64_t case_id, struct arena *a, struct meeting **out,
		      size_t *n);
int meeting_list_team(struct store_conn *c, int64_t team_id, struct arena *a, struct meeting **out,
		      size_t *n);
/* Every meeting a user takes part in (for the calendar feed). */
int meeting_list_user(struct store_conn *c, int64_t user_id, struct arena *a, struct meeting **out,
		      size_t *n);

/* The meetings a user takes part in starting in [from, to) (unix seconds),
 * by start time. Without participants. *out: arena. */
int meeting_list_user_between(struct store_conn *c, int64_t user_id, int64_t from, int64_t to,
			      struct arena *a, struct meeting **out, size_t *n);

/* A site by id ("3") or exact name. ERR_NOT_FOUND when there is none. */
int meeting_site_find(struct store_conn *c, const char *site, int64_t *id);
/* The user's name and account role; ERR_NOT_FOUND when no such account. */
int meeting_user_find(struct store_conn *c, int64_t user_id, struct arena *a, const char **name,
		      const char **role);
/* The team's current members (today: YYYY-MM-DD) as participants.
 * ERR_NOT_FOUND when there is no such team. *out: arena. */
int meeting_team_members(struct store_conn *c, int64_t team_id, const char *today, struct arena *a,
			 struct meeting_participant **out, size_t *n, const char **team_name);

/* ERR_CONFLICT and *clash when any of the users has a planned meeting
 * (other than `except`, 0 for none) overlapping [starts, ends). */
int meeting_check_clash(struct store_conn *c, const int64_t *users, size_t n, int64_t starts,
			int64_t ends, int64_t except, struct arena *a, struct meeting_clash *clash);

int meeting_create(struct store_conn *c, const struct meeting_new *in, int64_t now, int64_t *id);
int meeting_set_status(struct store_conn *c, int64_t id, enum meeting_status s, const char *reason,
		       int64_t by);
int meeting_set_times(struct store_conn *c, int64_t id, int64_t starts, int64_t ends);
/* ERR_NOT_FOUND when the user is not a participant. */
int meeting_set_attended(struct store_conn *c, int64_t id, int64_t user_id, bool attended);

/* Agenda (meeting_agenda.c). Every item's text is sealed (domain/seal.h). */
int meeting_agenda_list(struct store_conn *c, int64_t meeting_id, struct arena *a,
			struct meeting_agenda_item **out, size_t *n);
/* Decrypts or copies one item's text into it->text. */
int meeting_agenda_text(struct store_conn *c, struct arena *a, struct meeting_agenda_item *it);
int meeting_agenda_get(struct store_conn *c, int64_t meeting_id, int64_t item_id, struct arena *a,
		       struct meeting_agenda_item *out);
int meeting_agenda_add(struct store_conn *c, int64_t meeting_id, int64_t author, const char *text,
		       bool private_, int64_t now, struct arena *a, int64_t *id);
/* Makes a private item shared with its meeting (its text stays sealed). */
int meeting_agenda_share(struct store_conn *c, int64_t item_id, int64_t now, struct arena *a);

/* Minutes: writing them removes every agreement (they agreed to other text).
 * Minutes and comments are sealed (a: the sealed copy). */
int meeting_minutes_set(struct store_conn *c, int64_t id, const char *text, int64_t by,
			int64_t now, struct arena *a);
int meeting_agreement_set(struct store_conn *c, int64_t id, int64_t user_id, bool agreed,
			  const char *comment, int64_t now, struct arena *a);
int meeting_agreements(struct store_conn *c, int64_t id, struct arena *a,
		       struct meeting_agreement **out, size_t *n);

/* Calendar feeds (meeting_feed.c). A new secret replaces the old one.
 * *secret: arena, 64 hex characters. */
int meeting_feed_new(struct store_conn *c, int64_t user_id, int64_t now, struct arena *a,
		     const char **secret);
/* The feed's owner; ERR_NOT_FOUND for an unknown or revoked secret. */
int meeting_feed_owner(struct store_conn *c, const char *secret, int64_t *user_id);

#endif
