/* h_insight_cache.h: the team overview and a round's results kept between
 * requests (docs/insight.md, "Speed"), in the server's page cache
 * (web/pagecache.h) beside the case pages.
 *
 * Asked only after the policy allowed the read. The key: the session, the
 * actor, the path and query, the language and format. The stamp: the
 * team's change counters (the sum of its cases' rev and their number; its
 * survey rounds, answers and pulse answers; the shared cache_gen), read
 * by one statement, and a time: true until Danish midnight and for at most
 * IC_MAX_AGE seconds (an answer replaced twice in one second on another
 * node moves no counter; this bounds how long that can go unseen; on this
 * node ic_touch moves one). */
#ifndef IBBIS_H_INSIGHT_CACHE_H
#define IBBIS_H_INSIGHT_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "web/pagecache.h"

#define IC_MAX_AGE 60

struct web_ctx;

struct ic_answer {
	bool keep;
	struct pagecache_key key;
	struct pagecache_stamp stamp;
};

/* 0: answered from the cache; ERR_NOT_FOUND: build the answer, then
 * ic_keep; another error: failed. */
int ic_cached(struct web_ctx *c, int64_t team, struct ic_answer *ans);
/* After an insight write: kept answers of this process are built again
 * (an answer replaced within the second moves no database counter). */
void ic_touch(void);
/* Renders c->model (JSON or the page), keeps it and answers with it. */
int ic_keep(struct web_ctx *c, struct ic_answer *ans);

#endif
