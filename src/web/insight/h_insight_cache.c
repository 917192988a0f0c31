/* h_insight_cache.c: insight answers kept between requests (h_insight_cache.h). */
#include "web/insight/h_insight_cache.h"

#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "domain/accounts/account.h"
#include "store/store.h"
#include "web/pages.h"
#include "web/web.h"

/* Insight writes of this process: an answer replaced twice within one
 * second moves no counter in the database. */
static _Atomic int64_t local_writes;

void ic_touch(void)
{
	local_writes++;
}

/* The team's counters: what the overview and the results are built from. */
static int team_stamp(struct web_ctx *c, int64_t team, struct pagecache_stamp *s)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    c->db,
	    "SELECT (SELECT coalesce(sum(k.rev), 0) * 1000003 + count(*) FROM cases k WHERE "
	    "k.team_id = $1), (SELECT count(*) FROM survey_rounds r WHERE r.team_id = $1), "
	    "(SELECT count(*) * 1000003 + coalesce(sum(p.updated_at), 0) FROM survey_rounds r "
	    "JOIN round_responses p ON p.round_id = r.id WHERE r.team_id = $1), (SELECT count(*) "
	    "* 1000003 + coalesce(max(x.id), 0) FROM survey_responses x WHERE x.team_id = $1), "
	    "(SELECT gen FROM cache_gen WHERE id = 1)",
	    &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, team);
	if ((rc = store_step(st)) != STORE_ROW)
		return rc < 0 ? rc : ERR_INTERNAL;
	s->rev = store_col_int64(st, 0);
	/* Rounds, their answers and the pulse mixed into one counter: any
	 * change moves it. */
	uint64_t act = (uint64_t)store_col_int64(st, 1);
	act = act * 0x9E3779B97F4A7C15ULL ^ (uint64_t)store_col_int64(st, 2);
	act = act * 0x9E3779B97F4A7C15ULL ^ (uint64_t)store_col_int64(st, 3);
	act = act * 0x9E3779B97F4A7C15ULL ^ (uint64_t)local_writes;
	s->act = (int64_t)act;
	s->gen = store_col_int64(st, 4);
	store_reset(st);
	return 0;
}

int ic_cached(struct web_ctx *c, int64_t team, struct ic_answer *ans)
{
	memset(ans, 0, sizeof *ans);
	if (!c->app->pages || !c->actor || c->req->method != HTTP_GET)
		return ERR_NOT_FOUND;
	int rc = team_stamp(c, team, &ans->stamp);
	if (rc)
		return rc;
	int64_t now = clock_now(), midnight = clock_dk_to_utc(clock_today() + 1, 0);
	ans->stamp.from = now;
	ans->stamp.until = now + IC_MAX_AGE < midnight ? now + IC_MAX_AGE : midnight;
	crypto_generichash_state st;
	pagecache_key_init(&st, "insight answer v1");
	pagecache_key_add_i64(&st, team);
	pagecache_key_add_str(&st, c->req->path);
	pagecache_key_add_str(&st, c->req->query);
	pagecache_key_add_i64(&st, c->actor->id);
	pagecache_key_add_str(&st, c->csrf);
	pagecache_key_add_str(&st, c->lang);
	pagecache_key_add_i64(&st, c->want_json);
	pagecache_key_final(&st, &ans->key);
	ans->keep = true;
	return web_kept_answer(c, &ans->key, &ans->stamp);
}

int ic_keep(struct web_ctx *c, struct ic_answer *ans)
{
	return ans->keep ? web_keep_answer(c, &ans->key, &ans->stamp) : 0;
}
