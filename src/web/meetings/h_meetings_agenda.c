/* h_meetings_agenda.c: agenda items (the person's private questions until
 * shared), minutes and the participants' agreements. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/meetings/h_meetings_int.h"
#include "web/web.h"

static const char *agenda_item_name(struct web_ctx *c, int64_t id)
{
	return arena_printf(c->a, "agenda:%lld", (long long)id);
}

/* The policy's view of one agenda item for this actor. */
static struct policy_item agenda_policy(struct web_ctx *c, struct hm *x,
					const struct meeting_agenda_item *it)
{
	bool person_item = str_eq(it->author_role, "service_user");
	struct policy_item p = {
	    .category = (it->private_ || person_item) ? POLICY_PRIVATE : x->cat,
	    .shared_with_meeting = !it->private_ && person_item,
	    .actor_in_meeting = hm_participant(x, c->actor->id) != NULL,
	    .actor_is_author = it->author_id == c->actor->id,
	    .consent_health_to_jobcentre = x->g.consents.health_to_jobcentre,
	    .consent_jobcentre_to_health = x->g.consents.jobcentre_to_health,
	};
	return p;
}

/* Supervision: team members read every item; case meetings ask the policy. */
static bool agenda_visible(struct web_ctx *c, struct hm *x, struct meeting_agenda_item *it)
{
	if (x->team)
		return true;
	struct policy_item p = agenda_policy(c, x, it);
	if (!gate_may_item(&x->g, POLICY_READ, &p))
		return false;
	return gate_allow_item(c, &x->g, POLICY_READ, &p, agenda_item_name(c, it->id)) == 0;
}

static json_t *item_json(struct web_ctx *c, struct hm *x, const struct meeting_agenda_item *it)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:b, s:s, s:I}", "id", (json_int_t)it->id,
			      "author", (json_int_t)it->author_id, "author_name", it->author_name,
			      "author_role", it->author_role, "author_role_label",
			      web_t(c, arena_printf(c->a, "role.%s", it->author_role)), "private",
			      it->private_, "text", it->text ? it->text : "", "created_at",
			      (json_int_t)it->created_at);
	json_object_set_new(o, "shared_at",
			    it->shared_at ? json_integer(it->shared_at) : json_null());
	json_object_set_new(o, "share_href",
			    json_string(arena_printf(c->a, "/meetings/%lld/agenda/%lld/share",
						     (long long)x->m.id, (long long)it->id)));
	return o;
}

json_t *hm_agenda_json(struct web_ctx *c, struct hm *x)
{
	struct meeting_agenda_item *v;
	size_t n;
	json_t *a = json_array();
	if (meeting_agenda_list(c->db, x->m.id, c->a, &v, &n))
		return a;
	for (size_t i = 0; i < n; i++) {
		if (!agenda_visible(c, x, &v[i]) || meeting_agenda_text(c->db, c->a, &v[i]))
			continue;
		json_array_append_new(a, item_json(c, x, &v[i]));
	}
	return a;
}

int hm_agenda_list(struct web_ctx *c)
{
	struct hm x;
	int rc = hm_open(c, &x);
	if (rc)
		return rc;
	json_object_set_new(c->model, "meeting", json_integer(x.m.id));
	json_object_set_new(c->model, "items", hm_agenda_json(c, &x));
	c->redirect = arena_printf(c->a, "/meetings/%lld", (long long)x.m.id);
	return 0;
}

int hm_agenda_add(struct web_ctx *c)
{
	struct hm x;
	json_t *in;
	const char *text;
	int rc = hm_open(c, &x);
	if (rc || (rc = web_input(c, &in)) ||
	    (rc = field_text(c, in, "text", MEETING_TEXT_MAX, N_("meetings.err.text"), &text)))
		return rc;
	bool priv = c->actor->role == ROLE_SERVICE_USER; /* the person's questions start private */
	if (field_bool(in, "private", &priv) == ERR_INVALID)
		return web_fail(c, ERR_INVALID, "private", N_("meetings.err.private"));
	if (!hm_participant(&x, c->actor->id))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("meetings.err.not_participant"));
	if ((rc = store_begin_write(c->db)))
		return rc;
	if (!x.team) {
		struct policy_item p = {.category = priv ? POLICY_PRIVATE : x.cat};
		if (!priv && c->actor->role == ROLE_SERVICE_USER)
			p = (struct policy_item){.category = POLICY_PRIVATE,
						 .shared_with_meeting = true,
						 .actor_in_meeting = true};
		if ((rc = gate_allow_item(c, &x.g, POLICY_CREATE, &p, "agenda")))
			return rc;
	} else if (priv) {
		return web_fail(c, ERR_INVALID, "private", N_("meetings.err.private"));
	}
	int64_t id;
	int64_t now = clock_now();
	if ((rc = meeting_agenda_add(c->db, x.m.id, c->actor->id, text, priv, now, c->a, &id)))
		return rc;
	if (!priv && c->actor->role == ROLE_SERVICE_USER &&
	    (rc = meeting_agenda_share(c->db, id, now, c->a)))
		return rc;
	struct meeting_agenda_item it;
	if ((rc = meeting_agenda_get(c->db, x.m.id, id, c->a, &it)) ||
	    (rc = meeting_agenda_text(c->db, c->a, &it)) || (rc = store_commit(c->db)))
		return rc;
	json_t *o = item_json(c, &x, &it);
	web_model_merge(c, o);
	c->status = 201;
	c->redirect = arena_printf(c->a, "/meetings/%lld#agenda", (long long)x.m.id);
	return 0;
}

int hm_agenda_share(struct web_ctx *c)
{
	struct hm x;
	json_t *in;
	int64_t item;
	int rc = hm_open(c, &x);
	if (rc || (rc = gate_param_id(c, "item", &item)) || (rc = web_input(c, &in)))
		return rc;
	struct meeting_agenda_item it;
	rc = meeting_agenda_get(c->db, x.m.id, item, c->a, &it);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("meetings.err.item_not_found"));
	if (rc)
		return rc;
	bool share = false;
	if (field_bool(in, "share", &share) || !share)
		return web_fail(c, ERR_INVALID, "share", N_("meetings.err.share"));
	if (x.team || !str_eq(it.author_role, "service_user"))
		return web_fail(c, ERR_INVALID, "share", N_("meetings.err.share"));
	struct policy_item p = agenda_policy(c, &x, &it);
	if (!gate_may_item(&x.g, POLICY_READ, &p)) /* unseen items do not exist */
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("meetings.err.item_not_found"));
	if ((rc = store_begin_write(c->db)) ||
	    (rc = gate_allow_item(c, &x.g, POLICY_UPDATE, &p, agenda_item_name(c, item))))
		return rc;
	if (it.private_ && (rc = meeting_agenda_share(c->db, item, clock_now(), c->a)))
		return rc;
	if ((rc = meeting_agenda_get(c->db, x.m.id, item, c->a, &it)) ||
	    (rc = meeting_agenda_text(c->db, c->a, &it)) || (rc = store_commit(c->db)))
		return rc;
	json_t *o = item_json(c, &x, &it);
	web_model_merge(c, o);
	c->redirect = arena_printf(c->a, "/meetings/%lld#agenda", (long long)x.m.id);
	return 0;
}

json_t *hm_agreements_json(struct web_ctx *c, struct hm *x)
{
	struct meeting_agreement *v;
	size_t n;
	json_t *a = json_array();
	if (meeting_agreements(c->db, x->m.id, c->a, &v, &n))
		return a;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:I}", "user",
				 (json_int_t)v[i].user_id, "name", v[i].name, "role", v[i].role,
				 "role_label", web_t(c, arena_printf(c->a, "role.%s", v[i].role)),
				 "agreed", v[i].agreed, "comment", v[i].comment ? v[i].comment : "",
				 "at", (json_int_t)v[i].at));
	return a;
}

int hm_agreement_post(struct web_ctx *c)
{
	struct hm x;
	json_t *in;
	int rc = hm_open(c, &x);
	if (rc || (rc = web_input(c, &in)))
		return rc;
	if (!x.m.minutes)
		return web_fail(c, ERR_CONFLICT, "agreed", N_("meetings.err.no_minutes"));
	bool agreed;
	if (field_bool(in, "agreed", &agreed))
		return web_fail(c, ERR_INVALID, "agreed", N_("meetings.err.agreed"));
	const char *comment = field_str_set(in, "comment");
	if (!agreed &&
	    field_text(c, in, "comment", MEETING_TEXT_MAX, N_("meetings.err.comment"), &comment))
		return ERR_INVALID;
	if (comment &&
	    (strlen(comment) > MEETING_TEXT_MAX || !str_valid_utf8(comment, strlen(comment))))
		return web_fail(c, ERR_INVALID, "comment", N_("meetings.err.comment"));
	if (!hm_participant(&x, c->actor->id))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("meetings.err.not_participant"));
	if ((rc = store_begin_write(c->db)))
		return rc;
	if (!x.team &&
	    (rc = gate_allow(c, &x.g, x.cat, POLICY_CREATE,
			     arena_printf(c->a, "meeting:%lld:agreement", (long long)x.m.id))))
		return rc;
	if ((rc = meeting_agreement_set(c->db, x.m.id, c->actor->id, agreed, comment,
					clock_now(), c->a)) ||
	    (rc = store_commit(c->db)))
		return rc;
	json_object_set_new(c->model, "meeting", json_integer(x.m.id));
	json_object_set_new(c->model, "agreements", hm_agreements_json(c, &x));
	c->redirect = arena_printf(c->a, "/meetings/%lld#minutes", (long long)x.m.id);
	return 0;
}
