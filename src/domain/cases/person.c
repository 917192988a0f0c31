/* person.c: the service user's case and the people assigned to it. */
#include "domain/cases/person.h"

#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/store.h"

/* Open cases first, then the latest closed one (by outcome, then id). */
static const char SQL_MY_CASE[] =
    "SELECT c.id, c.status, c.name, c.care_manager_id, cm.name, cmo.name, "
    "c.employment_consultant_id, ec.name, eco.name FROM cases c "
    "LEFT JOIN users cm ON cm.id = c.care_manager_id "
    "LEFT JOIN organisations cmo ON cmo.id = cm.organisation_id "
    "LEFT JOIN users ec ON ec.id = c.employment_consultant_id "
    "LEFT JOIN organisations eco ON eco.id = ec.organisation_id "
    "WHERE c.person_id = $1 "
    "ORDER BY CASE WHEN c.status = 'open' THEN 0 ELSE 1 END, "
    "COALESCE(c.outcome_on, c.referred_on) DESC, c.id DESC LIMIT 1";

static int64_t opt_id(struct store_stmt *st, int col)
{
	return store_col_is_null(st, col) ? 0 : store_col_int64(st, col);
}

static int my_case_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct person_case *out = elem;
	out->case_id = store_col_int64(st, 0);
	out->open = strcmp(store_col_text(st, 1, NULL), "open") == 0;
	out->name = store_col_strdup(st, 2, a);
	out->cm_id = opt_id(st, 3);
	out->cm_name = store_col_strdup(st, 4, a);
	out->cm_org = store_col_strdup(st, 5, a);
	out->ec_id = opt_id(st, 6);
	out->ec_name = store_col_strdup(st, 7, a);
	out->ec_org = store_col_strdup(st, 8, a);
	return 0;
}

int person_my_case(struct store_conn *c, int64_t person_id, struct arena *a,
		   struct person_case *out)
{
	struct store_stmt *st;
	memset(out, 0, sizeof *out);
	int rc = store_prepare(c, SQL_MY_CASE, &st);
	if (rc || (rc = store_bind_int64(st, 1, person_id)))
		return rc;
	return store_read_row(st, a, my_case_row, NULL, out);
}
