/* h_cases_cache.c: the case's answer (JSON or page) kept between requests
 * (docs/cache.md). The gate has opened the case and recorded the look-up
 * before either function runs, so a kept answer is audited like a built one. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "web/cases/h_cases_int.h"
#include "web/pagecache.h"
#include "web/pages.h"
#include "web/web.h"

/* Everything the answer is built from that the database's counters do not
 * cover: the session (its CSRF token is in the page's forms), the actor (the
 * layout shows their name and menu) and their standing towards the case, the
 * consents, the language and format. The path is the case's own and the
 * query string empty. */
static void answer_key(struct web_ctx *c, const struct gate *g, struct pagecache_key *k)
{
	crypto_generichash_state st;
	pagecache_key_init(&st, "case answer v1");
	pagecache_key_add_i64(&st, g->cr.id);
	pagecache_key_add_i64(&st, c->actor->id);
	pagecache_key_add_str(&st, c->csrf);
	pagecache_key_add_str(&st, c->lang);
	pagecache_key_add_i64(&st, c->want_json);
	const struct policy_actor *pa = &g->pa;
	int64_t who[] = {pa->role,
			 pa->org,
			 pa->is_case_person,
			 pa->is_assigned_cm,
			 pa->is_assigned_ec,
			 pa->is_team_member,
			 pa->is_team_supervisor,
			 pa->break_glass,
			 g->consents.health_to_jobcentre,
			 g->consents.jobcentre_to_health};
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++)
		pagecache_key_add_i64(&st, who[i]);
	pagecache_key_final(&st, k);
}

int cases_cached_answer(struct web_ctx *c, const struct gate *g, struct case_answer *ans)
{
	memset(ans, 0, sizeof *ans);
	/* A break-glass look is exceptional and a query (?purpose=, ?lang=)
	 * may change the page: such answers are built every time. */
	if (!c->app->pages || !c->actor || g->pa.break_glass || *c->req->query)
		return ERR_NOT_FOUND;
	ans->keep = true;
	answer_key(c, g, &ans->key);
	int64_t now = clock_now();
	ans->stamp = (struct pagecache_stamp){
		.rev = g->cr.rev,
		.act = g->cr.act,
		.gen = g->cr.gen,
		.from = now,
		/* The answer shows today's date and deadlines: true until midnight. */
		.until = clock_dk_to_utc(clock_today() + 1, 0),
	};
	return web_kept_answer(c, &ans->key, &ans->stamp);
}

/* The page lists the next meetings: it changes when the first one starts. */
static int64_t first_meeting_start(json_t *model, int64_t until)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(json_object_get(model, "summary"), "meetings"), i, m)
	{
		int64_t t = json_integer_value(json_object_get(m, "starts_at"));
		if (t + 1 < until)
			until = t + 1;
	}
	return until;
}

int cases_keep_answer(struct web_ctx *c, struct case_answer *ans)
{
	if (!ans->keep)
		return 0;
	if (!c->want_json)
		ans->stamp.until = first_meeting_start(c->model, ans->stamp.until);
	return web_keep_answer(c, &ans->key, &ans->stamp);
}
