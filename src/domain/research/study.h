/* study.h: research studies (DESIGN.md section 9).
 *
 * An administrator creates a study: a name, its teams, a period, the
 * researchers granted and how dates leave (`shift` or `month`). Each study
 * has a random secret key of its own, sealed at rest with the database key
 * (domain/trust/seal.h); pseudonyms and date shifts are keyed with it, so
 * they are stable within a study and unlinkable across studies.
 *
 * Access follows the policy's research row: study_actor fills the study
 * flags of a policy actor, and the web layer asks policy_check. */
#ifndef IBBIS_STUDY_H
#define IBBIS_STUDY_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "domain/cases/case_input.h"

struct actor;
struct store_conn;
struct policy_actor;

#define STUDY_KEY_BYTES 32
#define STUDY_NAME_MAX 200

/* A study's settings as the export needs them. */
struct study {
	int64_t id;
	const char *name; /* arena */
	day_t from, to;
	bool month;	  /* dates coarsened to the month (else shifted) */
	int64_t *teams;	  /* arena */
	size_t n_teams;
	unsigned char key[STUDY_KEY_BYTES];
};

/* Creates a study from {"name", "teams": [id], "from", "to", "researchers":
 * [user id], "dates": "shift"|"month"} with a new sealed key and the
 * preloaded codebook, audited, in one transaction. ERR_INVALID (x->fe
 * names the field), ERR_CONFLICT for a taken name, ERR_UNAVAILABLE when no
 * database key is loaded. */
int study_create(struct store_conn *c, struct in_ctx *x, json_t *in, const struct actor *by,
		 int64_t now, int64_t *id);

/* {"id","name","teams":[id],"team_names":[...],"from","to","researchers":
 * [id],"researcher_names":[...],"dates","created_by"}. ERR_NOT_FOUND. */
int study_get_json(struct store_conn *c, int64_t id, json_t **out);
/* The studies the actor may see the settings of: a researcher's granted
 * studies, an administrator's own. [{"id","name","from","to","dates"}]. */
int study_list_json(struct store_conn *c, const struct actor *a, json_t **out);

/* What the create form offers: every team [{"id","name"}] and every
 * enabled researcher [{"id","name","username"}]. New arrays. */
int study_choices_json(struct store_conn *c, json_t **teams, json_t **researchers);

/* The policy actor for a (role from the account) with the study flags for
 * study_id set. ERR_NOT_FOUND when there is no such study. */
int study_policy_actor(struct store_conn *c, const struct actor *a, int64_t study_id,
		       struct policy_actor *out);

/* Loads the settings and unseals the key. *out's arrays: arena. */
int study_load(struct store_conn *c, struct arena *a, int64_t id, struct study *out);

/* The preloaded concepts, for tests and docs: n entries of {en, da,
 * parent index or -1}. static */
struct study_concept {
	const char *en, *da;
	int parent;
};
const struct study_concept *study_concepts(size_t *n);

#endif
