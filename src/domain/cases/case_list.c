/* case_list.c: the cases an actor may see, searched, sorted and paged.
 * The WHERE clause mirrors the policy's core readers, and every row is
 * also put to policy_check, so the list can never show more than the
 * case page would. */
#include "domain/cases/case.h"

#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/access.h"
#include "policy/policy.h"
#include "store/store.h"

/* The filtered rows (s), counted after every filter; the ORDER BY is one
 * of the fixed variants below, chosen by enum (never built from input).
 * Columns: 0 id, 1 name, 2 cpr, 3 status, 4 team_id, 5 team_name, 6 cm_id,
 * 7 cm_name, 8 ec_id, 9 ec_name, 10 person_id, 11 first_absence_day,
 * 12 next_due, 13 sup, 14 closed, 15 reassessment, 16 total. */
#define LIST_SQL_HEAD                                                                             \
	"SELECT s.*, COUNT(*) OVER () AS total FROM (SELECT c.id, c.name, c.cpr, c.status, "     \
	"c.team_id, t.name AS team_name, "                                                        \
	"c.care_manager_id, cm.name AS cm_name, c.employment_consultant_id, ec.name AS ec_name, " \
	"c.person_id, c.first_absence_day, "                                                      \
	"(SELECT MIN(k.due) FROM tasks k WHERE k.case_id = c.id AND k.done = 0) AS next_due, "    \
	"CASE WHEN c.team_id IN (SELECT m.team_id FROM memberships m WHERE m.user_id = $1 AND "   \
	"m.role = 'supervisor' AND m.from_date <= $2 AND (m.to_date IS NULL OR m.to_date > $2)) " \
	"THEN 1 ELSE 0 END AS sup, "                                                              \
	"CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END AS closed, "                             \
	"(SELECT MIN(r.due) FROM tasks r WHERE r.case_id = c.id AND r.source = 'timeline' "       \
	"AND r.source_key = 'reassessment_decision') AS reassessment "                            \
	"FROM cases c JOIN teams t ON t.id = c.team_id "                                          \
	"LEFT JOIN users cm ON cm.id = c.care_manager_id "                                        \
	"LEFT JOIN users ec ON ec.id = c.employment_consultant_id "                               \
	"WHERE ((c.care_manager_id = $1 AND $3 = 'care_manager') "                                \
	"OR (c.employment_consultant_id = $1 AND $3 = 'employment_consultant') "                  \
	"OR (c.person_id = $1 AND $3 = 'service_user') "                                          \
	"OR ($3 = 'supervisor' AND c.team_id IN (SELECT m2.team_id FROM memberships m2 WHERE "    \
	"m2.user_id = $1 AND m2.role = 'supervisor' AND m2.from_date <= $2 AND "                 \
	"(m2.to_date IS NULL OR m2.to_date > $2)))) "                                            \
	"AND ($4 = '' OR c.status = $4) AND ($5 = 0 OR c.team_id = $5) "                          \
	"AND ($6 = '' OR LOWER(c.name) LIKE $6 ESCAPE '\\' OR c.cpr LIKE $7)) s "                 \
	"WHERE ($10 = 0 OR s.next_due < $2) "                                                     \
	"AND ($11 = '' OR (s.reassessment >= $2 AND s.reassessment <= $11)) ORDER BY "
#define LIST_SQL_TAIL " LIMIT $8 OFFSET $9"
#define NULLS_LAST(col) "CASE WHEN " col " IS NULL THEN 1 ELSE 0 END, "
#define LIST_SQL(order) LIST_SQL_HEAD order LIST_SQL_TAIL

/* [sort][desc] */
static const char *const list_sql[CASE_SORT_N][2] = {
	[CASE_SORT_DEFAULT] = {LIST_SQL("s.closed, " NULLS_LAST("s.next_due") "s.next_due, s.name, s.id"),
			       LIST_SQL("s.closed, " NULLS_LAST("s.next_due")
					"s.next_due DESC, s.name, s.id")},
	[CASE_SORT_NAME] = {LIST_SQL("s.name, s.id"), LIST_SQL("s.name DESC, s.id DESC")},
	[CASE_SORT_WEEK] = {LIST_SQL("s.closed, s.first_absence_day DESC, s.name, s.id"),
			    LIST_SQL("s.closed, s.first_absence_day, s.name, s.id")},
	[CASE_SORT_REASSESSMENT] = {LIST_SQL(NULLS_LAST("s.reassessment") "s.reassessment, s.name, s.id"),
				    LIST_SQL(NULLS_LAST("s.reassessment")
					     "s.reassessment DESC, s.name, s.id")},
	[CASE_SORT_DEADLINE] = {LIST_SQL(NULLS_LAST("s.next_due") "s.next_due, s.name, s.id"),
				LIST_SQL(NULLS_LAST("s.next_due") "s.next_due DESC, s.name, s.id")},
	[CASE_SORT_STATUS] = {LIST_SQL("s.closed, s.name, s.id"),
			      LIST_SQL("s.closed DESC, s.name, s.id")},
};

static const char *const sort_names[CASE_SORT_N] = {
	[CASE_SORT_DEFAULT] = "default", [CASE_SORT_NAME] = "name",
	[CASE_SORT_WEEK] = "week",       [CASE_SORT_REASSESSMENT] = "reassessment",
	[CASE_SORT_DEADLINE] = "deadline", [CASE_SORT_STATUS] = "status",
};

int case_sort_parse(const char *s, enum case_sort *out)
{
	for (int i = 0; s && i < CASE_SORT_N; i++)
		if (strcmp(s, sort_names[i]) == 0) {
			*out = (enum case_sort)i;
			return 0;
		}
	return ERR_INVALID;
}

int case_sick_leave_week(const char *first_absence_day, day_t today)
{
	day_t d;
	if (!first_absence_day || date_parse(first_absence_day, &d) || d > today)
		return 0;
	return (int)((today - d) / 7) + 1;
}

/* "%q%" lower-cased (ASCII), with LIKE's wildcards escaped. */
static const char *name_pattern(struct arena *a, const char *q)
{
	size_t n = strlen(q);
	char *p = arena_alloc(a, 2 * n + 3), *o = p;
	*o++ = '%';
	for (const char *s = q; *s; s++) {
		char ch = *s;
		if (ch == '%' || ch == '_' || ch == '\\')
			*o++ = '\\';
		*o++ = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

/* "digits%" when q is a (partial) CPR number; "-" (never a CPR) otherwise. */
static const char *cpr_pattern(struct arena *a, const char *q)
{
	char *p = arena_alloc(a, strlen(q) + 2), *o = p;
	for (const char *s = q; *s; s++) {
		if (*s >= '0' && *s <= '9')
			*o++ = *s;
		else if (*s != '-' && *s != ' ')
			return "-";
	}
	if (o == p)
		return "-";
	*o++ = '%';
	*o = '\0';
	return p;
}

static bool row_allowed(const struct actor *a, struct store_stmt *st)
{
	struct policy_actor pa = {
		.role = access_role(a->role),
		.org = access_org(a->org_kind),
		.is_case_person = a->role == ROLE_SERVICE_USER && store_col_int64(st, 10) == a->id,
		.is_assigned_cm = a->role == ROLE_CARE_MANAGER && store_col_int64(st, 6) == a->id,
		.is_assigned_ec =
			a->role == ROLE_EMPLOYMENT_CONSULTANT && store_col_int64(st, 8) == a->id,
		.is_team_member = store_col_int64(st, 13) != 0,
		.is_team_supervisor = a->role == ROLE_SUPERVISOR && store_col_int64(st, 13) != 0,
	};
	struct policy_item it = {.category = POLICY_CORE};
	return policy_check(&pa, POLICY_READ, &it) == 0;
}

static json_t *ref(struct store_stmt *st, int id, int name)
{
	if (store_col_is_null(st, id))
		return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)store_col_int64(st, id), "name",
			 store_col_text(st, name, NULL));
}

static json_t *text_or_null(struct store_stmt *st, int col)
{
	return store_col_is_null(st, col) ? json_null() : json_string(store_col_text(st, col, NULL));
}

static json_t *list_row(struct store_stmt *st, day_t today, const char *today_s)
{
	int64_t id = store_col_int64(st, 0);
	bool open = store_col_int64(st, 14) == 0;
	int week = open ? case_sick_leave_week(store_col_text(st, 11, NULL), today) : 0;
	const char *next = store_col_is_null(st, 12) ? NULL : store_col_text(st, 12, NULL);
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:b}", "id",
			 (json_int_t)id, "name", store_col_text(st, 1, NULL), "cpr",
			 store_col_text(st, 2, NULL), "status", store_col_text(st, 3, NULL), "team",
			 ref(st, 4, 5), "care_manager", ref(st, 6, 7), "employment_consultant",
			 ref(st, 8, 9), "first_absence_day", store_col_text(st, 11, NULL),
			 "next_deadline", text_or_null(st, 12), "reassessment_date",
			 text_or_null(st, 15), "sick_leave_week",
			 week ? json_integer(week) : json_null(), "overdue",
			 next && strcmp(next, today_s) < 0);
}

static void bind_filter(struct store_stmt *st, const struct actor *a, const struct case_filter *f,
			day_t td, const char *today, struct arena *ar)
{
	store_bind_int64(st, 1, a->id);
	store_bind_str(st, 2, today);
	store_bind_str(st, 3, account_role_name(a->role));
	store_bind_str(st, 4, f->status ? f->status : "");
	store_bind_int64(st, 5, f->team);
	bool q = f->q && *f->q;
	store_bind_str(st, 6, q ? name_pattern(ar, f->q) : "");
	store_bind_str(st, 7, q ? cpr_pattern(ar, f->q) : "-");
	store_bind_int64(st, 8, f->limit);
	store_bind_int64(st, 9, f->offset);
	store_bind_int64(st, 10, f->overdue);
	char until[DATE_STR_LEN] = "";
	if (f->reassess_days >= 0)
		date_format(td + f->reassess_days, until);
	store_bind_str(st, 11, until); /* copied by the binder */
}

int case_list_json(struct store_conn *c, const struct actor *a, const struct case_filter *f,
		   day_t today, json_t **out)
{
	json_t *arr = json_array();
	*out = json_pack("{s:o, s:i, s:I, s:I}", "cases", arr, "total", 0, "limit",
			 (json_int_t)f->limit, "offset", (json_int_t)f->offset);
	if (a->role == ROLE_ADMIN || a->role == ROLE_RESEARCHER)
		return 0;
	char d[DATE_STR_LEN];
	date_format(today, d);
	struct arena ar;
	arena_init(&ar);
	struct store_stmt *st;
	int sort = f->sort >= 0 && f->sort < CASE_SORT_N ? (int)f->sort : 0;
	int rc = store_prepare(c, list_sql[sort][f->desc], &st);
	if (!rc) {
		bind_filter(st, a, f, today, d, &ar);
		while ((rc = store_step(st)) == STORE_ROW) {
			json_object_set_new(*out, "total", json_integer(store_col_int64(st, 16)));
			if (!row_allowed(a, st))
				continue;
			json_t *r = list_row(st, today, d);
			json_object_set_new(r, "href",
					    json_sprintf("/cases/%lld",
							 (long long)store_col_int64(st, 0)));
			json_array_append_new(arr, r);
		}
	}
	arena_release(&ar);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}
