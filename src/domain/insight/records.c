/* records.c: the integration log, the glossary and supervision actions
 * (records.h). The two versioned kinds share one implementation; each has
 * its own SQL, written out in full. */
#include "domain/insight/records.h"

#include <string.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

#define TEXT_MAX 4000

static const char *const log_dims[] = {"shared_culture", "shared_norms", "shared_goals", NULL};
static const char *const log_types[] = {"macro_legislation", "meso_negotiation",
					"organisational_change", "person_based",
					"top_down", "bottom_up", NULL};
static const char *const log_status[] = {"open", "addressed", NULL};
static const char *const decided_how[] = {"top_down", "bottom_up", "negotiated", NULL};

static const struct rec_field log_fields[] = {
    {"dimension", REC_ENUM, true, 0, log_dims},
    {"barrier", REC_TEXT, true, TEXT_MAX, NULL},
    {"strategy", REC_TEXT, false, TEXT_MAX, NULL},
    {"strategy_type", REC_ENUM, false, 0, log_types},
    {"implications", REC_TEXT, false, TEXT_MAX, NULL},
    {"status", REC_ENUM, true, 0, log_status},
};

const struct rec_kind rec_integration_log = {
    "integration_log", log_fields, sizeof log_fields / sizeof log_fields[0],
    "INSERT INTO integration_log (team_id, dimension, barrier, strategy, strategy_type, "
    "implications, status, author_id, created_at, updated_by, updated_at) VALUES ($1, $2, $3, $4, "
    "$5, $6, $7, $8, $9, $8, $9) RETURNING id",
    "UPDATE integration_log SET version = version + 1, dimension = $2, barrier = $3, strategy = "
    "$4, strategy_type = $5, implications = $6, status = $7, updated_by = $8, updated_at = $9 "
    "WHERE id = $1",
    "INSERT INTO integration_log_versions (entry_id, version, dimension, barrier, strategy, "
    "strategy_type, implications, status, by_user, at) SELECT id, version, dimension, barrier, "
    "strategy, strategy_type, implications, status, updated_by, updated_at FROM integration_log "
    "WHERE id = $1",
    "SELECT e.id, e.team_id, e.version, e.dimension, e.barrier, e.strategy, e.strategy_type, "
    "e.implications, e.status, a.name, u.name, e.created_at, e.updated_at FROM integration_log e "
    "JOIN users a ON a.id = e.author_id JOIN users u ON u.id = e.updated_by WHERE e.team_id = $1 "
    "ORDER BY e.dimension, e.status DESC, e.id",
    "SELECT e.id, e.team_id, e.version, e.dimension, e.barrier, e.strategy, e.strategy_type, "
    "e.implications, e.status, a.name, u.name, e.created_at, e.updated_at FROM integration_log e "
    "JOIN users a ON a.id = e.author_id JOIN users u ON u.id = e.updated_by WHERE e.id = $1",
    "SELECT v.entry_id, 0, v.version, v.dimension, v.barrier, v.strategy, v.strategy_type, "
    "v.implications, v.status, u.name, u.name, v.at, v.at FROM integration_log_versions v JOIN "
    "users u ON u.id = v.by_user WHERE v.entry_id = $1 ORDER BY v.version",
};

static const struct rec_field glossary_fields[] = {
    {"term_en", REC_TEXT, true, 200, NULL},	 {"term_da", REC_TEXT, true, 200, NULL},
    {"meaning_en", REC_TEXT, false, TEXT_MAX, NULL}, {"meaning_da", REC_TEXT, false, TEXT_MAX, NULL},
    {"avoid", REC_TEXT, false, 1000, NULL},	 {"decided_by", REC_TEXT, false, 200, NULL},
    {"decided_on", REC_DATE, false, 0, NULL},	 {"decided_how", REC_ENUM, false, 0, decided_how},
};

const struct rec_kind rec_glossary = {
    "glossary", glossary_fields, sizeof glossary_fields / sizeof glossary_fields[0],
    "INSERT INTO glossary (team_id, term_en, term_da, meaning_en, meaning_da, avoid, decided_by, "
    "decided_on, decided_how, author_id, created_at, updated_by, updated_at) VALUES ($1, $2, $3, "
    "$4, $5, $6, $7, $8, $9, $10, $11, $10, $11) RETURNING id",
    "UPDATE glossary SET version = version + 1, term_en = $2, term_da = $3, meaning_en = $4, "
    "meaning_da = $5, avoid = $6, decided_by = $7, decided_on = $8, decided_how = $9, updated_by "
    "= $10, updated_at = $11 WHERE id = $1",
    "INSERT INTO glossary_versions (entry_id, version, term_en, term_da, meaning_en, meaning_da, "
    "avoid, decided_by, decided_on, decided_how, by_user, at) SELECT id, version, term_en, "
    "term_da, meaning_en, meaning_da, avoid, decided_by, decided_on, decided_how, updated_by, "
    "updated_at FROM glossary WHERE id = $1",
    "SELECT e.id, e.team_id, e.version, e.term_en, e.term_da, e.meaning_en, e.meaning_da, "
    "e.avoid, e.decided_by, e.decided_on, e.decided_how, a.name, u.name, e.created_at, "
    "e.updated_at FROM glossary e JOIN users a ON a.id = e.author_id JOIN users u ON u.id = "
    "e.updated_by WHERE e.team_id = $1 ORDER BY e.term_en, e.id",
    "SELECT e.id, e.team_id, e.version, e.term_en, e.term_da, e.meaning_en, e.meaning_da, "
    "e.avoid, e.decided_by, e.decided_on, e.decided_how, a.name, u.name, e.created_at, "
    "e.updated_at FROM glossary e JOIN users a ON a.id = e.author_id JOIN users u ON u.id = "
    "e.updated_by WHERE e.id = $1",
    "SELECT v.entry_id, 0, v.version, v.term_en, v.term_da, v.meaning_en, v.meaning_da, v.avoid, "
    "v.decided_by, v.decided_on, v.decided_how, u.name, u.name, v.at, v.at FROM "
    "glossary_versions v JOIN users u ON u.id = v.by_user WHERE v.entry_id = $1 ORDER BY "
    "v.version",
};

int rec_field_index(const struct rec_kind *k, const char *name)
{
	for (size_t i = 0; i < k->nfields; i++)
		if (str_eq(k->fields[i].name, name))
			return (int)i;
	return -1;
}

static bool in_options(const char *const *o, const char *v)
{
	for (; *o; o++)
		if (str_eq(*o, v))
			return true;
	return false;
}

int rec_check(const struct rec_kind *k, const char *const *v, const char **bad)
{
	for (size_t i = 0; i < k->nfields; i++) {
		const struct rec_field *f = &k->fields[i];
		const char *s = v[i];
		*bad = f->name;
		bool empty = !s || strspn(s, " \t\r\n") == strlen(s);
		if (empty) {
			if (f->required)
				return ERR_INVALID;
			continue;
		}
		day_t d;
		switch (f->type) {
		case REC_TEXT:
			if (strlen(s) > f->max || !str_valid_utf8(s, strlen(s)))
				return ERR_INVALID;
			break;
		case REC_ENUM:
			if (!in_options(f->options, s))
				return ERR_INVALID;
			break;
		case REC_DATE:
			if (date_parse(s, &d))
				return ERR_INVALID;
			break;
		}
	}
	*bad = NULL;
	return 0;
}

/* Text columns are '' when empty; options and dates NULL. */
static void bind_values(struct store_stmt *st, const struct rec_kind *k, const char *const *v)
{
	for (size_t i = 0; i < k->nfields; i++) {
		const char *s = v[i];
		bool empty = !s || strspn(s, " \t\r\n") == strlen(s);
		if (empty && k->fields[i].type == REC_TEXT)
			store_bind_str(st, (int)i + 2, "");
		else
			store_bind_str(st, (int)i + 2, empty ? NULL : s);
	}
}

static int keep_version(struct store_conn *c, const struct rec_kind *k, int64_t id)
{
	struct store_stmt *st;
	int rc = store_prepare(c, k->sql_version, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int rec_create(struct store_conn *c, const struct rec_kind *k, int64_t team,
	       const char *const *v, int64_t by, int64_t now, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c, k->sql_insert, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	bind_values(st, k, v);
	store_bind_int64(st, (int)k->nfields + 2, by);
	store_bind_int64(st, (int)k->nfields + 3, now);
	if ((rc = store_step_id(st, id)))
		return rc;
	return keep_version(c, k, *id);
}

int rec_update(struct store_conn *c, const struct rec_kind *k, int64_t id, const char *const *v,
	       int64_t by, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(c, k->sql_update, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	bind_values(st, k, v);
	store_bind_int64(st, (int)k->nfields + 2, by);
	store_bind_int64(st, (int)k->nfields + 3, now);
	if ((rc = store_step(st)) < 0)
		return rc;
	return keep_version(c, k, id);
}

static void entry_row(struct store_stmt *st, const struct rec_kind *k, struct arena *a,
		      struct rec_entry *e)
{
	memset(e, 0, sizeof *e);
	e->id = store_col_int64(st, 0);
	e->team_id = store_col_int64(st, 1);
	e->version = (int)store_col_int64(st, 2);
	int col = 3;
	for (size_t i = 0; i < k->nfields; i++, col++)
		e->v[i] = store_col_strdup(st, col, a);
	e->author = store_col_strdup(st, col++, a);
	e->updated_by = store_col_strdup(st, col++, a);
	e->created_at = store_col_int64(st, col++);
	e->updated_at = store_col_int64(st, col);
}

static int rows(struct store_conn *c, const struct rec_kind *k, const char *sql, int64_t key,
		struct arena *a, struct rec_entry **v, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c, sql, &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, key);
	*v = NULL;
	*n = 0;
	size_t cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		*v = arena_grow(a, *v, *n, &cap, sizeof **v);
		entry_row(st, k, a, &(*v)[(*n)++]);
	}
	return rc < 0 ? rc : 0;
}

int rec_get(struct store_conn *c, const struct rec_kind *k, int64_t id, struct arena *a,
	    struct rec_entry *out)
{
	struct rec_entry *v;
	size_t n;
	int rc = rows(c, k, k->sql_get, id, a, &v, &n);
	if (rc)
		return rc;
	if (!n)
		return ERR_NOT_FOUND;
	*out = v[0];
	return 0;
}

int rec_list(struct store_conn *c, const struct rec_kind *k, int64_t team, struct arena *a,
	     struct rec_entry **v, size_t *n)
{
	return rows(c, k, k->sql_list, team, a, v, n);
}

int rec_versions(struct store_conn *c, const struct rec_kind *k, int64_t id, struct arena *a,
		 struct rec_entry **v, size_t *n)
{
	return rows(c, k, k->sql_versions, id, a, v, n);
}

int sup_case_ref_check(const char *ref)
{
	size_t n = strlen(ref), digits = 0, letters = 0;
	if (n > 12)
		return ERR_INVALID;
	for (size_t i = 0; i < n; i++) {
		char ch = ref[i];
		if (ch >= '0' && ch <= '9')
			digits++;
		else if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))
			letters++;
		else if (ch != '-')
			return ERR_INVALID;
	}
	/* At most 4 letters (no name) and 5 digits (no CPR number). */
	if (letters > 4 || digits > 5 || (n && !digits))
		return ERR_INVALID;
	return 0;
}

int sup_meeting_check(struct store_conn *c, int64_t team, int64_t meeting)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT 1 FROM meetings WHERE id = $1 AND team_id = $2 AND kind = "
			       "'supervision'",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, meeting);
	store_bind_int64(st, 2, team);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		store_reset(st);
		return 0;
	}
	return rc < 0 ? rc : ERR_NOT_FOUND;
}

int sup_action_create(struct store_conn *c, int64_t team, int64_t meeting, const char *case_ref,
		      const char *action, int64_t assignee, const char *due, int64_t by,
		      int64_t now, int64_t *id)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO supervision_actions (meeting_id, team_id, case_ref, "
			       "action, assignee_id, due, created_by, created_at) VALUES ($1, $2, $3, "
			       "$4, $5, $6, $7, $8) RETURNING id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, meeting);
	store_bind_int64(st, 2, team);
	store_bind_str(st, 3, case_ref);
	store_bind_str(st, 4, action);
	store_bind_int64(st, 5, assignee);
	store_bind_str(st, 6, due);
	store_bind_int64(st, 7, by);
	store_bind_int64(st, 8, now);
	if ((rc = store_step_id(st, id)))
		return rc;
	int64_t task;
	if ((rc = store_prepare(c,
				"INSERT INTO tasks (user_id, case_id, kind, source, source_key, due, "
				"done, created_at, updated_at) VALUES ($1, NULL, 'supervision_action', "
				"'manual', $2, $3, 0, $4, $4) RETURNING id",
				&st)))
		return rc;
	store_bind_int64(st, 1, assignee);
	char key[40];
	str_fmt(key, sizeof key, "supervision:%lld", (long long)*id);
	store_bind_str(st, 2, key);
	store_bind_str(st, 3, due);
	store_bind_int64(st, 4, now);
	if ((rc = store_step_id(st, &task)))
		return rc;
	if ((rc = store_prepare(c, "UPDATE supervision_actions SET task_id = $2 WHERE id = $1", &st)))
		return rc;
	store_bind_int64(st, 1, *id);
	store_bind_int64(st, 2, task);
	rc = store_step(st);
	return rc < 0 ? rc : 0;
}

int sup_actions_list(struct store_conn *c, int64_t team, struct arena *a, struct sup_action **v,
		     size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    c,
	    "SELECT s.id, s.meeting_id, s.assignee_id, s.task_id, s.case_ref, s.action, s.due, "
	    "u.name, m.starts_at, t.done FROM supervision_actions s JOIN users u ON u.id = "
	    "s.assignee_id JOIN meetings m ON m.id = s.meeting_id LEFT JOIN tasks t ON t.id = "
	    "s.task_id WHERE s.team_id = $1 ORDER BY m.starts_at DESC, s.id",
	    &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	*v = NULL;
	*n = 0;
	size_t cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		*v = arena_grow(a, *v, *n, &cap, sizeof **v);
		struct sup_action *x = &(*v)[(*n)++];
		x->id = store_col_int64(st, 0);
		x->meeting_id = store_col_int64(st, 1);
		x->assignee = store_col_int64(st, 2);
		x->task_id = store_col_int64(st, 3);
		x->case_ref = store_col_strdup(st, 4, a);
		x->action = store_col_strdup(st, 5, a);
		x->due = store_col_strdup(st, 6, a);
		x->assignee_name = store_col_strdup(st, 7, a);
		char d[DATE_STR_LEN];
		date_format((day_t)(store_col_int64(st, 8) / 86400), d);
		x->meeting_day = arena_strdup(a, d);
		x->done = store_col_int64(st, 9) != 0;
	}
	return rc < 0 ? rc : 0;
}

int insight_my_teams(struct store_conn *c, int64_t user, const char *today, struct arena *a,
		     struct my_team **v, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT t.id, t.name, m.role FROM memberships m JOIN teams t ON t.id = "
			       "m.team_id WHERE m.user_id = $1 AND m.from_date <= $2 AND (m.to_date IS "
			       "NULL OR m.to_date > $2) ORDER BY t.name, t.id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, user);
	store_bind_str(st, 2, today);
	*v = NULL;
	*n = 0;
	size_t cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		*v = arena_grow(a, *v, *n, &cap, sizeof **v);
		struct my_team *t = &(*v)[(*n)++];
		t->id = store_col_int64(st, 0);
		t->name = store_col_strdup(st, 1, a);
		t->role = store_col_strdup(st, 2, a);
	}
	return rc < 0 ? rc : 0;
}
