/* study.c: studies, their teams and researchers, and their sealed keys. */
#include "domain/research/study.h"

#include <sodium.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/research/qual.h"
#include "domain/trust/access.h"
#include "domain/trust/seal.h"
#include "policy/policy.h"
#include "store/store.h"

/* The study's concepts (DESIGN.md section 9), in both languages: the
 * codebook every new study starts with. */
static const struct study_concept concepts[] = {
	{"Trust", "Tillid", -1},
	{"Distrust", "Mistillid", -1},
	{"Vulnerability", "Sårbarhed", -1},
	{"Uncertainty", "Usikkerhed", -1},
	{"Trust-building strategies", "Tillidsskabende strategier", -1},
	{"Time to know each other", "Tid til at lære hinanden at kende", 4},
	{"A caring approach", "En omsorgsfuld tilgang", 4},
	{"Shared interests", "Fælles interesser", 4},
	{"Transparency about the law", "Åbenhed om lovgivningen", 4},
};

const struct study_concept *study_concepts(size_t *n)
{
	*n = sizeof concepts / sizeof concepts[0];
	return concepts;
}

/* The ids of an array member, each checked by `exists`; at least one. */
static int read_ids(struct store_conn *c, struct in_ctx *x, json_t *in, const char *name,
		    const char *key, const char *sql, int64_t **ids, size_t *n)
{
	json_t *arr;
	int rc = in_array(x, in, name, key, &arr);
	if (rc)
		return rc;
	if (!arr) {
		/* A form sends one value as a string. */
		json_t *one = json_object_get(in, name);
		if (!json_is_string(one) || !json_string_length(one))
			return in_fail(x, name, key);
		arr = json_pack("[O]", one);
		json_object_set_new(in, name, arr);
	}
	size_t len = json_array_size(arr);
	if (len == 0 || len > 1000)
		return in_fail(x, name, key);
	*ids = arena_array(x->a, len, sizeof **ids);
	*n = 0;
	for (size_t i = 0; i < len; i++) {
		json_t *wrap = json_pack("{s:O}", "v", json_array_get(arr, i));
		int64_t id = 0;
		const char *field = in_path(x, name, (int)i, NULL);
		rc = in_id(x, wrap, "v", field, IN_REQUIRED, key, &id);
		json_decref(wrap);
		if (rc)
			return rc;
		struct store_stmt *st;
		if ((rc = store_prepare(c, sql, &st)))
			return rc;
		store_bind_int64(st, 1, id);
		rc = store_step(st);
		store_reset(st);
		if (rc < 0)
			return rc;
		if (rc != STORE_ROW)
			return in_fail(x, field, key);
		bool dup = false;
		for (size_t k = 0; k < *n; k++)
			dup |= (*ids)[k] == id;
		if (!dup)
			(*ids)[(*n)++] = id;
	}
	return 0;
}

struct study_in {
	const char *name, *from, *to, *dates;
	day_t dfrom, dto;
	int64_t *teams, *researchers;
	size_t n_teams, n_researchers;
};

static int study_read(struct store_conn *c, struct in_ctx *x, json_t *in, struct study_in *s)
{
	int rc = in_text(x, in, "name", "name", IN_REQUIRED, STUDY_NAME_MAX,
			 "research.err.name", &s->name);
	if (!rc)
		rc = read_ids(c, x, in, "teams", "research.err.teams",
			      "SELECT 1 FROM teams WHERE id = $1", &s->teams, &s->n_teams);
	if (!rc)
		rc = in_date(x, in, "from", "from", IN_REQUIRED, "research.err.from", &s->from,
			     &s->dfrom);
	if (!rc)
		rc = in_date(x, in, "to", "to", IN_REQUIRED, "research.err.to", &s->to, &s->dto);
	if (!rc && s->dto < s->dfrom)
		rc = in_fail(x, "to", "research.err.to_before_from");
	if (!rc)
		rc = read_ids(c, x, in, "researchers", "research.err.researchers",
			      "SELECT 1 FROM users WHERE id = $1 AND role = 'researcher'",
			      &s->researchers, &s->n_researchers);
	s->dates = "shift";
	if (!rc)
		rc = in_text(x, in, "dates", "dates", IN_OPTIONAL, 16, "research.err.dates",
			     &s->dates);
	if (!rc && !s->dates)
		s->dates = "shift";
	if (!rc && !str_eq(s->dates, "shift") && !str_eq(s->dates, "month"))
		rc = in_fail(x, "dates", "research.err.dates");
	return rc;
}

static int name_taken(struct store_conn *c, const char *name, bool *taken)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT 1 FROM studies WHERE name = $1", &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, name);
	rc = store_step(st);
	store_reset(st);
	*taken = rc == STORE_ROW;
	return rc < 0 ? rc : 0;
}

static int insert_pairs(struct store_conn *c, const char *sql, int64_t id, const int64_t *v,
			size_t n)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	for (size_t i = 0; !rc && i < n; i++) {
		store_bind_int64(st, 1, id);
		store_bind_int64(st, 2, v[i]);
		rc = store_step(st);
		rc = rc == STORE_DONE ? 0 : rc < 0 ? rc : ERR_DB;
	}
	return rc;
}

static int study_insert(struct store_conn *c, struct arena *a, const struct study_in *s,
			int64_t by, int64_t now, int64_t *id)
{
	unsigned char key[STUDY_KEY_BYTES];
	randombytes_buf(key, sizeof key);
	unsigned char *sealed;
	size_t slen;
	int rc = seal_encrypt(a, (const char *)key, sizeof key, &sealed, &slen);
	sodium_memzero(key, sizeof key);
	if (rc)
		return rc;
	struct store_stmt *st;
	if ((rc = store_prepare(c,
				"INSERT INTO studies (name, from_date, to_date, dates, key_sealed, "
				"created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
				"RETURNING id",
				&st)))
		return rc;
	store_bind_str(st, 1, s->name);
	store_bind_str(st, 2, s->from);
	store_bind_str(st, 3, s->to);
	store_bind_str(st, 4, s->dates);
	store_bind_blob(st, 5, sealed, slen);
	store_bind_int64(st, 6, by);
	store_bind_int64(st, 7, now);
	if ((rc = store_step_id(st, id)))
		return rc;
	rc = insert_pairs(c, "INSERT INTO study_teams (study_id, team_id) VALUES ($1, $2)", *id,
			  s->teams, s->n_teams);
	if (!rc)
		rc = insert_pairs(c,
				  "INSERT INTO study_researchers (study_id, user_id) VALUES ($1, $2)",
				  *id, s->researchers, s->n_researchers);
	return rc;
}

/* The codebook every study starts with. */
static int preload_codes(struct store_conn *c, int64_t study, int64_t now)
{
	int64_t ids[sizeof concepts / sizeof concepts[0]];
	for (size_t i = 0; i < sizeof concepts / sizeof concepts[0]; i++) {
		int64_t parent = concepts[i].parent >= 0 ? ids[concepts[i].parent] : 0;
		int rc = qual_code_insert(c, study, parent, concepts[i].en, concepts[i].da, "", NULL,
					  now, &ids[i]);
		if (rc)
			return rc;
	}
	return 0;
}

int study_create(struct store_conn *c, struct in_ctx *x, json_t *in, const struct actor *by,
		 int64_t now, int64_t *id)
{
	if (!seal_ready())
		return ERR_UNAVAILABLE;
	struct study_in s = {0};
	int rc = store_begin_write(c);
	if (rc)
		return rc;
	rc = study_read(c, x, in, &s);
	bool taken = false;
	if (!rc && !(rc = name_taken(c, s.name, &taken)) && taken) {
		x->fe->field = "name";
		x->fe->key = "research.err.name_taken";
		rc = ERR_CONFLICT;
	}
	if (!rc)
		rc = study_insert(c, x->a, &s, by->id, now, id);
	if (!rc)
		rc = preload_codes(c, *id, now);
	if (!rc)
		rc = qual_audit(c, by, now, "study",
				arena_printf(x->a, "study:%lld", (long long)*id), "create");
	return store_end(c, rc);
}

/* Appends the ids (column 0) and names (column 1) of a query by study id. */
static int pairs_json(struct store_conn *c, const char *sql, int64_t id, json_t *ids,
		      json_t *names)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	while ((rc = store_step(st)) == STORE_ROW) {
		json_array_append_new(ids, json_integer(store_col_int64(st, 0)));
		json_array_append_new(names, json_string(store_col_text(st, 1, NULL)));
	}
	return rc < 0 ? rc : 0;
}

int study_get_json(struct store_conn *c, int64_t id, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT name, from_date, to_date, dates, created_by FROM studies "
			       "WHERE id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	json_t *s = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:[], s:[], s:[], s:[]}", "id",
			      (json_int_t)id, "name", store_col_text(st, 0, NULL), "from",
			      store_col_text(st, 1, NULL), "to", store_col_text(st, 2, NULL),
			      "dates", store_col_text(st, 3, NULL), "created_by",
			      (json_int_t)store_col_int64(st, 4), "teams", "team_names",
			      "researchers", "researcher_names");
	store_reset(st);
	rc = pairs_json(c,
			"SELECT t.id, t.name FROM study_teams s JOIN teams t ON t.id = s.team_id "
			"WHERE s.study_id = $1 ORDER BY t.name, t.id",
			id, json_object_get(s, "teams"), json_object_get(s, "team_names"));
	if (!rc)
		rc = pairs_json(c,
				"SELECT u.id, u.name FROM study_researchers s JOIN users u "
				"ON u.id = s.user_id WHERE s.study_id = $1 ORDER BY u.name, u.id",
				id, json_object_get(s, "researchers"),
				json_object_get(s, "researcher_names"));
	if (rc) {
		json_decref(s);
		return rc;
	}
	*out = s;
	return 0;
}

int study_list_json(struct store_conn *c, const struct actor *a, json_t **out)
{
	const char *sql =
		a->role == ROLE_ADMIN
			? "SELECT id, name, from_date, to_date, dates FROM studies "
			  "WHERE created_by = $1 ORDER BY name, id"
			: "SELECT s.id, s.name, s.from_date, s.to_date, s.dates FROM studies s "
			  "JOIN study_researchers r ON r.study_id = s.id AND r.user_id = $1 "
			  "ORDER BY s.name, s.id";
	json_t *arr = json_array();
	*out = arr;
	if (a->role != ROLE_ADMIN && a->role != ROLE_RESEARCHER)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, a->id);
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(
			arr, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
				       (json_int_t)store_col_int64(st, 0), "name",
				       store_col_text(st, 1, NULL), "from",
				       store_col_text(st, 2, NULL), "to", store_col_text(st, 3, NULL),
				       "dates", store_col_text(st, 4, NULL)));
	return rc < 0 ? rc : 0;
}

int study_policy_actor(struct store_conn *c, const struct actor *a, int64_t study_id,
		       struct policy_actor *out)
{
	memset(out, 0, sizeof *out);
	out->role = access_role(a->role);
	out->org = a->role == ROLE_SERVICE_USER ? POLICY_ORG_NONE : access_org(a->org_kind);
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT created_by, (SELECT count(*) FROM study_researchers r "
			       "WHERE r.study_id = s.id AND r.user_id = $2) FROM studies s "
			       "WHERE s.id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, study_id);
	store_bind_int64(st, 2, a->id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	out->is_study_creator = a->role == ROLE_ADMIN && store_col_int64(st, 0) == a->id;
	out->is_study_researcher = a->role == ROLE_RESEARCHER && store_col_int64(st, 1) > 0;
	store_reset(st);
	return 0;
}

int study_load(struct store_conn *c, struct arena *a, int64_t id, struct study *out)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT name, from_date, to_date, dates, key_sealed FROM studies "
			       "WHERE id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	memset(out, 0, sizeof *out);
	out->id = id;
	out->name = store_col_strdup(st, 0, a);
	int bad = date_parse(store_col_text(st, 1, NULL), &out->from) |
		  date_parse(store_col_text(st, 2, NULL), &out->to);
	out->month = str_eq(store_col_text(st, 3, NULL), "month");
	size_t n;
	const void *sealed = store_col_blob(st, 4, &n);
	char *key = NULL;
	rc = bad ? ERR_DB : n != STUDY_KEY_BYTES + SEAL_OVERHEAD ? ERR_DB : 0;
	if (!rc)
		rc = seal_decrypt(a, sealed, n, &key);
	store_reset(st);
	if (rc)
		return rc;
	memcpy(out->key, key, STUDY_KEY_BYTES);
	sodium_memzero(key, STUDY_KEY_BYTES);
	if ((rc = store_prepare(c, "SELECT team_id FROM study_teams WHERE study_id = $1 "
				   "ORDER BY team_id",
				&st)))
		return rc;
	store_bind_int64(st, 1, id);
	size_t cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		ARENA_RESERVE(a, out->teams, out->n_teams, cap);
		out->teams[out->n_teams++] = store_col_int64(st, 0);
	}
	return rc < 0 ? rc : 0;
}

int study_choices_json(struct store_conn *c, json_t **teams, json_t **researchers)
{
	*teams = json_array();
	*researchers = json_array();
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT id, name FROM teams ORDER BY name, id", &st);
	while (!rc && (rc = store_step(st)) == STORE_ROW)
		json_array_append_new(*teams, json_pack("{s:I, s:s}", "id",
							(json_int_t)store_col_int64(st, 0), "name",
							store_col_text(st, 1, NULL)));
	if (rc < 0)
		return rc;
	rc = store_prepare(c,
			   "SELECT id, name, username FROM users WHERE role = 'researcher' "
			   "AND disabled = 0 ORDER BY name, id",
			   &st);
	while (!rc && (rc = store_step(st)) == STORE_ROW)
		json_array_append_new(*researchers,
				      json_pack("{s:I, s:s, s:s}", "id",
						(json_int_t)store_col_int64(st, 0), "name",
						store_col_text(st, 1, NULL), "username",
						store_col_text(st, 2, NULL)));
	return rc < 0 ? rc : 0;
}
