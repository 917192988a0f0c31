/* demo.c: `ibbis demo-data`: organisations, sites, teams, staff and the
 * accounts file; the cases come from demo_case.c. */
#include "domain/data/demo.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/data/demo_int.h"
#include "domain/trust/seal.h"
#include "store/store.h"

#define CASES_PER_TEAM 120 /* 4 care managers with about 30 cases each */
#define BATCH 2000         /* cases per write transaction */

static const char *const health_orgs[] = {"Region Hovedstaden Psykiatri", "Region Sjælland Psykiatri"};
static const char *const job_orgs[] = {"Jobcenter København", "Jobcenter Roskilde"};
static const char *const cities[] = {"København", "Roskilde"};

static const char SQL_ORG_ADD[] =
	"INSERT INTO organisations (name, kind) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
static const char SQL_ORG_ID[] = "SELECT id FROM organisations WHERE name = $1 AND kind = $2";
static const char SQL_USER_EXISTS[] = "SELECT id FROM users WHERE username = $1";
static const char SQL_SITE_ADD[] =
	"INSERT INTO sites (name, address) VALUES ($1, $2) RETURNING id";
static const char SQL_TEAM_ADD[] =
	"INSERT INTO teams (name, site_id, created_at) VALUES ($1, $2, $3) RETURNING id";
static const char SQL_MEMBER_ADD[] =
	"INSERT INTO memberships (team_id, user_id, role, fraction, from_date) "
	"VALUES ($1, $2, $3, $4, $5)";

static int org_get(struct store_conn *c, const char *name, const char *kind, int64_t *id)
{
	int rc = demo_exec(c, SQL_ORG_ADD, NULL, "ss", name, kind);
	return rc ? rc : demo_exec(c, SQL_ORG_ID, id, "ss", name, kind);
}

static int member(struct demo_ctx *d, int64_t team, const struct demo_user *u, const char *role)
{
	return demo_exec(d->c, SQL_MEMBER_ADD, NULL, "iisid", team, u->id, role, (int64_t)1,
			 d->o->today - 400);
}

/* A staff member of team t (pair p) with a login and a membership. */
static int staff(struct demo_ctx *d, struct demo_team *t, int p, const char *team_name,
		 bool jobcentre, const char *role, const char *username, struct demo_user *u)
{
	char name[80], pw[14];
	demo_name(&d->rng, name, sizeof name, NULL);
	demo_password(&d->rng, pw);
	int rc = demo_user_add(d, username, name, role, jobcentre ? t->org_j : t->org_h,
			       jobcentre ? job_orgs[p] : health_orgs[p], team_name, pw, u);
	if (rc == 0)
		d->st->staff++;
	return rc ? rc : member(d, t->id, u, role);
}

static int team_staff(struct demo_ctx *d, struct demo_team *t, long i, int p, const char *tn)
{
	char un[64];
	int rc = 0;
	for (int k = 0; rc == 0 && k < 4; k++) {
		(void)str_fmt(un, sizeof un, "cm%ld.%d", i + 1, k + 1);
		rc = staff(d, t, p, tn, false, "care_manager", un, &t->cm[k]);
	}
	for (int k = 0; rc == 0 && k < 3; k++) {
		(void)str_fmt(un, sizeof un, "ec%ld.%d", i + 1, k + 1);
		rc = staff(d, t, p, tn, true, "employment_consultant", un, &t->ec[k]);
	}
	(void)str_fmt(un, sizeof un, "suph%ld", i + 1);
	if (rc == 0)
		rc = staff(d, t, p, tn, false, "supervisor", un, &t->sup_h);
	(void)str_fmt(un, sizeof un, "supj%ld", i + 1);
	if (rc == 0)
		rc = staff(d, t, p, tn, true, "supervisor", un, &t->sup_j);
	return rc;
}

/* Team i with its site (one per ten teams) and staff. */
static int team_add(struct demo_ctx *d, long i, const int64_t org_h[2], const int64_t org_j[2],
		    int64_t *site, struct demo_team *t)
{
	char tn[80], sn[80], addr[120];
	int p = (int)(i % 2);
	int rc = 0;
	memset(t, 0, sizeof *t);
	t->org_h = org_h[p];
	t->org_j = org_j[p];
	t->org_j_name = job_orgs[p];
	if (i % 10 == 0 || i % 10 == 1) {
		(void)str_fmt(sn, sizeof sn, "Sundhedshuset %s %ld", cities[p], i / 10 + 1);
		(void)str_fmt(addr, sizeof addr, "Sundhedsvej %ld, %s", i / 10 + 1, cities[p]);
		rc = demo_exec(d->c, SQL_SITE_ADD, &site[p], "ss", sn, addr);
	}
	(void)str_fmt(tn, sizeof tn, "IBBIS %s %ld", cities[p], i / 2 + 1);
	(void)str_copy(t->name, sizeof t->name, tn);
	if (rc == 0)
		rc = demo_exec(d->c, SQL_TEAM_ADD, &t->id, "sii", tn, site[p], d->o->now);
	if (rc == 0)
		rc = team_staff(d, t, i, p, tn);
	d->st->teams++;
	return rc;
}

/* Organisations (reused when present), the administrator and the researcher. */
static int base_add(struct demo_ctx *d, int64_t org_h[2], int64_t org_j[2])
{
	struct demo_user u;
	char pw[14];
	int64_t id = 0;
	int rc = demo_exec(d->c, SQL_USER_EXISTS, &id, "s", "demo.admin");
	if (rc == 0)
		return ERR_CONFLICT;
	rc = 0;
	for (int p = 0; rc == 0 && p < 2; p++) {
		rc = org_get(d->c, health_orgs[p], "health", &org_h[p]);
		if (rc == 0)
			rc = org_get(d->c, job_orgs[p], "jobcentre", &org_j[p]);
	}
	demo_password(&d->rng, pw);
	if (rc == 0)
		rc = demo_user_add(d, "demo.admin", "Demo Administrator", "admin", 0, NULL, NULL, pw,
				   &u);
	demo_password(&d->rng, pw);
	if (rc == 0)
		rc = demo_user_add(d, "demo.researcher", "Rikke Forsker", "researcher", 0, NULL, NULL,
				   pw, &u);
	return rc;
}

static int cases_add(struct demo_ctx *d, struct demo_team *teams, long nteams)
{
	int rc = 0;
	for (long k = 0; rc == 0 && k < d->o->cases; k++) {
		if (k % BATCH == 0 && k > 0) {
			rc = store_commit(d->c);
			arena_reset(d->a);
			if (rc == 0)
				rc = store_begin_write(d->c);
		}
		long per = k / nteams;
		if (rc == 0)
			rc = demo_case(d, k, &teams[k % nteams], (int)(per % 4), (int)(per % 3));
	}
	return rc;
}

/* The plain secondary indexes of the tables the courses fill. A bulk load
 * into SQLite keeps them out while it inserts and builds each again in one
 * sorted pass: millions of scattered index inserts (the meeting
 * participants by user, the meetings by team) outgrow the page cache at a
 * million cases. Unique indexes stay: they check what is inserted. */
static const char SQL_BULK_INDEXES[] =
	"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
	"sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ('users', 'cases', 'case_absences', "
	"'case_earlier_benefit', 'case_events', 'assignments', 'assessments', 'meetings', "
	"'meeting_participants', 'goals', 'goal_versions', 'plan_versions', 'plan_steps', "
	"'consents', 'decisions', 'evidence')";

/* Drops those indexes; *make gets the statements that build them again. */
static int bulk_indexes_drop(struct store_conn *c, struct buf *make)
{
	struct buf drop;
	struct store_stmt *st;
	buf_init(&drop, 1 << 20);
	int rc = store_prepare(c, SQL_BULK_INDEXES, &st);
	while (rc == 0 && (rc = store_step(st)) == STORE_ROW) {
		buf_printf(&drop, "DROP INDEX \"%s\";", store_col_text(st, 0, NULL));
		buf_printf(make, "%s;", store_col_text(st, 1, NULL));
		rc = 0;
	}
	if (rc == STORE_DONE)
		rc = 0;
	if (rc == 0 && (drop.err || make->err))
		rc = ERR_NOMEM;
	if (rc == 0 && drop.len)
		rc = store_exec(c, drop.data);
	buf_release(&drop);
	return rc;
}

/* Staff and supervisors list their cases; done once all cases exist. */
static int generate(struct demo_ctx *d)
{
	int64_t org_h[2], org_j[2], site[2] = {0, 0};
	long nteams = (d->o->cases + CASES_PER_TEAM - 1) / CASES_PER_TEAM;
	if (nteams < 2)
		nteams = 2;
	struct demo_team *teams = calloc((size_t)nteams, sizeof *teams);
	if (!teams)
		abort();
	/* A bulk load into SQLite: a large page cache keeps index updates in memory.
	 * The rows are consistent by construction: skip the per-row foreign-key
	 * look-ups during the load (turned on again below). */
	bool sqlite = strcmp(store_backend_name(store_conn_store(d->c)), "sqlite") == 0;
	if (sqlite)
		(void)store_exec(d->c, "PRAGMA cache_size = -262144; PRAGMA foreign_keys = OFF; "
				      "PRAGMA synchronous = OFF");
	struct buf make;
	buf_init(&make, 1 << 20);
	int rc = store_begin_write(d->c);
	if (rc == 0 && sqlite)
		rc = bulk_indexes_drop(d->c, &make);
	if (rc == 0)
		rc = base_add(d, org_h, org_j);
	for (long i = 0; rc == 0 && i < nteams; i++)
		rc = team_add(d, i, org_h, org_j, site, &teams[i]);
	if (rc == 0)
		rc = cases_add(d, teams, nteams);
	if (make.len) {
		/* Built again even after a failure, so the schema stays whole
		 * (a failure before the first commit rolled the drop back too:
		 * then the first CREATE finds its index and nothing is missing). */
		if (rc)
			store_rollback(d->c);
		int mrc = store_exec(d->c, make.data);
		rc = rc ? rc : mrc;
		if (rc && !store_in_transaction(d->c))
			(void)store_begin_write(d->c); /* for the rollback below */
	}
	buf_release(&make);
	if (rc == 0)
		rc = demo_insight(d, teams, nteams);
	if (rc == 0)
		rc = store_commit(d->c);
	else
		store_rollback(d->c);
	if (sqlite)
		(void)store_exec(d->c, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL");
	free(teams);
	return rc;
}

int demo_generate(struct store_conn *c, const struct demo_opts *o, json_t **accounts,
		  struct demo_stats *st)
{
	struct arena a;
	char pw[14], hash[ACCOUNT_HASH_LEN];
	struct demo_ctx d = {.c = c, .a = &a, .o = o, .st = st, .sealing = seal_ready()};
	memset(st, 0, sizeof *st);
	demo_rng_seed(&d.rng, o->seed);
	/* Users without a login share one hash of a password nobody knows. */
	demo_password(&d.rng, pw);
	int rc = account_password_hash(pw, strlen(pw), ACCOUNT_HASH_MIN, hash);
	if (rc)
		return rc;
	d.bulk_hash = hash;
	d.accounts = json_array();
	arena_init(&a);
	rc = generate(&d);
	arena_release(&a);
	if (rc) {
		json_decref(d.accounts);
		return rc;
	}
	*accounts = d.accounts;
	return 0;
}
