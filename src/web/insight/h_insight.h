/* h_insight.h: what other web modules use of insight. */
#ifndef IBBIS_H_INSIGHT_H
#define IBBIS_H_INSIGHT_H

struct web_ctx;

/* Adds "insight_teams" to the home page's model: for each of the actor's
 * teams the links to its survey and records, and for a supervisor its
 * overview. Nothing for service users, researchers or administrators. */
void hi_home_links(struct web_ctx *c);

#endif
