/* decision.c: checking and storing decisions. */
#include "domain/trust/decision.h"

#include <string.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/err.h"
#include "base/i18n_key.h"
#include "base/str.h"
#include "domain/messages/notify.h"
#include "store/store.h"

const char *const decision_kinds[4] = {"category", "extension", "job_clarification", "lapse"};

const char *decision_kind(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (str_eq(s, decision_kinds[i]))
			return decision_kinds[i];
	return NULL;
}

static bool text_ok(const char *s, size_t max)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	size_t i = 0;
	while (i < n && strchr(" \t\r\n", s[i]))
		i++;
	return i < n && n <= max && str_valid_utf8(s, n);
}

static int fail(const char **field, const char **key, const char *f, const char *k)
{
	*field = f;
	*key = k;
	return ERR_INVALID;
}

/* The dates: a decision date, a hearing on or before it, a lapse period. */
static int check_dates(const struct decision *d, const char **field, const char **key)
{
	day_t on, hearing, from, to;
	if (!d->on || date_parse(d->on, &on))
		return fail(field, key, "on", N_("trust.err.decision_on"));
	if (!d->hearing || !*d->hearing)
		return fail(field, key, "hearing", N_("trust.err.hearing_missing"));
	if (date_parse(d->hearing, &hearing))
		return fail(field, key, "hearing", N_("trust.err.hearing_date"));
	if (hearing > on)
		return fail(field, key, "hearing", N_("trust.err.hearing_after"));
	if (d->kind == decision_kinds[3]) {
		if (!d->lapse_from || date_parse(d->lapse_from, &from))
			return fail(field, key, "lapse_from", N_("trust.err.lapse_from"));
		if (d->lapse_to && (date_parse(d->lapse_to, &to) || to < from))
			return fail(field, key, "lapse_to", N_("trust.err.lapse_to"));
	}
	return 0;
}

int decision_check(const struct decision *d, const char **field, const char **msg_key)
{
	if (!d->kind)
		return fail(field, msg_key, "kind", N_("trust.err.decision_kind"));
	if (d->kind == decision_kinds[1] && (d->ground < 1 || d->ground > 7))
		return fail(field, msg_key, "ground", N_("trust.err.ground"));
	if (d->kind == decision_kinds[0] && (d->category < 1 || d->category > 3))
		return fail(field, msg_key, "category", N_("trust.err.decision_category"));
	int rc = check_dates(d, field, msg_key);
	if (rc)
		return rc;
	if (!text_ok(d->reasons, DECISION_TEXT_MAX))
		return fail(field, msg_key, "reasons", N_("trust.err.reasons"));
	if (d->legal_basis && (strlen(d->legal_basis) > 500 ||
			       !str_valid_utf8(d->legal_basis, strlen(d->legal_basis))))
		return fail(field, msg_key, "legal_basis", N_("trust.err.legal_basis"));
	return 0;
}

int decision_create(struct store_conn *c, int64_t case_id, const struct decision *d,
		    int64_t now, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO decisions (case_id, kind, ground, category, hearing, "
			       "on_date, lapse_from, lapse_to, legal_basis, reasons, complaint, "
			       "author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
			       "$10, $11, $12, $13) RETURNING id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_str(st, 2, d->kind);
	if (d->ground)
		store_bind_int64(st, 3, d->ground);
	else
		store_bind_null(st, 3);
	if (d->category)
		store_bind_int64(st, 4, d->category);
	else
		store_bind_null(st, 4);
	store_bind_str(st, 5, d->hearing);
	store_bind_str(st, 6, d->on);
	store_bind_str(st, 7, d->lapse_from);
	store_bind_str(st, 8, d->lapse_to);
	store_bind_str(st, 9, d->legal_basis ? d->legal_basis : "");
	store_bind_str(st, 10, d->reasons);
	store_bind_str(st, 11, d->complaint ? d->complaint : "");
	store_bind_int64(st, 12, d->author_id);
	store_bind_int64(st, 13, now);
	rc = store_step_id(st, id);
	/* The person is told in the same transaction (no content: a link). */
	return rc ? rc : notify_decision(c, case_id, *id, now);
}

static int decision_row(struct store_stmt *st, struct arena *a, void *elem, void *ud)
{
	struct decision *d = elem;
	d->id = store_col_int64(st, 0);
	d->kind = decision_kind(store_col_text(st, 1, NULL));
	if (!d->kind)
		d->kind = decision_kinds[0];
	d->ground = store_col_is_null(st, 2) ? 0 : (int)store_col_int64(st, 2);
	d->category = store_col_is_null(st, 3) ? 0 : (int)store_col_int64(st, 3);
	d->hearing = store_col_strdup(st, 4, a);
	d->on = store_col_strdup(st, 5, a);
	d->lapse_from = store_col_strdup(st, 6, a);
	d->lapse_to = store_col_strdup(st, 7, a);
	d->legal_basis = store_col_strdup(st, 8, a);
	d->reasons = store_col_strdup(st, 9, a);
	d->complaint = store_col_strdup(st, 10, a);
	d->author_id = store_col_int64(st, 11);
	d->author_name = store_col_strdup(st, 12, a);
	d->created_at = store_col_int64(st, 13);
	return 0;
}

int decision_list(struct store_conn *c, struct arena *a, int64_t case_id,
		  struct decision **out, size_t *n)
{
	struct store_stmt *st;
	*out = NULL;
	*n = 0;
	int rc = store_prepare(c,
			       "SELECT d.id, d.kind, d.ground, d.category, d.hearing, d.on_date, "
			       "d.lapse_from, d.lapse_to, d.legal_basis, d.reasons, d.complaint, "
			       "d.author_id, u.name, d.created_at FROM decisions d JOIN users u ON "
			       "u.id = d.author_id WHERE d.case_id = $1 "
			       "ORDER BY d.on_date DESC, d.id DESC",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, case_id);
	return store_read_rows(st, a, sizeof **out, decision_row, NULL, out, n);
}
