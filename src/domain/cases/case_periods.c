/* case_periods.c: absences, earlier benefit and events. */
#include "domain/cases/case_periods.h"

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

static const char *const event_kinds[] = {"rehabilitation_started", "rehab_team_decision",
					  "work_injury_decision", "pension_decision",
					  "returned_to_work"};

static int period_check(struct in_ctx *x, json_t *p, const char *name, int i, bool to_required,
			const char *key)
{
	if (!json_is_object(p))
		return in_fail(x, in_path(x, name, i, NULL), key);
	const char *from, *to;
	day_t df = 0, dt = 0;
	int rc = in_date(x, p, "from", in_path(x, name, i, "from"), IN_REQUIRED, key, &from, &df);
	if (!rc)
		rc = in_date(x, p, "to", in_path(x, name, i, "to"),
			     to_required ? IN_REQUIRED : IN_NULLABLE, key, &to, &dt);
	if (!rc && to && dt < df)
		rc = in_fail(x, in_path(x, name, i, "to"), "cases.err.to_before_from");
	bool partial, has;
	if (!rc)
		rc = in_bool(x, p, "partial", in_path(x, name, i, "partial"), key, &partial, &has);
	return rc;
}

static int insert_period(struct store_conn *c, const char *sql, int64_t case_id, json_t *p,
			 bool with_partial)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	json_t *to = json_object_get(p, "to");
	json_t *part = json_object_get(p, "partial");
	bool partial = json_is_true(part) ||
		       (json_is_string(part) && (str_eq(json_string_value(part), "true") ||
						 str_eq(json_string_value(part), "1") ||
						 str_eq(json_string_value(part), "on")));
	store_bind_int64(st, 1, case_id);
	store_bind_str(st, 2, json_string_value(json_object_get(p, "from")));
	const char *tos = json_is_string(to) ? json_string_value(to) : NULL;
	store_bind_str(st, 3, tos && *tos ? tos : NULL);
	if (with_partial)
		store_bind_int64(st, 4, partial);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int case_periods_absences(struct store_conn *c, struct in_ctx *x, int64_t case_id, json_t *arr)
{
	size_t i;
	json_t *p;
	json_array_foreach(arr, i, p)
	{
		int rc = period_check(x, p, "absences", (int)i, false, "cases.err.absences");
		if (rc)
			return rc;
	}
	json_array_foreach(arr, i, p)
	{
		int rc = insert_period(c,
				       "INSERT INTO case_absences (case_id, from_date, to_date, "
				       "partial) VALUES ($1, $2, $3, $4)",
				       case_id, p, true);
		if (rc)
			return rc;
	}
	return 0;
}

int case_periods_earlier(struct store_conn *c, struct in_ctx *x, int64_t case_id, json_t *arr)
{
	size_t i;
	json_t *p;
	json_array_foreach(arr, i, p)
	{
		int rc = period_check(x, p, "earlier_benefit", (int)i, true,
				      "cases.err.earlier_benefit");
		if (rc)
			return rc;
	}
	json_array_foreach(arr, i, p)
	{
		int rc = insert_period(c,
				       "INSERT INTO case_earlier_benefit (case_id, from_date, "
				       "to_date) VALUES ($1, $2, $3)",
				       case_id, p, false);
		if (rc)
			return rc;
	}
	return 0;
}

int case_periods_clear(struct store_conn *c, int64_t case_id, int absences)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       absences ? "DELETE FROM case_absences WHERE case_id = $1"
					: "DELETE FROM case_earlier_benefit WHERE case_id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int case_event_add(struct store_conn *c, int64_t case_id, const char *kind, const char *on,
		   int64_t by, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO case_events (case_id, kind, on_date, created_by, "
			       "created_at) VALUES ($1, $2, $3, $4, $5)",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_str(st, 2, kind);
	store_bind_str(st, 3, on);
	store_bind_int64(st, 4, by);
	store_bind_int64(st, 5, now);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

static int event_check(struct in_ctx *x, json_t *e, int i)
{
	if (!json_is_object(e))
		return in_fail(x, in_path(x, "events", i, NULL), "cases.err.events");
	const char *kind, *on;
	int rc = in_text(x, e, "kind", in_path(x, "events", i, "kind"), IN_REQUIRED, 64,
			 "cases.err.event_kind", &kind);
	bool ok = false;
	for (size_t k = 0; !rc && k < sizeof event_kinds / sizeof event_kinds[0]; k++)
		ok |= str_eq(kind, event_kinds[k]);
	if (!rc && !ok)
		rc = in_fail(x, in_path(x, "events", i, "kind"), "cases.err.event_kind");
	if (!rc)
		rc = in_date(x, e, "on", in_path(x, "events", i, "on"), IN_REQUIRED,
			     "cases.err.event_on", &on, NULL);
	return rc;
}

int case_periods_events(struct store_conn *c, struct in_ctx *x, int64_t case_id, json_t *arr,
			int64_t by, int64_t now)
{
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e)
	{
		int rc = event_check(x, e, (int)i);
		if (rc)
			return rc;
	}
	json_array_foreach(arr, i, e)
	{
		int rc = case_event_add(c, case_id, json_string_value(json_object_get(e, "kind")),
					json_string_value(json_object_get(e, "on")), by, now);
		if (rc)
			return rc;
	}
	return 0;
}
