/* case_read.c: a case's core data as JSON with its absences, events and
 * assignments (case_get_json), and its person's account (case_person).
 * The list of the cases an actor may see is case_list.c. */
#include "domain/cases/case.h"

#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

static json_t *opt_text(struct store_stmt *st, int col)
{
	return store_col_is_null(st, col) ? json_null() : json_string(store_col_text(st, col, NULL));
}

static json_t *person_ref(struct store_stmt *st, int id_col, int name_col)
{
	if (store_col_is_null(st, id_col))
		return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)store_col_int64(st, id_col), "name",
			 store_col_text(st, name_col, NULL));
}

#define CASE_SELECT                                                                               \
	"SELECT c.name, c.cpr, c.contact, c.first_absence_day, c.employment, c.status, "         \
	"c.referred_on, c.fast_track_requested, c.fast_track_refused, c.outcome_kind, "          \
	"c.outcome_on, c.outcome_note, c.team_id, t.name, c.care_manager_id, cm.name, "          \
	"c.employment_consultant_id, ec.name, c.person_id, p.username, p.name, c.referred_by, "  \
	"rb.name FROM cases c JOIN teams t ON t.id = c.team_id "                                 \
	"JOIN users p ON p.id = c.person_id "                                                     \
	"LEFT JOIN users cm ON cm.id = c.care_manager_id "                                        \
	"LEFT JOIN users ec ON ec.id = c.employment_consultant_id "                               \
	"LEFT JOIN users rb ON rb.id = c.referred_by WHERE c.id = $1"

static json_t *case_row(struct store_stmt *st, int64_t id)
{
	json_t *o = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "name",
		store_col_text(st, 0, NULL), "cpr", store_col_text(st, 1, NULL), "contact",
		store_col_text(st, 2, NULL), "first_absence_day", store_col_text(st, 3, NULL),
		"employment", store_col_text(st, 4, NULL), "status", store_col_text(st, 5, NULL),
		"referred_on", store_col_text(st, 6, NULL));
	json_object_set_new(o, "fast_track",
			    json_pack("{s:o, s:b}", "requested", opt_text(st, 7), "refused",
				      store_col_int64(st, 8) != 0));
	json_object_set_new(o, "outcome",
			    store_col_is_null(st, 9)
				    ? json_null()
				    : json_pack("{s:s, s:s, s:s}", "kind", store_col_text(st, 9, NULL),
						"on", store_col_text(st, 10, NULL), "note",
						store_col_text(st, 11, NULL)));
	json_object_set_new(o, "team", person_ref(st, 12, 13));
	json_object_set_new(o, "team_id", json_integer(store_col_int64(st, 12)));
	json_object_set_new(o, "care_manager", person_ref(st, 14, 15));
	json_object_set_new(o, "employment_consultant", person_ref(st, 16, 17));
	json_object_set_new(o, "person",
			    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)store_col_int64(st, 18),
				      "username", store_col_text(st, 19, NULL), "name",
				      store_col_text(st, 20, NULL)));
	json_object_set_new(o, "referred_by", person_ref(st, 21, 22));
	return o;
}

/* The case's absences, earlier benefit periods, events and assignments in
 * one statement (one look-up where there were four). Columns: the list (k),
 * its order (s, id), then per list: absences from, to, partial; earlier
 * from, to; events kind, on; assignments role, from, to, reason, the user's
 * name and id. */
#define DETAILS_SELECT                                                                            \
	"SELECT 0 AS k, from_date AS s, id, from_date, to_date, NULL, NULL, NULL, partial "       \
	"FROM case_absences WHERE case_id = $1 "                                                  \
	"UNION ALL SELECT 1, from_date, id, from_date, to_date, NULL, NULL, NULL, 0 "             \
	"FROM case_earlier_benefit WHERE case_id = $1 "                                           \
	"UNION ALL SELECT 2, on_date, id, kind, on_date, NULL, NULL, NULL, 0 "                    \
	"FROM case_events WHERE case_id = $1 "                                                    \
	"UNION ALL SELECT 3, '', a.id, a.role, a.from_date, a.to_date, a.reason, u.name, "        \
	"a.user_id FROM assignments a JOIN users u ON u.id = a.user_id WHERE a.case_id = $1 "     \
	"ORDER BY 1, 2, 3"

static json_t *detail_row(struct store_stmt *st, int64_t k)
{
	const char *a = store_col_text(st, 3, NULL), *b = store_col_text(st, 4, NULL);
	switch (k) {
	case 0:
		return json_pack("{s:s, s:o, s:b}", "from", a, "to", opt_text(st, 4), "partial",
				 store_col_int64(st, 8) != 0);
	case 1:
		return json_pack("{s:s, s:s}", "from", a, "to", b);
	case 2:
		return json_pack("{s:s, s:s}", "kind", a, "on", b);
	default:
		return json_pack("{s:s, s:{s:I, s:s}, s:s, s:o, s:s}", "role", a, "user", "id",
				 (json_int_t)store_col_int64(st, 8), "name",
				 store_col_text(st, 7, NULL), "from", b, "to", opt_text(st, 5),
				 "reason", store_col_text(st, 6, NULL));
	}
}

static int case_details(struct store_conn *c, int64_t id, json_t *o)
{
	static const char *const names[] = {"absences", "earlier_benefit", "events", "handovers"};
	json_t *lists[4];
	for (int i = 0; i < 4; i++) {
		lists[i] = json_array();
		json_object_set_new(o, names[i], lists[i]);
	}
	struct store_stmt *st;
	int rc = store_prepare(c, DETAILS_SELECT, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t k = store_col_int64(st, 0);
		if (k >= 0 && k < 4)
			json_array_append_new(lists[k], detail_row(st, k));
	}
	return rc < 0 ? rc : 0;
}

int case_get_json(struct store_conn *c, int64_t case_id, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(c, CASE_SELECT, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	json_t *o = case_row(st, case_id);
	store_reset(st);
	rc = case_details(c, case_id, o);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

struct person_row {
	int64_t id;
	const char *username; /* arena */
};

static int person_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct person_row *r = elem;
	r->id = store_col_int64(st, 0);
	r->username = store_col_strdup(st, 1, a);
	return 0;
}

int case_person(struct store_conn *c, int64_t case_id, struct arena *ar, int64_t *user_id,
		const char **username)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT u.id, u.username FROM cases c JOIN users u "
			       "ON u.id = c.person_id WHERE c.id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	struct person_row r;
	rc = store_read_row(st, ar, person_row, NULL, &r);
	if (rc == 0) {
		*user_id = r.id;
		*username = r.username;
	}
	return rc;
}
