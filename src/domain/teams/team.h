/* team.h: sites, intersectoral teams and memberships (DESIGN.md section 2).
 *
 * Teams are not case content: only administrators manage them, and a
 * member reads the teams they belong to. Functions that change data open
 * their own write transaction (or join the caller's); readers build jansson
 * values the web layer answers as they are. */
#ifndef IBBIS_TEAM_H
#define IBBIS_TEAM_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "domain/cases/case_input.h"

struct store_conn;

#define TEAM_NAME_MAX 200

/* Creates a team from {"name", "site"?, "members"?: [...]}. ERR_INVALID
 * (x->fe names the field), ERR_CONFLICT for a taken name (field "name"). */
int team_create(struct store_conn *c, struct in_ctx *x, json_t *in, day_t today, int64_t now,
		int64_t *id);
/* Adds one membership {"user","role","fraction"?,"from"?,"to"?}.
 * ERR_NOT_FOUND for no such team. */
int team_member_add(struct store_conn *c, struct in_ctx *x, int64_t team_id, json_t *in,
		    day_t today, int64_t *membership_id);
/* Ends a membership: {"to": date}. ERR_NOT_FOUND, ERR_INVALID. */
int team_membership_end(struct store_conn *c, struct in_ctx *x, int64_t id, json_t *in,
			int64_t *team_id);

/* {"id","name","site","members":[...]}; *out new reference. ERR_NOT_FOUND. */
int team_get_json(struct store_conn *c, int64_t id, json_t **out);
/* [{"id","name"}] of every team (user_id 0), or of the teams user_id is a
 * member of on or after today. *out: a new array. */
int team_mine_json(struct store_conn *c, int64_t user_id, day_t today, json_t **out);
/* Every team (user_id 0), or the teams user_id is a member of on or after
 * today, with their members. *out: a new array. */
int team_list_json(struct store_conn *c, int64_t user_id, day_t today, json_t **out);
/* Whether user_id has ever been a member of the team. */
bool team_has_member(struct store_conn *c, int64_t team_id, int64_t user_id);
/* [{"id","name","address"}]; *out new array. */
int team_sites_json(struct store_conn *c, json_t **out);
/* [{"id","name","kind","accounts"}] of every organisation (team_admin.c). */
int team_orgs_json(struct store_conn *c, json_t **out);
/* [{"id","name","role","organisation"}]: the enabled accounts that may be a
 * team's members (care managers, employment consultants, supervisors). */
int team_staff_json(struct store_conn *c, json_t **out);
/* A site from {"name", "address"?}. ERR_INVALID (x->fe names the field),
 * ERR_CONFLICT for a taken name (field "name"). Its own transaction. */
int team_site_create(struct store_conn *c, struct in_ctx *x, json_t *in, int64_t *id);

/* The membership role of user_id in the team on day d, or NULL. static */
const char *team_role_on(struct store_conn *c, int64_t team_id, int64_t user_id, day_t d);

#endif
