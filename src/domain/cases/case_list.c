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

#define LIST_SQL                                                                                  \
	"SELECT * FROM (SELECT c.id, c.name, c.cpr, c.status, c.team_id, t.name AS team_name, "   \
	"c.care_manager_id, cm.name AS cm_name, c.employment_consultant_id, ec.name AS ec_name, " \
	"c.person_id, c.first_absence_day, "                                                      \
	"(SELECT MIN(k.due) FROM tasks k WHERE k.case_id = c.id AND k.done = 0) AS next_due, "    \
	"CASE WHEN c.team_id IN (SELECT m.team_id FROM memberships m WHERE m.user_id = $1 AND "   \
	"m.role = 'supervisor' AND m.from_date <= $2 AND (m.to_date IS NULL OR m.to_date >= $2)) " \
	"THEN 1 ELSE 0 END AS sup, COUNT(*) OVER () AS total, "                                  \
	"CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END AS closed "                              \
	"FROM cases c JOIN teams t ON t.id = c.team_id "                                          \
	"LEFT JOIN users cm ON cm.id = c.care_manager_id "                                        \
	"LEFT JOIN users ec ON ec.id = c.employment_consultant_id "                               \
	"WHERE ((c.care_manager_id = $1 AND $3 = 'care_manager') "                                \
	"OR (c.employment_consultant_id = $1 AND $3 = 'employment_consultant') "                  \
	"OR (c.person_id = $1 AND $3 = 'service_user') "                                          \
	"OR ($3 = 'supervisor' AND c.team_id IN (SELECT m2.team_id FROM memberships m2 WHERE "    \
	"m2.user_id = $1 AND m2.role = 'supervisor' AND m2.from_date <= $2 AND "                 \
	"(m2.to_date IS NULL OR m2.to_date >= $2)))) "                                            \
	"AND ($4 = '' OR c.status = $4) AND ($5 = 0 OR c.team_id = $5) "                          \
	"AND ($6 = '' OR LOWER(c.name) LIKE $6 ESCAPE '\\' OR c.cpr LIKE $7)) s "                 \
	"ORDER BY s.closed, CASE WHEN s.next_due IS NULL THEN 1 ELSE 0 END, s.next_due, s.name, " \
	"s.id LIMIT $8 OFFSET $9"

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

static json_t *list_row(struct store_stmt *st)
{
	int64_t id = store_col_int64(st, 0);
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o}", "id",
			 (json_int_t)id, "name", store_col_text(st, 1, NULL), "cpr",
			 store_col_text(st, 2, NULL), "status", store_col_text(st, 3, NULL), "team",
			 ref(st, 4, 5), "care_manager", ref(st, 6, 7), "employment_consultant",
			 ref(st, 8, 9), "first_absence_day", store_col_text(st, 11, NULL),
			 "next_deadline",
			 store_col_is_null(st, 12) ? json_null()
						   : json_string(store_col_text(st, 12, NULL)));
}

static void bind_filter(struct store_stmt *st, const struct actor *a, const struct case_filter *f,
			const char *today, struct arena *ar)
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
	int rc = store_prepare(c, LIST_SQL, &st);
	if (!rc) {
		bind_filter(st, a, f, d, &ar);
		while ((rc = store_step(st)) == STORE_ROW) {
			json_object_set_new(*out, "total", json_integer(store_col_int64(st, 14)));
			if (!row_allowed(a, st))
				continue;
			json_t *r = list_row(st);
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
