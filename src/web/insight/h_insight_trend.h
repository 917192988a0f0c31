/* h_insight_trend.h: a survey round's trend over the team's rounds. */
#ifndef IBBIS_H_INSIGHT_TREND_H
#define IBBIS_H_INSIGHT_TREND_H

#include <jansson.h>

struct web_ctx;
struct survey_round;

/* {"rounds": [{"id", "opens", "closes", "respondents", "current"}],
 *  "by_rated_role": [measure], "pairs": [measure], "several"}: the team's
 * rounds of cur's instrument up to cur (at most 8, oldest first); a
 * measure is {"kind", "rater_role", "rated_role", "dimension", "label",
 * "points": [{"survey", "mean", "n", "suppressed", "change", "text"}]}. */
int hi_trend_json(struct web_ctx *c, const struct survey_round *cur, json_t **out);

#endif
