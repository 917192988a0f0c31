/* h_person_pulse.c: GET/POST /meetings/{id}/pulse: the service user's
 * trust pulse after a held roundtable (DESIGN.md 5a). Four items on a 1-5
 * scale and a free text. Only the person reads or writes their own answer:
 * the policy treats it as a private item the person wrote, so everyone
 * else is refused (403) by the gate. A second POST replaces the answer. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/meetings/pulse.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/h_form_int.h"
#include "web/person/h_person_int.h"
#include "web/web.h"

static const char *const item_keys[PULSE_ITEMS] = {
    N_("person.pulse.item.safe"), N_("person.pulse.item.same_goal"),
    N_("person.pulse.item.next_steps"), N_("person.pulse.item.listened")};
static const char *const scale_keys[PULSE_MAX] = {
    N_("person.pulse.scale.1"), N_("person.pulse.scale.2"), N_("person.pulse.scale.3"),
    N_("person.pulse.scale.4"), N_("person.pulse.scale.5")};

struct pulse_req {
	struct meeting m;
	struct gate g;
	bool available; /* a held roundtable the person took part in */
	bool exists;
	struct pulse p;
};

static bool took_part(const struct meeting *m, int64_t user)
{
	for (size_t i = 0; i < m->nparts; i++)
		if (m->parts[i].user_id == user)
			return true;
	return false;
}

/* The meeting, its case through the gate, and the person's own answer. */
static int pulse_open(struct web_ctx *c, struct pulse_req *r, enum policy_action act)
{
	int64_t id;
	memset(r, 0, sizeof *r);
	if (!c->model)
		c->model = json_object();
	int rc = gate_param_id(c, "id", &id);
	if (rc)
		return rc;
	rc = meeting_get(c->db, id, c->a, &r->m);
	if (rc == ERR_NOT_FOUND || (!rc && !r->m.case_id))
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("person.err.meeting_not_found"));
	if (rc || (rc = gate_open_id(c, r->m.case_id, &r->g)))
		return rc;
	/* The answer is the person's own private item: nobody else passes. */
	struct policy_item it = {.category = POLICY_PRIVATE, .actor_is_author = true};
	if ((rc = gate_allow_item(c, &r->g, act, &it,
				  arena_printf(c->a, "pulse:meeting:%lld", (long long)id))))
		return rc;
	r->available = r->m.kind == MEETING_ROUNDTABLE && r->m.status == MEETING_HELD &&
		       took_part(&r->m, c->actor->id);
	rc = pulse_get(c->db, id, c->actor->id, c->a, &r->p);
	r->exists = rc == 0;
	return rc == ERR_NOT_FOUND ? 0 : rc;
}

static json_t *answer_json(const struct pulse_req *r)
{
	if (!r->exists)
		return json_null();
	json_t *o = json_object();
	for (int i = 0; i < PULSE_ITEMS; i++)
		json_object_set_new(o, pulse_items[i],
				    r->p.values[i] ? json_integer(r->p.values[i]) : json_null());
	json_object_set_new(o, "text", r->p.text ? json_string(r->p.text) : json_null());
	return o;
}

/* The form: each item a fieldset of five radio buttons. */
static json_t *items_json(struct web_ctx *c, const int values[PULSE_ITEMS])
{
	json_t *a = json_array();
	for (int i = 0; i < PULSE_ITEMS; i++) {
		json_t *opts = json_array();
		for (int v = PULSE_MIN; v <= PULSE_MAX; v++)
			json_array_append_new(
			    opts, json_pack("{s:i, s:s, s:b, s:s}", "value", v, "label",
					    web_t(c, scale_keys[v - 1]), "checked", values[i] == v,
					    "id", arena_printf(c->a, "%s-%d", pulse_items[i], v)));
		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:b}", "name", pulse_items[i],
						   "label", web_t(c, item_keys[i]), "options", opts,
						   "error_here",
						   str_eq(c->err_field, pulse_items[i])));
	}
	return a;
}

static void pulse_model(struct web_ctx *c, struct pulse_req *r, const int values[PULSE_ITEMS],
			const char *text)
{
	json_object_set_new(c->model, "meeting", my_meeting_json(c, &r->m));
	json_object_set_new(c->model, "available", json_boolean(r->available));
	json_object_set_new(c->model, "answered", json_boolean(r->exists));
	json_object_set_new(c->model, "answer", answer_json(r));
	json_object_set_new(c->model, "items", items_json(c, values));
	json_object_set_new(c->model, "text", json_string(text ? text : ""));
	json_object_set_new(c->model, "share_text", json_boolean(r->exists && r->p.share_text));
	json_object_set_new(c->model, "saved", json_boolean(str_eq(web_query(c, "saved"), "1")));
	json_object_set_new(
	    c->model, "action",
	    json_string(arena_printf(c->a, "/meetings/%lld/pulse", (long long)r->m.id)));
	c->template = "person/pulse";
	c->title_key = N_("person.pulse.title");
}

/* A failed answer: the form again with every choice and the text as typed
 * (h_form_int.h), not only those read before the bad one. */
static void pulse_again(struct web_ctx *c, struct pulse_req *r, const int values[PULSE_ITEMS])
{
	pulse_model(c, r, values, form_typed(c, "text"));
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(c->model, "items"), i, it)
		form_mark(json_object_get(it, "options"), "value",
			  form_typed(c, json_string_value(json_object_get(it, "name"))), "checked");
	form_keep(c, "pulse");
}

int h_pulse_get(struct web_ctx *c)
{
	struct pulse_req r;
	int rc = pulse_open(c, &r, POLICY_READ);
	if (rc)
		return rc;
	pulse_model(c, &r, r.p.values, r.p.text);
	return 0;
}

/* One item: absent, null or "" is no answer (0); else an integer 1-5. */
static int item_value(json_t *in, const char *name, int *out)
{
	json_t *v = json_object_get(in, name);
	long n = 0;
	*out = 0;
	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
		return 0;
	if (json_is_integer(v))
		n = (long)json_integer_value(v);
	else if (!json_is_string(v) || str_to_long(json_string_value(v), PULSE_MIN, PULSE_MAX, &n))
		return ERR_INVALID;
	if (n < PULSE_MIN || n > PULSE_MAX)
		return ERR_INVALID;
	*out = (int)n;
	return 0;
}

/* "share_text": true, or a checked box ("1"); absent is false. */
static int share_input(struct web_ctx *c, json_t *in, bool *share)
{
	json_t *v = json_object_get(in, "share_text");
	*share = false;
	if (!v || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_true(v) || (json_is_string(v) && (str_eq(json_string_value(v), "1") ||
						       str_eq(json_string_value(v), "on") ||
						       str_eq(json_string_value(v), "true")))) {
		*share = true;
		return 0;
	}
	if (json_is_string(v) && (str_eq(json_string_value(v), "0") || !*json_string_value(v)))
		return 0;
	return web_fail(c, ERR_INVALID, "share_text", N_("person.err.pulse_share"));
}

/* Reads and checks the answer; records 400 naming the field. */
static int pulse_input(struct web_ctx *c, int values[PULSE_ITEMS], const char **text)
{
	json_t *in;
	int rc = web_input(c, &in);
	if (rc)
		return rc;
	bool any = false;
	for (int i = 0; i < PULSE_ITEMS; i++) {
		if (item_value(in, pulse_items[i], &values[i]))
			return web_fail(c, ERR_INVALID, pulse_items[i],
					N_("person.err.pulse_value"));
		any |= values[i] != 0;
	}
	json_t *t = json_object_get(in, "text");
	if (t && !json_is_null(t) && !json_is_string(t))
		return web_fail(c, ERR_INVALID, "text", N_("person.err.pulse_text"));
	*text = json_is_string(t) ? json_string_value(t) : NULL;
	size_t n = *text ? strlen(*text) : 0;
	if (n > PULSE_TEXT_MAX || !str_valid_utf8(*text ? *text : "", n))
		return web_fail(c, ERR_INVALID, "text", N_("person.err.pulse_text"));
	if (n && strspn(*text, " \t\r\n") == n)
		*text = NULL;
	if (!any && !*text)
		return web_fail(c, ERR_INVALID, pulse_items[0], N_("person.err.pulse_empty"));
	return 0;
}

int h_pulse_post(struct web_ctx *c)
{
	struct pulse_req r;
	int values[PULSE_ITEMS] = {0};
	const char *text = NULL;
	int rc = pulse_open(c, &r, POLICY_CREATE);
	if (rc)
		return rc;
	if (!r.available) {
		pulse_model(c, &r, r.p.values, r.p.text);
		return web_fail(c, ERR_CONFLICT, NULL, N_("person.err.pulse_not_held"));
	}
	if ((rc = pulse_input(c, values, &text))) {
		if (!c->want_json)
			pulse_again(c, &r, values);
		return rc;
	}
	int64_t id;
	bool created, share;
	if ((rc = share_input(c, web_input_parsed(c), &share)))
		return rc;
	if ((rc = store_begin_write(c->db)) ||
	    (rc = pulse_save(c->db, c->a, r.m.id, r.m.case_id, r.m.team_id, c->actor->id, values, text,
			     clock_now(), &id, &created)) ||
	    (rc = pulse_set_share(c->db, id, share && text)) || (rc = store_commit(c->db)) || (rc = pulse_get(c->db, r.m.id, c->actor->id, c->a, &r.p)))
		return rc;
	r.exists = true;
	json_object_set_new(c->model, "meeting_id", json_integer(r.m.id));
	json_object_set_new(c->model, "answer", answer_json(&r));
	json_object_set_new(c->model, "share_text", json_boolean(r.p.share_text));
	c->status = created ? 201 : 200;
	c->redirect = arena_printf(c->a, "/meetings/%lld/pulse?saved=1", (long long)r.m.id);
	return 0;
}
