/* survey.c: survey rounds, answers and results (survey.h). */
#include "domain/insight/survey.h"

#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

const char *survey_round_state(const struct survey_round *r, const char *today)
{
	if (strcmp(today, r->opens) < 0)
		return "upcoming";
	return strcmp(today, r->closes) > 0 ? "closed" : "open";
}

int survey_rater_role(const char *role, const char *org_kind)
{
	if (str_eq(role, "care_manager"))
		return 0;
	if (str_eq(role, "employment_consultant"))
		return 1;
	if (str_eq(role, "supervisor"))
		return str_eq(org_kind, "health") ? 2 : str_eq(org_kind, "jobcentre") ? 3 : -1;
	return -1;
}

int survey_round_create(struct store_conn *c, int64_t team, const char *instrument,
			const char *opens, const char *closes, int64_t by, int64_t now, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO survey_rounds (team_id, instrument, opens, closes, "
			       "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	store_bind_str(st, 2, instrument);
	store_bind_str(st, 3, opens);
	store_bind_str(st, 4, closes);
	store_bind_int64(st, 5, by);
	store_bind_int64(st, 6, now);
	return store_step_id(st, id);
}

#define ROUND_COLS                                                                                 \
	"r.id, r.team_id, r.instrument, r.opens, r.closes, "                                       \
	"(SELECT count(*) FROM round_responses p WHERE p.round_id = r.id), "                       \
	"(SELECT count(*) FROM round_responses p WHERE p.round_id = r.id AND p.respondent_id = $2) "

static void round_row(struct store_stmt *st, struct arena *a, struct survey_round *r)
{
	r->id = store_col_int64(st, 0);
	r->team_id = store_col_int64(st, 1);
	r->instrument = store_col_strdup(st, 2, a);
	r->opens = store_col_strdup(st, 3, a);
	r->closes = store_col_strdup(st, 4, a);
	r->respondents = store_col_int64(st, 5);
	r->answered_by_me = store_col_int64(st, 6) > 0;
}

int survey_rounds_list(struct store_conn *c, int64_t team, int64_t actor, struct arena *a,
		       struct survey_round **v, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT " ROUND_COLS "FROM survey_rounds r WHERE r.team_id = $1 "
			       "ORDER BY r.opens DESC, r.id DESC",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	store_bind_int64(st, 2, actor);
	*v = NULL;
	*n = 0;
	size_t cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		*v = arena_grow(a, *v, *n, &cap, sizeof **v);
		round_row(st, a, &(*v)[(*n)++]);
	}
	return rc < 0 ? rc : 0;
}

int survey_round_get(struct store_conn *c, int64_t id, int64_t actor, struct arena *a,
		     struct survey_round *out)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT " ROUND_COLS "FROM survey_rounds r WHERE r.id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, actor);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		round_row(st, a, out);
		store_reset(st);
		return 0;
	}
	return rc < 0 ? rc : ERR_NOT_FOUND;
}

int survey_response_get(struct store_conn *c, int64_t round, int64_t actor, struct arena *a,
			bool *answered, int *rater, struct survey_rating **v, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT p.rater_role, x.rated_role, x.item, x.value FROM round_responses p "
			       "LEFT JOIN round_ratings x ON x.response_id = p.id "
			       "WHERE p.round_id = $1 AND p.respondent_id = $2 "
			       "ORDER BY x.rated_role, x.item",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, round);
	store_bind_int64(st, 2, actor);
	*answered = false;
	*rater = -1;
	*v = NULL;
	*n = 0;
	size_t cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		*answered = true;
		*rater = instr_role_parse(store_col_text(st, 0, NULL));
		if (store_col_is_null(st, 1))
			continue;
		*v = arena_grow(a, *v, *n, &cap, sizeof **v);
		struct survey_rating *r = &(*v)[(*n)++];
		r->rated = instr_role_parse(store_col_text(st, 1, NULL));
		r->item = store_col_strdup(st, 2, a);
		r->value = (int)store_col_int64(st, 3);
	}
	return rc < 0 ? rc : 0;
}

static int response_id(struct store_conn *c, int64_t round, int64_t actor, int rater, int64_t now,
		       int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT id FROM round_responses WHERE round_id = $1 AND respondent_id = $2",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, round);
	store_bind_int64(st, 2, actor);
	if ((rc = store_step(st)) == STORE_ROW) {
		*id = store_col_int64(st, 0);
		store_reset(st);
		if ((rc = store_prepare(c,
					"UPDATE round_responses SET rater_role = $2, updated_at = $3 "
					"WHERE id = $1",
					&st)))
			return rc;
		store_bind_int64(st, 1, *id);
		store_bind_str(st, 2, instr_role_name(rater));
		store_bind_int64(st, 3, now);
		rc = store_step(st);
		return rc < 0 ? rc : 0;
	}
	if (rc < 0)
		return rc;
	if ((rc = store_prepare(c,
				"INSERT INTO round_responses (round_id, respondent_id, rater_role, "
				"updated_at) VALUES ($1, $2, $3, $4) RETURNING id",
				&st)))
		return rc;
	store_bind_int64(st, 1, round);
	store_bind_int64(st, 2, actor);
	store_bind_str(st, 3, instr_role_name(rater));
	store_bind_int64(st, 4, now);
	return store_step_id(st, id);
}

int survey_response_put(struct store_conn *c, const struct instrument *in, int64_t round,
			int64_t actor, int rater, const struct survey_rating *v, size_t n,
			int64_t now)
{
	int64_t id;
	int rc = response_id(c, round, actor, rater, now, &id);
	struct store_stmt *st;
	if (rc || (rc = store_prepare(c, "DELETE FROM round_ratings WHERE response_id = $1", &st)))
		return rc;
	store_bind_int64(st, 1, id);
	if ((rc = store_step(st)) < 0)
		return rc;
	if ((rc = store_prepare(c,
				"INSERT INTO round_ratings (response_id, rated_role, item, dimension, "
				"value) VALUES ($1, $2, $3, $4, $5)",
				&st)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		const struct instr_item *it = instrument_item(in, v[i].item);
		if (!it)
			return ERR_INVALID;
		store_bind_int64(st, 1, id);
		store_bind_str(st, 2, instr_role_name(v[i].rated));
		store_bind_str(st, 3, it->id);
		store_bind_str(st, 4, instr_dimension_name(it->dimension));
		store_bind_int64(st, 5, v[i].value);
		if ((rc = store_step(st)) < 0)
			return rc;
	}
	return 0;
}

int survey_results(struct store_conn *c, int64_t round, struct rc_results *r,
		   int64_t *respondents)
{
	memset(r, 0, sizeof *r);
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT count(*) FROM round_responses WHERE round_id = $1", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, round);
	*respondents = 0;
	if ((rc = store_step(st)) == STORE_ROW)
		*respondents = store_col_int64(st, 0);
	store_reset(st);
	if (rc < 0)
		return rc;
	if ((rc = store_prepare(c,
				"SELECT p.rater_role, x.rated_role, x.dimension, sum(x.value), "
				"count(*), count(DISTINCT p.id) FROM round_responses p "
				"JOIN round_ratings x ON x.response_id = p.id WHERE p.round_id = $1 "
				"GROUP BY p.rater_role, x.rated_role, x.dimension",
				&st)))
		return rc;
	store_bind_int64(st, 1, round);
	while ((rc = store_step(st)) == STORE_ROW) {
		int a = instr_role_parse(store_col_text(st, 0, NULL));
		int b = instr_role_parse(store_col_text(st, 1, NULL));
		int d = instr_dimension_parse(store_col_text(st, 2, NULL));
		if (a < 0 || b < 0 || d < 0)
			continue;
		struct agg *g = &r->cell[a][b][d];
		g->sum = (long)store_col_int64(st, 3);
		g->values = (long)store_col_int64(st, 4);
		g->n = (long)store_col_int64(st, 5);
	}
	if (rc < 0)
		return rc;
	suppress_results(r);
	return 0;
}
