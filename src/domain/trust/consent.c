/* consent.c: consent rows. */
#include "domain/trust/consent.h"

#include <assert.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

const char *const consent_directions[2] = {"health_to_jobcentre", "jobcentre_to_health"};

const char *consent_direction(const char *s)
{
	for (int i = 0; i < 2; i++)
		if (str_eq(s, consent_directions[i]))
			return consent_directions[i];
	return NULL;
}

#define H2J 1u
#define J2H 2u
const struct consent_purpose consent_purposes[] = {
    {"benefit_case", H2J},       /* the sickness benefit case, its extension */
    {"job_clarification", H2J},  /* a job clarification programme */
    {"treatment", J2H},          /* the treatment in psychiatry */
    {"return_to_work", H2J | J2H},
    {"coordination", H2J | J2H}, /* the plan and the roundtable meetings */
};
const size_t consent_purposes_n = sizeof consent_purposes / sizeof consent_purposes[0];

const char *consent_purpose_key(const char *direction, const char *key)
{
	unsigned bit = 0;
	for (int i = 0; i < 2; i++)
		if (str_eq(direction, consent_directions[i]))
			bit = 1u << i;
	for (size_t i = 0; bit && key && i < consent_purposes_n; i++)
		if ((consent_purposes[i].dirs & bit) && str_eq(key, consent_purposes[i].key))
			return consent_purposes[i].key;
	return NULL;
}

bool consent_purpose_ok(const char *direction, const char *purpose, bool granted)
{
	return !granted || consent_purpose_key(direction, purpose) != NULL;
}

int consent_record(struct store_conn *c, int64_t case_id, const char *direction, bool granted,
		   const char *purpose, int64_t by_user, int64_t now, int64_t *id)
{
	assert(store_in_write_transaction(c)); /* promised by the header */
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO consents (case_id, direction, granted, purpose, by_user, "
			       "at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_str(st, 2, direction);
	store_bind_int64(st, 3, granted ? 1 : 0);
	store_bind_str(st, 4, purpose ? purpose : "");
	store_bind_int64(st, 5, by_user);
	store_bind_int64(st, 6, now);
	return store_step_id(st, id);
}

static int consent_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct consent_row *r = elem;
	r->id = store_col_int64(st, 0);
	r->direction = consent_direction(store_col_text(st, 1, NULL));
	r->granted = store_col_int64(st, 2) != 0;
	r->purpose = store_col_strdup(st, 3, a);
	r->by_user = store_col_int64(st, 4);
	r->by_name = store_col_strdup(st, 5, a);
	r->at = store_col_int64(st, 6);
	if (!r->direction)
		r->direction = consent_directions[0]; /* the CHECK forbids this */
	return 0;
}

int consent_history(struct store_conn *c, struct arena *a, int64_t case_id,
		    struct consent_row **out, size_t *n)
{
	struct store_stmt *st;
	*out = NULL;
	*n = 0;
	int rc = store_prepare(c,
			       "SELECT k.id, k.direction, k.granted, k.purpose, k.by_user, u.name, "
			       "k.at FROM consents k JOIN users u ON u.id = k.by_user "
			       "WHERE k.case_id = $1 ORDER BY k.id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	return store_read_rows(st, a, sizeof **out, consent_row, NULL, out, n);
}
