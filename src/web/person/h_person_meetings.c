/* h_person_meetings.c: GET /my/meetings, "My meetings": upcoming and past
 * meetings, who takes part, what a roundtable is; before a roundtable the
 * person's own questions ("what I want to bring up"), private until they
 * share them with the meeting; after a held roundtable, the pulse link. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/meetings/pulse.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/h_form_int.h"
#include "web/person/h_person_int.h"
#include "web/web.h"

static bool is_participant(const struct meeting *m, int64_t user)
{
	for (size_t i = 0; i < m->nparts; i++)
		if (m->parts[i].user_id == user)
			return true;
	return false;
}

/* The policy's view of the person's own agenda item. */
static struct policy_item own_item(const struct meeting_agenda_item *it, bool in_meeting)
{
	struct policy_item p = {
	    .category = POLICY_PRIVATE,
	    .shared_with_meeting = !it->private_,
	    .actor_in_meeting = in_meeting,
	    .actor_is_author = true,
	};
	return p;
}

static const char *item_name(struct web_ctx *c, int64_t id)
{
	return arena_printf(c->a, "agenda:%lld", (long long)id);
}

static json_t *question_json(struct web_ctx *c, int64_t meeting_id,
			     const struct meeting_agenda_item *it)
{
	char d[DATE_STR_LEN], t[MY_HM_LEN];
	json_t *o = json_pack("{s:I, s:s, s:b, s:s}", "id", (json_int_t)it->id, "text",
			      it->text ? it->text : "", "private", it->private_, "share_action",
			      arena_printf(c->a, "/my/meetings/%lld/questions/%lld/share",
					   (long long)meeting_id, (long long)it->id));
	if (it->shared_at) {
		my_local(it->shared_at, d, t);
		json_object_set_new(o, "shared_on", json_string(d));
	} else {
		json_object_set_new(o, "shared_on", json_null());
	}
	return o;
}

/* The person's own questions (audited reads of private items) and the
 * professionals' agenda items the policy lets them read. */
static void agenda_into(struct web_ctx *c, struct my *my, const struct meeting *m, json_t *o)
{
	struct meeting_agenda_item *v;
	size_t n;
	json_t *mine = json_array(), *others = json_array();
	bool in = is_participant(m, c->actor->id);
	enum policy_category cat = meeting_category(m->kind);
	if (meeting_agenda_list(c->db, m->id, c->a, &v, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (v[i].author_id == c->actor->id) {
				struct policy_item p = own_item(&v[i], in);
				if (gate_allow_item(c, &my->g, POLICY_READ, &p,
						    item_name(c, v[i].id)) ||
				    meeting_agenda_text(c->db, c->a, &v[i]))
					continue;
				json_array_append_new(mine, question_json(c, m->id, &v[i]));
			} else if (!v[i].private_ && cat != POLICY_CATEGORY_INVALID &&
				   gate_may(&my->g, cat, POLICY_READ) &&
				   meeting_agenda_text(c->db, c->a, &v[i]) == 0) {
				json_array_append_new(
				    others,
				    json_pack(
					"{s:s, s:s, s:s}", "text", v[i].text, "author_name",
					v[i].author_name, "author_role_label",
					web_t(c, arena_printf(c->a, "role.%s", v[i].author_role))));
			}
		}
	}
	json_object_set_new(o, "has_questions", json_boolean(json_array_size(mine) > 0));
	json_object_set_new(o, "questions", mine);
	json_object_set_new(o, "has_agenda", json_boolean(json_array_size(others) > 0));
	json_object_set_new(o, "agenda", others);
}

static json_t *upcoming_json(struct web_ctx *c, struct my *my, const struct meeting *m)
{
	json_t *o = my_meeting_json(c, m);
	bool ask = m->kind == MEETING_ROUNDTABLE && is_participant(m, c->actor->id);
	json_object_set_new(o, "can_ask", json_boolean(ask));
	json_object_set_new(
	    o, "question_action",
	    json_string(arena_printf(c->a, "/my/meetings/%lld/questions", (long long)m->id)));
	if (m->kind == MEETING_ROUNDTABLE)
		agenda_into(c, my, m, o);
	return o;
}

static json_t *past_json(struct web_ctx *c, const struct meeting *m)
{
	json_t *o = my_meeting_json(c, m);
	bool pulse = m->kind == MEETING_ROUNDTABLE && m->status == MEETING_HELD &&
		     is_participant(m, c->actor->id);
	bool answered = false;
	if (pulse)
		pulse_answered(c->db, c->actor->id, &m->id, 1, &answered);
	json_object_set_new(o, "pulse", json_boolean(pulse));
	json_object_set_new(o, "pulse_answered", json_boolean(answered));
	json_object_set_new(
	    o, "pulse_href",
	    json_string(arena_printf(c->a, "/meetings/%lld/pulse", (long long)m->id)));
	return o;
}

/* Fills the page model; error_meeting marks the form that failed (0: none). */
static int meetings_fill(struct web_ctx *c, struct my *my, int64_t error_meeting)
{
	struct meeting *v;
	size_t n;
	int rc = meeting_list_case(c->db, my->pc.case_id, c->a, &v, &n);
	if (rc)
		return rc;
	int64_t now = clock_now();
	json_t *up = json_array(), *past = json_array();
	for (size_t i = 0; i < n; i++) {
		struct meeting m;
		if ((rc = meeting_get(c->db, v[i].id, c->a, &m)))
			return rc;
		bool upcoming = m.status == MEETING_PLANNED && m.ends_at > now;
		json_t *o = upcoming ? upcoming_json(c, my, &m) : past_json(c, &m);
		json_object_set_new(o, "error_here", json_boolean(m.id == error_meeting));
		json_array_append_new(upcoming ? up : past, o);
	}
	/* The most recent past meeting first. */
	json_t *rev = json_array();
	for (size_t i = json_array_size(past); i > 0; i--)
		json_array_append(rev, json_array_get(past, i - 1));
	json_decref(past);
	json_object_set_new(c->model, "has_upcoming", json_boolean(json_array_size(up) > 0));
	json_object_set_new(c->model, "upcoming", up);
	json_object_set_new(c->model, "has_past", json_boolean(json_array_size(rev) > 0));
	json_object_set_new(c->model, "past", rev);
	return 0;
}

int h_my_meetings(struct web_ctx *c)
{
	struct my my;
	int rc = my_open(c, &my, "person/meetings", N_("person.meetings.title"));
	return rc ? rc : meetings_fill(c, &my, 0);
}

/* A page error: the list with the message next to the form. */
static int refill(struct web_ctx *c, struct my *my, int64_t meeting_id, int err)
{
	if (!c->want_json && meetings_fill(c, my, meeting_id) == 0)
		form_keep(c, "question");
	return err;
}

/* Loads the route's meeting; 404 unless it belongs to the person's case. */
static int my_meeting(struct web_ctx *c, struct my *my, struct meeting *m)
{
	int64_t id;
	int rc = gate_param_id(c, "id", &id);
	if (rc)
		return rc;
	rc = meeting_get(c->db, id, c->a, m);
	if (rc == ERR_NOT_FOUND || (!rc && m->case_id != my->pc.case_id))
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("person.err.meeting_not_found"));
	return rc;
}

int h_my_question_add(struct web_ctx *c)
{
	struct my my;
	struct meeting m;
	json_t *in;
	const char *text;
	int rc = my_open(c, &my, "person/meetings", N_("person.meetings.title"));
	if (rc || (rc = my_meeting(c, &my, &m)) || (rc = web_input(c, &in)))
		return rc;
	if (m.kind != MEETING_ROUNDTABLE || !is_participant(&m, c->actor->id))
		return refill(
		    c, &my, m.id,
		    web_fail(c, ERR_FORBIDDEN, NULL, N_("person.err.not_your_roundtable")));
	if (m.status != MEETING_PLANNED || m.ends_at <= clock_now())
		return refill(c, &my, m.id,
			      web_fail(c, ERR_CONFLICT, "text", N_("person.err.meeting_over")));
	if ((rc = field_text(c, in, "text", MEETING_TEXT_MAX, N_("person.err.question"), &text)))
		return refill(c, &my, m.id, rc);
	int64_t id;
	struct policy_item p = {.category = POLICY_PRIVATE, .actor_in_meeting = true};
	struct meeting_agenda_item it;
	if ((rc = store_begin_write(c->db)) ||
	    (rc = gate_allow_item(c, &my.g, POLICY_CREATE, &p, "agenda")) ||
	    (rc = meeting_agenda_add(c->db, m.id, c->actor->id, text, true, clock_now(), c->a,
				     &id)) ||
	    (rc = meeting_agenda_get(c->db, m.id, id, c->a, &it)) ||
	    (rc = meeting_agenda_text(c->db, c->a, &it)) || (rc = store_commit(c->db)))
		return rc;
	json_object_set_new(c->model, "question", question_json(c, m.id, &it));
	c->status = 201;
	c->redirect = arena_printf(c->a, "/my/meetings#meeting-%lld", (long long)m.id);
	return 0;
}

int h_my_question_share(struct web_ctx *c)
{
	struct my my;
	struct meeting m;
	int64_t item;
	int rc = my_open(c, &my, "person/meetings", N_("person.meetings.title"));
	if (rc || (rc = my_meeting(c, &my, &m)) || (rc = gate_param_id(c, "item", &item)))
		return rc;
	struct meeting_agenda_item it;
	rc = meeting_agenda_get(c->db, m.id, item, c->a, &it);
	if (rc == ERR_NOT_FOUND || (!rc && it.author_id != c->actor->id))
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("person.err.question_not_found"));
	if (rc)
		return rc;
	struct policy_item p = own_item(&it, is_participant(&m, c->actor->id));
	if ((rc = store_begin_write(c->db)) ||
	    (rc = gate_allow_item(c, &my.g, POLICY_UPDATE, &p, item_name(c, item))))
		return rc;
	if (it.private_ && (rc = meeting_agenda_share(c->db, item, clock_now(), c->a)))
		return rc;
	if ((rc = meeting_agenda_get(c->db, m.id, item, c->a, &it)) ||
	    (rc = meeting_agenda_text(c->db, c->a, &it)) || (rc = store_commit(c->db)))
		return rc;
	json_object_set_new(c->model, "question", question_json(c, m.id, &it));
	c->redirect = arena_printf(c->a, "/my/meetings#meeting-%lld", (long long)m.id);
	return 0;
}
