/* case_write.c: changing a case: PATCH, handover, outcome. */
#include "domain/cases/case.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "domain/cases/case_int.h"
#include "domain/cases/case_periods.h"
#include "domain/cases/cpr.h"
#include "domain/teams/team.h"
#include "store/store.h"

static int set_text(struct store_conn *c, const char *sql, int64_t id, const char *v, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, v);
	store_bind_int64(st, 2, now);
	store_bind_int64(st, 3, id);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

static int patch_scalars(struct store_conn *c, struct in_ctx *x, int64_t id, json_t *in,
			 int64_t now)
{
	const char *name = NULL, *contact = NULL, *fad = NULL, *emp = NULL;
	int rc = in_text(x, in, "name", "name", IN_OPTIONAL, CASE_NAME_MAX, "cases.err.name", &name);
	if (!rc && in_has(in, "name") && !name)
		rc = in_fail(x, "name", "cases.err.name");
	if (!rc)
		rc = in_text(x, in, "contact", "contact", IN_NULLABLE, CASE_CONTACT_MAX,
			     "cases.err.contact", &contact);
	if (!rc)
		rc = in_date(x, in, "first_absence_day", "first_absence_day", IN_OPTIONAL,
			     "cases.err.first_absence_day", &fad, NULL);
	if (!rc && in_has(in, "first_absence_day") && !fad)
		rc = in_fail(x, "first_absence_day", "cases.err.first_absence_day");
	if (!rc)
		rc = in_text(x, in, "employment", "employment", IN_OPTIONAL, 32,
			     "cases.err.employment", &emp);
	if (!rc && emp && !(emp = case_employment_static(emp)))
		rc = in_fail(x, "employment", "cases.err.employment");
	if (!rc && name)
		rc = set_text(c, "UPDATE cases SET name = $1, updated_at = $2 WHERE id = $3", id,
			      name, now);
	if (!rc && in_has(in, "contact"))
		rc = set_text(c, "UPDATE cases SET contact = $1, updated_at = $2 WHERE id = $3", id,
			      contact ? contact : "", now);
	if (!rc && fad)
		rc = set_text(c,
			      "UPDATE cases SET first_absence_day = $1, updated_at = $2 WHERE id = $3",
			      id, fad, now);
	if (!rc && emp)
		rc = set_text(c, "UPDATE cases SET employment = $1, updated_at = $2 WHERE id = $3",
			      id, emp, now);
	return rc;
}

static int patch_fast_track(struct store_conn *c, struct in_ctx *x, int64_t id, json_t *in,
			    int64_t now)
{
	json_t *ft = json_object_get(in, "fast_track");
	if (!ft)
		return 0;
	if (!json_is_object(ft))
		return in_fail(x, "fast_track", "cases.err.fast_track");
	const char *req = NULL;
	bool refused = false, has = false;
	int rc = in_date(x, ft, "requested", "fast_track.requested", IN_NULLABLE,
			 "cases.err.fast_track", &req, NULL);
	if (!rc)
		rc = in_bool(x, ft, "refused", "fast_track.refused", "cases.err.fast_track",
			     &refused, &has);
	if (!rc && in_has(ft, "requested"))
		rc = set_text(c,
			      "UPDATE cases SET fast_track_requested = $1, updated_at = $2 "
			      "WHERE id = $3",
			      id, req, now);
	if (!rc && has)
		rc = set_text(c,
			      "UPDATE cases SET fast_track_refused = $1, updated_at = $2 "
			      "WHERE id = $3",
			      id, refused ? "1" : "0", now);
	return rc;
}

int case_patch(struct store_conn *c, struct in_ctx *x, int64_t case_id, int64_t by, json_t *in,
	       int64_t now)
{
	json_t *abs = NULL, *earlier = NULL, *events = NULL;
	int rc = store_begin_write(c);
	if (rc)
		return rc;
	rc = patch_scalars(c, x, case_id, in, now);
	if (!rc)
		rc = in_array(x, in, "absences", "cases.err.absences", &abs);
	if (!rc && abs && !(rc = case_periods_clear(c, case_id, 1)))
		rc = case_periods_absences(c, x, case_id, abs);
	if (!rc)
		rc = in_array(x, in, "earlier_benefit", "cases.err.earlier_benefit", &earlier);
	if (!rc && earlier && !(rc = case_periods_clear(c, case_id, 0)))
		rc = case_periods_earlier(c, x, case_id, earlier);
	if (!rc)
		rc = patch_fast_track(c, x, case_id, in, now);
	if (!rc)
		rc = in_array(x, in, "events", "cases.err.events", &events);
	if (!rc && events)
		rc = case_periods_events(c, x, case_id, events, by, now);
	return store_end(c, rc);
}

/* The open assignment of a role: its id, user and start. */
static int current_assignment(struct store_conn *c, int64_t case_id, const char *role,
			      int64_t *id, int64_t *user, day_t *from)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT id, user_id, from_date FROM assignments WHERE case_id = $1 "
			       "AND role = $2 AND to_date IS NULL ORDER BY id DESC LIMIT 1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_str(st, 2, role);
	*id = 0;
	*user = 0;
	*from = 0;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*id = store_col_int64(st, 0);
		*user = store_col_int64(st, 1);
		date_parse(store_col_text(st, 2, NULL), from);
		store_reset(st);
		return 0;
	}
	return rc < 0 ? rc : 0;
}

struct team_status {
	int64_t team;
	bool open;
};

static int team_status_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct team_status *t = elem;
	t->team = store_col_int64(st, 0);
	t->open = str_eq(store_col_text(st, 1, NULL), "open");
	return 0;
}

static int case_team_status(struct store_conn *c, int64_t case_id, int64_t *team, bool *open)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT team_id, status FROM cases WHERE id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	struct team_status t;
	if ((rc = store_read_row(st, NULL, team_status_row, NULL, &t)))
		return rc;
	*team = t.team;
	*open = t.open;
	return 0;
}

struct handover_in {
	const char *role, *reason, *on;
	int64_t to;
	day_t on_day;
};

static int handover_read(struct in_ctx *x, json_t *in, day_t today, struct handover_in *h)
{
	int rc = in_text(x, in, "role", "role", IN_REQUIRED, 32, "cases.err.handover_role", &h->role);
	if (!rc && !str_eq(h->role, "care_manager") && !str_eq(h->role, "employment_consultant"))
		rc = in_fail(x, "role", "cases.err.handover_role");
	if (!rc)
		rc = in_id(x, in, "to", "to", IN_REQUIRED, "cases.err.handover_to", &h->to);
	if (!rc)
		rc = in_text(x, in, "reason", "reason", IN_REQUIRED, CASE_CONTACT_MAX,
			     "cases.err.handover_reason", &h->reason);
	h->on_day = today;
	if (!rc)
		rc = in_date(x, in, "on", "on", IN_OPTIONAL, "cases.err.handover_on", &h->on,
			     &h->on_day);
	return rc;
}

static int handover_tx(struct store_conn *c, struct in_ctx *x, int64_t case_id, int64_t by,
		       struct handover_in *h, int64_t now)
{
	int64_t team, cur_id, cur_user;
	bool open;
	day_t cur_from;
	int rc = case_team_status(c, case_id, &team, &open);
	if (!rc && !open)
		rc = ERR_CONFLICT;
	if (!rc && !str_eq(team_role_on(c, team, h->to, h->on_day), h->role))
		rc = in_fail(x, "to", "cases.err.handover_to");
	if (!rc)
		rc = current_assignment(c, case_id, h->role, &cur_id, &cur_user, &cur_from);
	if (!rc && cur_user == h->to)
		rc = in_fail(x, "to", "cases.err.handover_same");
	if (!rc && cur_id && h->on_day < cur_from)
		rc = in_fail(x, "on", "cases.err.handover_on");
	char ons[DATE_STR_LEN];
	date_format(h->on_day, ons);
	if (!rc && cur_id) {
		struct store_stmt *st;
		rc = store_prepare(c, "UPDATE assignments SET to_date = $1 WHERE id = $2", &st);
		if (!rc) {
			store_bind_str(st, 1, ons);
			store_bind_int64(st, 2, cur_id);
			rc = store_step(st);
			rc = rc < 0 ? rc : 0;
		}
	}
	if (!rc)
		rc = case_assignment_add(c, case_id, h->role, h->to, ons, h->reason, by, now);
	if (!rc) {
		struct store_stmt *st;
		rc = store_prepare(c,
				   str_eq(h->role, "care_manager")
					   ? "UPDATE cases SET care_manager_id = $1, updated_at = $2 "
					     "WHERE id = $3"
					   : "UPDATE cases SET employment_consultant_id = $1, "
					     "updated_at = $2 WHERE id = $3",
				   &st);
		if (!rc) {
			store_bind_int64(st, 1, h->to);
			store_bind_int64(st, 2, now);
			store_bind_int64(st, 3, case_id);
			rc = store_step(st);
			rc = rc < 0 ? rc : 0;
		}
	}
	return rc;
}

int case_handover(struct store_conn *c, struct in_ctx *x, int64_t case_id, int64_t by,
		  json_t *in, day_t today, int64_t now)
{
	struct handover_in h;
	memset(&h, 0, sizeof h);
	int rc = handover_read(x, in, today, &h);
	if (rc)
		return rc;
	if ((rc = store_begin_write(c)))
		return rc;
	rc = handover_tx(c, x, case_id, by, &h, now);
	return store_end(c, rc);
}

static const char *const outcome_kinds[] = {"returned_full",  "returned_partial",
					    "returned_graded", "other_benefit",
					    "education",      "ended_other"};

static int outcome_tx(struct store_conn *c, int64_t case_id, int64_t by, const char *kind,
		      const char *on, const char *note, int64_t now)
{
	int64_t team;
	bool open;
	int rc = case_team_status(c, case_id, &team, &open);
	if (!rc && !open)
		rc = ERR_CONFLICT;
	struct store_stmt *st;
	if (!rc)
		rc = store_prepare(c,
				   "UPDATE cases SET status = 'closed', outcome_kind = $1, "
				   "outcome_on = $2, outcome_note = $3, updated_at = $4 WHERE id = $5",
				   &st);
	if (!rc) {
		store_bind_str(st, 1, kind);
		store_bind_str(st, 2, on);
		store_bind_str(st, 3, note ? note : "");
		store_bind_int64(st, 4, now);
		store_bind_int64(st, 5, case_id);
		rc = store_step(st);
		rc = rc < 0 ? rc : 0;
	}
	if (!rc && str_starts_with(kind, "returned_"))
		rc = case_event_add(c, case_id, "returned_to_work", on, by, now);
	return rc;
}

int case_outcome(struct store_conn *c, struct in_ctx *x, int64_t case_id, int64_t by,
		 json_t *in, int64_t now)
{
	const char *kind, *on, *note;
	int rc = in_text(x, in, "kind", "kind", IN_REQUIRED, 32, "cases.err.outcome_kind", &kind);
	bool ok = false;
	for (size_t i = 0; !rc && i < sizeof outcome_kinds / sizeof outcome_kinds[0]; i++)
		ok |= str_eq(kind, outcome_kinds[i]);
	if (!rc && !ok)
		rc = in_fail(x, "kind", "cases.err.outcome_kind");
	if (!rc)
		rc = in_date(x, in, "on", "on", IN_REQUIRED, "cases.err.outcome_on", &on, NULL);
	if (!rc)
		rc = in_text(x, in, "note", "note", IN_NULLABLE, CASE_TEXT_MAX,
			     "cases.err.outcome_note", &note);
	if (rc)
		return rc;
	if ((rc = store_begin_write(c)))
		return rc;
	rc = outcome_tx(c, case_id, by, kind, on, note, now);
	return store_end(c, rc);
}
