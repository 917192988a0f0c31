/* meeting.c: meetings, participants, status and double-booking checks. */
#include "domain/meetings/meeting.h"

#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/messages/notify.h"
#include "domain/trust/seal.h"
#include "store/store.h"

static const char *const kind_names[MEETING_KIND_COUNT] = {"roundtable", "followup", "therapy",
							   "supervision"};
static const char *const status_names[MEETING_STATUS_COUNT] = {"planned", "held", "cancelled",
							       "late_cancellation", "no_show"};
static const char *const mode_names[MEETING_MODE_COUNT] = {"in_person", "phone", "video", "email",
							   "letter"};

static int parse_name(const char *const *names, int n, const char *s, int *out)
{
	for (int i = 0; i < n; i++)
		if (str_eq(names[i], s)) {
			*out = i;
			return 0;
		}
	return ERR_INVALID;
}

const char *meeting_kind_name(enum meeting_kind k)
{
	return (unsigned)k < MEETING_KIND_COUNT ? kind_names[k] : "?";
}

const char *meeting_status_name(enum meeting_status s)
{
	return (unsigned)s < MEETING_STATUS_COUNT ? status_names[s] : "?";
}

const char *meeting_mode_name(enum meeting_mode m)
{
	return (unsigned)m < MEETING_MODE_COUNT ? mode_names[m] : "?";
}

int meeting_kind_parse(const char *s, enum meeting_kind *out)
{
	int v;
	int rc = parse_name(kind_names, MEETING_KIND_COUNT, s, &v);
	if (!rc)
		*out = (enum meeting_kind)v;
	return rc;
}

int meeting_status_parse(const char *s, enum meeting_status *out)
{
	int v;
	int rc = parse_name(status_names, MEETING_STATUS_COUNT, s, &v);
	if (!rc)
		*out = (enum meeting_status)v;
	return rc;
}

int meeting_mode_parse(const char *s, enum meeting_mode *out)
{
	int v;
	int rc = parse_name(mode_names, MEETING_MODE_COUNT, s, &v);
	if (!rc)
		*out = (enum meeting_mode)v;
	return rc;
}

enum policy_category meeting_category(enum meeting_kind k)
{
	switch (k) {
	case MEETING_ROUNDTABLE:
	case MEETING_FOLLOWUP:
		return POLICY_JOINT;
	case MEETING_THERAPY:
		return POLICY_CLINICAL;
	default:
		return POLICY_CATEGORY_INVALID;
	}
}

struct policy_item meeting_organise_item(enum meeting_kind k)
{
	struct policy_item it = {.category = meeting_category(k)};
	switch (k) {
	case MEETING_ROUNDTABLE:
		it.organise = POLICY_MEETING_ROUNDTABLE;
		break;
	case MEETING_FOLLOWUP:
		it.organise = POLICY_MEETING_FOLLOWUP;
		break;
	case MEETING_THERAPY:
		it.organise = POLICY_MEETING_THERAPY;
		break;
	default: /* category INVALID: the policy refuses */
		break;
	}
	return it;
}

#define MEETING_COLS                                                                               \
	"SELECT m.id, m.case_id, m.team_id, m.kind, m.starts_at, m.ends_at, m.site_id, s.name, "   \
	"m.remote_link, m.mode, m.mode_reason, m.status, m.status_by, m.status_reason, "           \
	"m.minutes, m.minutes_by, m.minutes_at, m.created_by, m.created_at, c.name, t.name, "      \
	"s.address, m.minutes_sealed "                                                             \
	"FROM meetings m LEFT JOIN sites s ON s.id = m.site_id "                                   \
	"LEFT JOIN cases c ON c.id = m.case_id JOIN teams t ON t.id = m.team_id "

static int64_t col_id(struct store_stmt *st, int col)
{
	return store_col_is_null(st, col) ? 0 : store_col_int64(st, col);
}

static int meeting_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct meeting *m = elem;
	memset(m, 0, sizeof *m);
	m->id = store_col_int64(st, 0);
	m->case_id = col_id(st, 1);
	m->team_id = store_col_int64(st, 2);
	m->starts_at = store_col_int64(st, 4);
	m->ends_at = store_col_int64(st, 5);
	m->site_id = col_id(st, 6);
	m->site_name = store_col_strdup(st, 7, a);
	m->site_address = store_col_strdup(st, 21, a);
	if (m->site_address && !*m->site_address)
		m->site_address = NULL;
	m->remote_link = store_col_strdup(st, 8, a);
	m->mode_reason = store_col_strdup(st, 10, a);
	m->status_by = col_id(st, 12);
	m->status_reason = store_col_strdup(st, 13, a);
	m->minutes = store_col_strdup(st, 14, a);
	size_t slen;
	const void *sealed = store_col_blob(st, 22, &slen);
	char *minutes;
	if (sealed) {
		int rc = seal_decrypt(a, sealed, slen, &minutes);
		if (rc)
			return rc;
		m->minutes = minutes;
	}
	m->minutes_by = col_id(st, 15);
	m->minutes_at = col_id(st, 16);
	m->created_by = col_id(st, 17);
	m->created_at = store_col_int64(st, 18);
	m->person_name = store_col_strdup(st, 19, a);
	m->team_name = store_col_strdup(st, 20, a);
	if (meeting_kind_parse(store_col_text(st, 3, NULL), &m->kind) ||
	    meeting_mode_parse(store_col_text(st, 9, NULL), &m->mode) ||
	    meeting_status_parse(store_col_text(st, 11, NULL), &m->status))
		return ERR_DB;
	return 0;
}

static int participant_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct meeting_participant *p = elem;
	p->user_id = store_col_int64(st, 0);
	p->name = store_col_strdup(st, 1, a);
	p->role = store_col_strdup(st, 2, a);
	p->attended = store_col_is_null(st, 3) ? -1 : (int)store_col_int64(st, 3);
	return 0;
}

static int load_participants(struct store_conn *c, struct arena *a, struct meeting *m)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    c,
	    "SELECT p.user_id, u.name, p.role, p.attended FROM meeting_participants p "
	    "JOIN users u ON u.id = p.user_id WHERE p.meeting_id = $1 "
	    "ORDER BY p.role, u.name",
	    &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, m->id);
	return store_read_rows(st, a, sizeof *m->parts, participant_row, NULL, &m->parts,
			       &m->nparts);
}

int meeting_get(struct store_conn *c, int64_t id, struct arena *a, struct meeting *out)
{
	struct store_stmt *st;
	int rc = store_prepare(c, MEETING_COLS "WHERE m.id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_read_row(st, a, meeting_row, NULL, out);
	return rc ? rc : load_participants(c, a, out);
}

/* Runs a prepared list query (parameter $1 bound to key; $2 and $3 to
 * range[0] and range[1] when range is not NULL). */
static int list_rows_in(struct store_conn *c, const char *sql, int64_t key, const int64_t *range,
			struct arena *a, struct meeting **out, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, key);
	if (range) {
		store_bind_int64(st, 2, range[0]);
		store_bind_int64(st, 3, range[1]);
	}
	return store_read_rows(st, a, sizeof **out, meeting_row, NULL, out, n);
}

static int list_rows(struct store_conn *c, const char *sql, int64_t key, struct arena *a,
		     struct meeting **out, size_t *n)
{
	return list_rows_in(c, sql, key, NULL, a, out, n);
}

int meeting_list_case(struct store_conn *c, int64_t case_id, struct arena *a, struct meeting **out,
		      size_t *n)
{
	return list_rows(c, MEETING_COLS "WHERE m.case_id = $1 ORDER BY m.starts_at, m.id", case_id,
			 a, out, n);
}

int meeting_list_team(struct store_conn *c, int64_t team_id, struct arena *a, struct meeting **out,
		      size_t *n)
{
	return list_rows(c,
			 MEETING_COLS "WHERE m.team_id = $1 AND m.kind = 'supervision' "
				      "ORDER BY m.starts_at, m.id",
			 team_id, a, out, n);
}

int meeting_list_user(struct store_conn *c, int64_t user_id, struct arena *a, struct meeting **out,
		      size_t *n)
{
	return list_rows(c,
			 MEETING_COLS "JOIN meeting_participants p ON p.meeting_id = m.id "
				      "WHERE p.user_id = $1 ORDER BY m.starts_at, m.id",
			 user_id, a, out, n);
}

int meeting_list_user_between(struct store_conn *c, int64_t user_id, int64_t from, int64_t to,
			       struct arena *a, struct meeting **out, size_t *n)
{
	const int64_t range[2] = {from, to};
	return list_rows_in(c,
			    MEETING_COLS "JOIN meeting_participants p ON p.meeting_id = m.id "
					 "WHERE p.user_id = $1 AND m.starts_at >= $2 AND m.starts_at < $3 "
					 "ORDER BY m.starts_at, m.id",
			    user_id, range, a, out, n);
}

int meeting_site_find(struct store_conn *c, const char *site, int64_t *id)
{
	long v;
	bool numeric = str_to_long(site, 1, 0x7fffffffL, &v) == 0;
	struct store_stmt *st;
	int rc = store_prepare(c,
			       numeric ? "SELECT id FROM sites WHERE id = $1"
				       : "SELECT id FROM sites WHERE name = $1",
			       &st);
	if (rc)
		return rc;
	if (numeric)
		store_bind_int64(st, 1, v);
	else
		store_bind_str(st, 1, site);
	return store_read_int64(st, id);
}

/* Every column of the row as text into the array elem (const char *[]). */
static int texts_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	const char **out = elem;
	for (int i = 0; i < store_col_count(st); i++)
		out[i] = store_col_strdup(st, i, a);
	return 0;
}

int meeting_user_find(struct store_conn *c, int64_t user_id, struct arena *a, const char **name,
		      const char **role)
{
	struct store_stmt *st;
	int rc =
	    store_prepare(c, "SELECT name, role FROM users WHERE id = $1 AND disabled = 0", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, user_id);
	const char *row[2];
	rc = store_read_row(st, a, texts_row, NULL, row);
	if (rc == 0) {
		*name = row[0];
		*role = row[1];
	}
	return rc;
}

static int team_name(struct store_conn *c, int64_t team_id, struct arena *a, const char **out)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT name FROM teams WHERE id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team_id);
	const char *row[1];
	rc = store_read_row(st, a, texts_row, NULL, row);
	if (rc == 0)
		*out = row[0];
	return rc;
}

int meeting_team_members(struct store_conn *c, int64_t team_id, const char *today, struct arena *a,
			 struct meeting_participant **out, size_t *n, const char **tname)
{
	int rc = team_name(c, team_id, a, tname);
	if (rc)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(c,
			   "SELECT DISTINCT m.user_id, u.name, m.role FROM memberships m "
			   "JOIN users u ON u.id = m.user_id WHERE m.team_id = $1 AND "
			   "m.from_date <= $2 AND (m.to_date IS NULL OR m.to_date > $2) "
			   "AND u.disabled = 0 ORDER BY m.user_id",
			   &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team_id);
	store_bind_str(st, 2, today);
	size_t cap = 64;
	struct meeting_participant *v = arena_array(a, cap, sizeof *v);
	*n = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t uid = store_col_int64(st, 0);
		if (*n && v[*n - 1].user_id == uid)
			continue; /* two roles in one team: one seat */
		if (*n == cap) {
			store_reset(st);
			return ERR_TOO_LARGE;
		}
		v[*n].user_id = uid;
		v[*n].name = store_col_strdup(st, 1, a);
		v[*n].role = store_col_strdup(st, 2, a);
		v[*n].attended = -1;
		(*n)++;
	}
	*out = v;
	return rc < 0 ? rc : 0;
}

int meeting_check_clash(struct store_conn *c, const int64_t *users, size_t n, int64_t starts,
			int64_t ends, int64_t except, struct arena *a, struct meeting_clash *clash)
{
	struct store_stmt *st;
	int rc =
	    store_prepare(c,
			  "SELECT m.id, m.kind, m.starts_at, u.name, m.case_id, m.team_id FROM "
			  "meeting_participants p "
			  "JOIN meetings m ON m.id = p.meeting_id JOIN users u ON u.id = p.user_id "
			  "WHERE p.user_id = $1 AND m.status = 'planned' AND m.id <> $2 AND "
			  "m.starts_at < $3 AND m.ends_at > $4 ORDER BY m.starts_at LIMIT 1",
			  &st);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		store_bind_int64(st, 1, users[i]);
		store_bind_int64(st, 2, except);
		store_bind_int64(st, 3, ends);
		store_bind_int64(st, 4, starts);
		rc = store_step(st);
		if (rc == STORE_ROW) {
			clash->user_id = users[i];
			clash->meeting_id = store_col_int64(st, 0);
			if (meeting_kind_parse(store_col_text(st, 1, NULL), &clash->kind))
				clash->kind = MEETING_ROUNDTABLE;
			clash->starts_at = store_col_int64(st, 2);
			clash->user_name = store_col_strdup(st, 3, a);
			clash->case_id = col_id(st, 4);
			clash->team_id = col_id(st, 5);
			store_reset(st);
			return ERR_CONFLICT;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int bind_opt_id(struct store_stmt *st, int idx, int64_t v)
{
	return v ? store_bind_int64(st, idx, v) : store_bind_null(st, idx);
}

static int insert_participants(struct store_conn *c, int64_t id, const struct meeting_new *in)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO meeting_participants (meeting_id, user_id, role) "
			       "VALUES ($1, $2, $3)",
			       &st);
	for (size_t i = 0; !rc && i < in->nparts; i++) {
		store_bind_int64(st, 1, id);
		store_bind_int64(st, 2, in->parts[i].user_id);
		store_bind_str(st, 3, in->parts[i].role);
		rc = store_step(st);
		if (rc == STORE_DONE)
			rc = 0;
	}
	return rc;
}

int meeting_create(struct store_conn *c, const struct meeting_new *in, int64_t now, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    c,
	    "INSERT INTO meetings (case_id, team_id, kind, starts_at, ends_at, site_id, "
	    "remote_link, mode, mode_reason, created_by, created_at) VALUES ($1, $2, $3, $4, "
	    "$5, $6, $7, $8, $9, $10, $11) RETURNING id",
	    &st);
	if (rc)
		return rc;
	bind_opt_id(st, 1, in->case_id);
	store_bind_int64(st, 2, in->team_id);
	store_bind_str(st, 3, meeting_kind_name(in->kind));
	store_bind_int64(st, 4, in->starts_at);
	store_bind_int64(st, 5, in->ends_at);
	bind_opt_id(st, 6, in->site_id);
	store_bind_str(st, 7, in->remote_link);
	store_bind_str(st, 8, meeting_mode_name(in->mode));
	store_bind_str(st, 9, in->mode_reason);
	bind_opt_id(st, 10, in->created_by);
	store_bind_int64(st, 11, now);
	rc = store_step_id(st, id);
	if (!rc)
		rc = insert_participants(c, *id, in);
	/* The invitation commits with the meeting (domain/messages/notify.h). */
	return rc ? rc : notify_meeting(c, *id, NOTIFY_MEETING_NEW, now);
}

/* Steps a one-row UPDATE; ERR_NOT_FOUND when it changed nothing. */
static int step_update(struct store_stmt *st)
{
	int rc = store_step(st);
	if (rc < 0)
		return rc;
	return store_changes(st) ? 0 : ERR_NOT_FOUND;
}

int meeting_set_status(struct store_conn *c, int64_t id, enum meeting_status s, const char *reason,
		       int64_t by)
{
	struct store_stmt *st;
	/* A cancellation, or a cancelled meeting planned again, tells the
	 * participants with a new iCalendar SEQUENCE; held or no-show do not. */
	int rc = store_prepare(
	    c,
	    "UPDATE meetings SET ical_sequence = ical_sequence + 1 WHERE id = $2 AND "
	    "CAST($1 AS TEXT) IN ('planned', 'cancelled', 'late_cancellation') AND "
	    "(status = 'planned') <> (CAST($1 AS TEXT) = 'planned')",
	    &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, meeting_status_name(s));
	store_bind_int64(st, 2, id);
	rc = store_step(st);
	bool tell = rc >= 0 && store_changes(st) > 0;
	if (rc < 0 ||
	    (rc = store_prepare(c,
				"UPDATE meetings SET status = $1, status_reason = $2, status_by = $3 "
				"WHERE id = $4",
				&st)))
		return rc;
	store_bind_str(st, 1, meeting_status_name(s));
	store_bind_str(st, 2, reason);
	store_bind_int64(st, 3, by);
	store_bind_int64(st, 4, id);
	if ((rc = step_update(st)) || !tell)
		return rc;
	return notify_meeting(c, id,
			      s == MEETING_PLANNED ? NOTIFY_MEETING_UPDATE : NOTIFY_MEETING_CANCEL,
			      clock_now());
}

int meeting_set_times(struct store_conn *c, int64_t id, int64_t starts, int64_t ends)
{
	struct store_stmt *st;
	int rc =
	    store_prepare(c,
			  "UPDATE meetings SET starts_at = $1, ends_at = $2, ical_sequence = "
			  "ical_sequence + 1 WHERE id = $3",
			  &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, starts);
	store_bind_int64(st, 2, ends);
	store_bind_int64(st, 3, id);
	rc = step_update(st);
	return rc ? rc : notify_meeting(c, id, NOTIFY_MEETING_UPDATE, clock_now());
}

int meeting_set_attended(struct store_conn *c, int64_t id, int64_t user_id, bool attended)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "UPDATE meeting_participants SET attended = $1 "
			       "WHERE meeting_id = $2 AND user_id = $3",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, attended ? 1 : 0);
	store_bind_int64(st, 2, id);
	store_bind_int64(st, 3, user_id);
	return step_update(st);
}
