/* h_trust.c: the trust module's routes, and notes (DESIGN.md section 4).
 * Every handler opens the case through the gate; lists filter silently
 * with gate_may, and each sensitive item read is audited by gate_allow. */
#include "web/trust/h_trust.h"

#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/trust/note.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/h_form_int.h"
#include "web/handlers.h"
#include "web/web.h"

static int h_trust_notes_list(struct web_ctx *c);
static int h_trust_notes_create(struct web_ctx *c);

const struct route routes_trust[] = {
	{HTTP_GET, "/cases/{id}/notes", h_trust_notes_list, ROUTE_CASE, "clinical,core,health_shared,employment,joint,private"},
	{HTTP_POST, "/cases/{id}/notes", h_trust_notes_create, ROUTE_CASE, "clinical,core,health_shared,employment,joint,private"},
	{HTTP_GET, "/cases/{id}/evidence", h_trust_evidence_list, ROUTE_CASE, "health_shared,core,employment"},
	{HTTP_POST, "/cases/{id}/evidence", h_trust_evidence_create, ROUTE_CASE, "health_shared,core,employment"},
	{HTTP_GET, "/cases/{id}/decisions", h_trust_decisions_list, ROUTE_CASE, "decision,core"},
	{HTTP_POST, "/cases/{id}/decisions", h_trust_decisions_create, ROUTE_CASE, "decision,core"},
	{HTTP_GET, "/cases/{id}/consents", h_trust_consents_list, ROUTE_CASE, "core"},
	{HTTP_POST, "/cases/{id}/consents", h_trust_consents_create, ROUTE_CASE, "core"},
	{HTTP_GET, "/cases/{id}/access-log", h_trust_access_log, ROUTE_CASE, "audit,core,clinical"},
	{HTTP_GET, "/security-events", h_trust_security_events, ROUTE_SESSION, "security"},
};
const size_t routes_trust_n = sizeof routes_trust / sizeof routes_trust[0];

static const enum policy_category note_order[] = {POLICY_CLINICAL, POLICY_HEALTH_SHARED,
						  POLICY_EMPLOYMENT, POLICY_JOINT, POLICY_PRIVATE};
#define NOTE_NCATS (sizeof note_order / sizeof note_order[0])

/* The categories the actor may create, for the form. */
static json_t *notes_writable(struct web_ctx *c, struct gate *g)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < NOTE_NCATS; i++)
		if (gate_may(g, note_order[i], POLICY_CREATE)) {
			const char *name = policy_category_name(note_order[i]);
			json_array_append_new(arr, json_pack("{s:s, s:s}", "value", name, "label",
							     trust_label(c, "category", name)));
		}
	return arr;
}

/* Whether this note may be read: its own facts for private notes. */
static int note_allow(struct web_ctx *c, struct gate *g, const struct note *n)
{
	struct policy_item it = {.category = n->category};
	if (n->category == POLICY_PRIVATE && n->meeting_id) {
		it.shared_with_meeting = true;
		it.actor_in_meeting = note_user_in_meeting(c->db, n->meeting_id, c->actor->id);
	}
	return gate_allow_item(c, g, POLICY_READ, &it,
			       arena_printf(c->a, "note:%lld", (long long)n->id));
}

static json_t *note_json(struct web_ctx *c, const struct note *n)
{
	const char *cat = policy_category_name(n->category);
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:I, s:s}", "id", (json_int_t)n->id,
			 "category", cat, "category_label", trust_label(c, "category", cat),
			 "author", trust_person(n->author_id, n->author_name), "text", n->text,
			 "created_at", (json_int_t)n->created_at, "when",
			 trust_when(c, n->created_at));
}

/* The page model: the notes the actor may read (of one category, or all). */
static int notes_fill(struct web_ctx *c, struct gate *g, const char *only)
{
	unsigned mask = 0;
	for (size_t i = 0; i < NOTE_NCATS; i++)
		if (gate_may(g, note_order[i], POLICY_READ) &&
		    (!only || str_eq(only, policy_category_name(note_order[i]))))
			mask |= NOTE_MASK(note_order[i]);
	struct note *notes;
	size_t n;
	int rc = note_list(c->db, c->a, g->cr.id, mask, &notes, &n);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (note_allow(c, g, &notes[i])) {
			json_decref(arr);
			return ERR_FORBIDDEN;
		}
		json_array_append_new(arr, note_json(c, &notes[i]));
	}
	if (!c->model)
		c->model = json_object();
	json_object_set_new(c->model, "case_id", json_integer(g->cr.id));
	json_object_set_new(c->model, "category", only ? json_string(only) : json_null());
	json_object_set_new(c->model, "notes", arr);
	json_t *w = notes_writable(c, g);
	json_object_set_new(c->model, "can_write", json_boolean(json_array_size(w) > 0));
	json_object_set_new(c->model, "writable", w);
	json_object_set_new(c->model, "action", json_string(trust_path(c, g->cr.id, "notes")));
	c->template = "trust/notes";
	c->title_key = N_("trust.notes.title");
	return 0;
}

static int h_trust_notes_list(struct web_ctx *c)
{
	struct gate g;
	int rc = trust_open(c, &g);
	if (rc)
		return rc;
	const char *only = web_query(c, "category");
	enum policy_category cat;
	if (only && *only) {
		if (note_category_parse(only, &cat))
			return web_fail(c, ERR_INVALID, "category", N_("trust.err.note_category"));
		/* An explicit category the actor may not read is refused. */
		if (!gate_may(&g, cat, POLICY_READ))
			return gate_allow(c, &g, cat, POLICY_READ, "notes");
	} else {
		only = NULL;
	}
	if ((rc = store_begin_read(c->db)))
		return rc;
	rc = notes_fill(c, &g, only);
	int rc2 = store_commit(c->db); /* commit: a synchronous audit entry may be in it */
	return rc ? rc : rc2;
}

/* Validation failed: the page again, with the message by the field. */
static int notes_refill(struct web_ctx *c, struct gate *g, int err)
{
	if (!c->want_json && notes_fill(c, g, NULL) == 0) {
		form_mark(json_object_get(c->model, "writable"), "value",
			  form_typed(c, "category"), "selected");
		form_keep(c, "note");
	}
	return err;
}

static int h_trust_notes_create(struct web_ctx *c)
{
	struct gate g;
	int rc = trust_open(c, &g);
	if (rc)
		return rc;
	json_t *in;
	if ((rc = web_input(c, &in)))
		return rc;
	enum policy_category cat;
	if (note_category_parse(field_str(in, "category"), &cat))
		return notes_refill(c, &g, web_fail(c, ERR_INVALID, "category",
						    N_("trust.err.note_category")));
	if (!gate_may(&g, cat, POLICY_CREATE))
		return gate_allow(c, &g, cat, POLICY_CREATE, "note");
	const char *text = field_str(in, "text");
	if (note_text_check(text))
		return notes_refill(c, &g, web_fail(c, ERR_INVALID, "text", N_("trust.err.text")));
	int64_t id;
	if ((rc = store_begin_write(c->db)))
		return rc;
	rc = note_create(c->db, c->a, g.cr.id, cat, c->actor->id, text, clock_now(), &id);
	if (!rc)
		rc = gate_allow(c, &g, cat, POLICY_CREATE,
				arena_printf(c->a, "note:%lld", (long long)id));
	if (!rc)
		rc = store_commit(c->db);
	if (rc)
		return rc;
	c->status = 201;
	web_model_merge(c, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id, "category",
				     policy_category_name(cat), "case_id", (json_int_t)g.cr.id));
	c->redirect = trust_path(c, g.cr.id, "notes");
	return 0;
}
