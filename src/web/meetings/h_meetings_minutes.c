/* h_meetings_minutes.c: a meeting's minutes: the free text and their
 * structure (issue 15): the agreements reached, the action items (who does
 * what by when; each becomes a task of the case in the same transaction)
 * and the next meeting (a time, a planned meeting of the case, or one made
 * here). Also who has agreed, disagreed and not answered yet.
 *
 * The API takes {"text", "agreements": [..], "actions": [{"who", "what",
 * "due"}], "next_start", "next_duration", "next_create", "next_meeting"};
 * the form sends the agreements one a line, actions as rows action1_who,
 * action1_what, action1_due, ..., and the next meeting as next_date and
 * next_time. A bad field is named (actions[0].due in JSON, action1_due in
 * the form) and nothing is written. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/meetings/meeting_minutes.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/h_form_int.h"
#include "web/meetings/h_meetings_int.h"
#include "web/web.h"

#define FORM_ROWS_BLANK 3 /* empty action rows the form offers */

struct minutes_in {
	const char *text;
	const char **agreements;
	size_t nagreements;
	struct minutes_action_in *actions;
	size_t nactions;
	int64_t next_start, next_end, next_id;
	bool next_create;
};

/* Case meetings: the assigned CM or EC (the policy decides the category);
 * supervision: the team's supervisors. */
static int minutes_writer(struct web_ctx *c, struct hm *x)
{
	if (x->team)
		return hm_may_organise(c, x)
			   ? 0
			   : web_fail(c, ERR_FORBIDDEN, NULL, N_("error.forbidden"));
	struct policy_item it = {.category = x->cat, .meeting_minutes = true};
	return gate_allow_item(c, &x->g, POLICY_CREATE, &it,
			       arena_printf(c->a, "meeting:%lld:minutes", (long long)x->m.id));
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

static bool short_text_ok(const char *s)
{
	size_t n = strlen(s);
	return !blank(s) && n <= MINUTES_ITEM_MAX && str_valid_utf8(s, n);
}

/* s without leading and trailing white space (arena). */
static const char *trim(struct web_ctx *c, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(c->a, s, n);
}

/* "agreements": a list of texts, or one text with one agreement a line. */
static int parse_agreements(struct web_ctx *c, json_t *in, struct minutes_in *m)
{
	json_t *v = json_object_get(in, "agreements");
	m->agreements = arena_array(c->a, MINUTES_ITEMS_MAX, sizeof *m->agreements);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		while (*s) {
			const char *e = strchr(s, '\n');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			const char *t = trim(c, s, n);
			if (*t) {
				if (m->nagreements == MINUTES_ITEMS_MAX || !short_text_ok(t))
					return web_fail(c, ERR_INVALID, "agreements",
							N_("meetings.minutes.err.agreements"));
				m->agreements[m->nagreements++] = t;
			}
			s += n + (e != NULL);
		}
		return 0;
	}
	size_t i;
	json_t *e;
	if (!json_is_array(v) || json_array_size(v) > MINUTES_ITEMS_MAX)
		return web_fail(c, ERR_INVALID, "agreements",
				N_("meetings.minutes.err.agreements"));
	json_array_foreach(v, i, e)
	{
		if (!json_is_string(e) || !short_text_ok(json_string_value(e)))
			return web_fail(c, ERR_INVALID, arena_printf(c->a, "agreements[%zu]", i),
					N_("meetings.minutes.err.agreements"));
		m->agreements[m->nagreements++] =
		    trim(c, json_string_value(e), json_string_length(e));
	}
	return 0;
}

/* The people an action may be given to: the case's person, CM and EC and
 * the meeting's participants; from a therapy session only the CM (its
 * minutes are clinical: nobody else may read what the task asks). */
static bool may_do(const struct hm *x, int64_t who)
{
	if (x->m.kind == MEETING_THERAPY)
		return who == x->g.cr.cm_id;
	return who == x->g.cr.person_id || who == x->g.cr.cm_id || who == x->g.cr.ec_id ||
	       hm_participant(x, who) != NULL;
}

/* One action; field names from fmt ("actions[%zu].%s" or "action%zu_%s"). */
static void parse_action(struct web_ctx *c, struct hm *x, json_t *who, const char *what,
			 const char *due, const char *fmt, size_t i, struct minutes_action_in *out)
{
	long id = 0;
	bool ok_who = json_is_integer(who) ? (id = (long)json_integer_value(who)) > 0
		      : json_is_string(who)
			  ? !str_to_long(json_string_value(who), 1, 0x7fffffffL, &id)
			  : false;
	if (!ok_who || !may_do(x, id))
		web_fail_more(c, ERR_INVALID, arena_printf(c->a, fmt, i, "who"),
			      x->m.kind == MEETING_THERAPY && ok_who
				  ? N_("meetings.minutes.err.who_therapy")
				  : N_("meetings.minutes.err.who"));
	if (!what || !short_text_ok(what))
		web_fail_more(c, ERR_INVALID, arena_printf(c->a, fmt, i, "what"),
			      N_("meetings.minutes.err.what"));
	day_t d;
	if (!due || date_parse(due, &d) || d < clock_dk_local(x->m.starts_at).day)
		web_fail_more(c, ERR_INVALID, arena_printf(c->a, fmt, i, "due"),
			      N_("meetings.minutes.err.due"));
	out->who = id;
	out->what = what ? trim(c, what, strlen(what)) : NULL;
	out->due = due;
}

static int parse_actions(struct web_ctx *c, struct hm *x, json_t *in, struct minutes_in *m)
{
	m->actions = arena_array(c->a, MINUTES_ITEMS_MAX, sizeof *m->actions);
	json_t *v = json_object_get(in, "actions");
	if (v && !json_is_null(v)) { /* the API: a list of objects */
		size_t i;
		json_t *e;
		if (!json_is_array(v) || json_array_size(v) > MINUTES_ITEMS_MAX)
			return web_fail(c, ERR_INVALID, "actions",
					N_("meetings.minutes.err.actions"));
		json_array_foreach(v, i, e)
		{
			if (!json_is_object(e))
				return web_fail(c, ERR_INVALID,
						arena_printf(c->a, "actions[%zu]", i),
						N_("meetings.minutes.err.actions"));
			parse_action(c, x, json_object_get(e, "who"), field_str(e, "what"),
				     field_str(e, "due"), "actions[%zu].%s", i,
				     &m->actions[m->nactions++]);
		}
	} else { /* the form: rows action1_who, action1_what, action1_due, ... */
		for (size_t i = 1; i <= MINUTES_ITEMS_MAX; i++) {
			const char *who = field_str_set(in, arena_printf(c->a, "action%zu_who", i));
			const char *what = field_str(in, arena_printf(c->a, "action%zu_what", i));
			const char *due = field_str_set(in, arena_printf(c->a, "action%zu_due", i));
			if (!who && blank(what) && !due)
				continue; /* an empty row */
			json_t *w = who ? json_string(who) : json_null();
			parse_action(c, x, w, blank(what) ? NULL : what, due, "action%zu_%s", i,
				     &m->actions[m->nactions++]);
			json_decref(w);
		}
	}
	if (m->nactions && x->team)
		return web_fail(c, ERR_INVALID, "actions", N_("meetings.minutes.err.team_actions"));
	return c->err;
}

/* The next meeting: "next_meeting" (a planned meeting of the case after
 * this one, of the same category: a roundtable's readers must not learn of
 * a therapy session from its minutes), or "next_start" (the form: next_date and next_time) with
 * "next_create" to plan it now. */
static int parse_next(struct web_ctx *c, struct hm *x, json_t *in, struct minutes_in *m)
{
	json_t *nm = json_object_get(in, "next_meeting");
	const char *date = field_str_set(in, "next_date"), *time = field_str_set(in, "next_time");
	const char *start = field_str_set(in, "next_start");
	bool has_start = start || date || time;
	if (field_bool(in, "next_create", &m->next_create) == ERR_INVALID)
		return web_fail(c, ERR_INVALID, "next_create",
				N_("meetings.minutes.err.next_create"));
	if (nm && !json_is_null(nm) && !(json_is_string(nm) && !*json_string_value(nm))) {
		long id = 0;
		struct meeting other;
		bool ok = json_is_integer(nm) ? (id = (long)json_integer_value(nm)) > 0
			  : json_is_string(nm)
			      ? !str_to_long(json_string_value(nm), 1, 0x7fffffffL, &id)
			      : false;
		if (ok && (has_start || m->next_create))
			return web_fail(c, ERR_INVALID, "next_meeting",
					N_("meetings.minutes.err.next_both"));
		if (!ok || x->team || meeting_get(c->db, id, c->a, &other) ||
		    other.case_id != x->m.case_id || other.id == x->m.id ||
		    other.status != MEETING_PLANNED || other.starts_at <= x->m.starts_at ||
		    meeting_category(other.kind) != x->cat)
			return web_fail(c, ERR_INVALID, "next_meeting",
					N_("meetings.minutes.err.next_meeting"));
		m->next_id = id;
		m->next_start = other.starts_at;
		return 0;
	}
	if (!has_start) {
		if (m->next_create)
			return web_fail(c, ERR_INVALID,
					json_object_get(in, "next_date") ? "next_date"
									 : "next_start",
					N_("meetings.minutes.err.next_start"));
		return 0;
	}
	const char *field = start ? "next_start" : !date ? "next_date" : "next_time";
	if (!start && date && time)
		start = arena_printf(c->a, "%sT%s", date, time);
	if (!start || hm_parse_local(start, &m->next_start) || m->next_start <= x->m.starts_at)
		return web_fail(c, ERR_INVALID, field, N_("meetings.minutes.err.next_start"));
	long minutes = (long)((x->m.ends_at - x->m.starts_at) / 60);
	bool present;
	if (field_int(in, "next_duration", 5, 24 * 60, &minutes, &present))
		return web_fail(c, ERR_INVALID, "next_duration", N_("meetings.err.duration"));
	m->next_end = m->next_start + minutes * 60;
	if (m->next_create && x->team)
		return web_fail(c, ERR_INVALID, "next_create",
				N_("meetings.minutes.err.next_team"));
	return 0;
}

/* Plans the next meeting like this one: its kind, people, place and mode. */
static int create_next(struct web_ctx *c, struct hm *x, struct minutes_in *m)
{
	if (!hm_may_organise(c, x))
		return web_fail(c, ERR_FORBIDDEN, "next_create", N_("meetings.err.not_organiser"));
	int rc = gate_allow(c, &x->g, x->cat, POLICY_CREATE, "meeting");
	if (rc)
		return rc;
	struct meeting_new nm = {.case_id = x->m.case_id,
				 .team_id = x->m.team_id,
				 .kind = x->m.kind,
				 .starts_at = m->next_start,
				 .ends_at = m->next_end,
				 .site_id = x->m.site_id,
				 .remote_link = x->m.remote_link,
				 .mode = x->m.mode,
				 .mode_reason = x->m.mode_reason,
				 .created_by = c->actor->id,
				 .parts = x->m.parts,
				 .nparts = x->m.nparts};
	json_t *warning = NULL;
	bool form = field_str_set(web_input_parsed(c), "next_date") != NULL;
	rc = hm_create(c, &nm, form ? "next_date" : "next_start", "next_day_ok", &m->next_id,
		       &warning);
	if (!rc && warning)
		json_object_set_new(c->model, "next_day_warning", warning);
	return rc;
}

/* Who has not answered the minutes yet: every participant without an
 * answer. */
static json_t *not_answered_json(struct web_ctx *c, struct hm *x, json_t *agreements)
{
	json_t *a = json_array();
	for (size_t i = 0; i < x->m.nparts; i++) {
		const struct meeting_participant *p = &x->m.parts[i];
		bool answered = false;
		size_t j;
		json_t *g;
		json_array_foreach(agreements, j, g) answered |=
		    json_integer_value(json_object_get(g, "user")) == p->user_id;
		if (!answered)
			json_array_append_new(
			    a, json_pack("{s:I, s:s, s:s, s:s}", "user", (json_int_t)p->user_id,
					 "name", p->name, "role", p->role, "role_label",
					 web_t(c, arena_printf(c->a, "role.%s", p->role))));
	}
	return a;
}

static json_t *actions_json(struct web_ctx *c, const struct minutes_structure *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->nactions; i++) {
		const struct minutes_action *x = &s->actions[i];
		json_t *o =
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "who", (json_int_t)x->who,
			      "who_name", x->who_name, "who_role", x->who_role, "who_role_label",
			      web_t(c, arena_printf(c->a, "role.%s", x->who_role)), "what", x->what,
			      "due", x->due, "done", x->done);
		json_object_set_new(o, "task", x->task_id ? json_integer(x->task_id) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *next_json(struct web_ctx *c, const struct minutes_structure *s)
{
	if (!s->next_start)
		return json_null();
	char when[HM_LOCAL_LEN];
	hm_local(s->next_start, when);
	json_t *o = json_pack("{s:s, s:I}", "start", when, "starts_at", (json_int_t)s->next_start);
	when[10] = '\0';
	json_object_set_new(o, "date", json_string(when));
	json_object_set_new(o, "time", json_string(when + 11));
	json_object_set_new(o, "meeting",
			    s->next_meeting_id ? json_integer(s->next_meeting_id) : json_null());
	json_object_set_new(
	    o, "href",
	    s->next_meeting_id
		? json_string(arena_printf(c->a, "/meetings/%lld", (long long)s->next_meeting_id))
		: json_null());
	return o;
}

/* The input of a minutes form that failed (it always sends "agreements"),
 * else NULL. */
static json_t *typed_minutes(struct web_ctx *c)
{
	json_t *in = web_input_parsed(c);
	return c->err_field && json_object_get(in, "agreements") ? in : NULL;
}

/* The form's action rows: what failed and was typed, else what is kept
 * and a few empty rows. Each row offers the people it may be given to. */
static json_t *form_rows(struct web_ctx *c, struct hm *x, const struct minutes_structure *s)
{
	json_t *people = json_array();
	int64_t ids[3 + 16];
	size_t nids = 0;
	if (x->m.kind == MEETING_THERAPY) {
		ids[nids++] = x->g.cr.cm_id;
	} else {
		for (size_t i = 0; i < x->m.nparts && nids < 16; i++)
			ids[nids++] = x->m.parts[i].user_id;
		int64_t more[] = {x->g.cr.cm_id, x->g.cr.ec_id};
		for (size_t k = 0; k < 2; k++)
			if (more[k] && !hm_participant(x, more[k]))
				ids[nids++] = more[k];
	}
	for (size_t i = 0; i < nids; i++) {
		const char *name, *role;
		if (ids[i] && !meeting_user_find(c->db, ids[i], c->a, &name, &role))
			json_array_append_new(
			    people,
			    json_pack("{s:I, s:s}", "id", (json_int_t)ids[i], "label",
				      arena_printf(c->a, "%s (%s)", name,
						   web_t(c, arena_printf(c->a, "role.%s", role)))));
	}
	json_t *in = typed_minutes(c); /* a failed form: what was typed */
	json_t *rows = json_array();
	size_t n = in ? MINUTES_ITEMS_MAX : s->nactions + FORM_ROWS_BLANK;
	if (n > MINUTES_ITEMS_MAX)
		n = MINUTES_ITEMS_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t k = i + 1;
		const char *who, *what, *due;
		char num[24];
		if (in) {
			who = field_str(in, arena_printf(c->a, "action%zu_who", k));
			what = field_str(in, arena_printf(c->a, "action%zu_what", k));
			due = field_str(in, arena_printf(c->a, "action%zu_due", k));
			if (k > s->nactions + FORM_ROWS_BLANK && !who && !what && !due)
				continue;
		} else if (i < s->nactions) {
			str_fmt(num, sizeof num, "%lld", (long long)s->actions[i].who);
			who = num, what = s->actions[i].what, due = s->actions[i].due;
		} else {
			who = what = due = NULL;
		}
		json_t *opts = json_deep_copy(people);
		form_mark(opts, "id", who, "selected");
		const char *f[3] = {arena_printf(c->a, "action%zu_who", k),
				    arena_printf(c->a, "action%zu_what", k),
				    arena_printf(c->a, "action%zu_due", k)};
		bool bad[3] = {false, false, false};
		for (int j = 0; j < 3 && in; j++) {
			bad[j] = str_eq(c->err_field, f[j]);
			for (int e = 0; e < c->n_err_more; e++)
				bad[j] |= str_eq(c->err_more[e].field, f[j]);
		}
		json_array_append_new(
		    rows, json_pack("{s:I, s:o, s:s, s:s, s:b, s:b, s:b}", "n", (json_int_t)k,
				    "people", opts, "what", what ? what : "", "due", due ? due : "",
				    "bad_who", bad[0], "bad_what", bad[1], "bad_due", bad[2]));
	}
	json_decref(people);
	return rows;
}

/* The case's planned meetings after this one, for "the next meeting". */
static json_t *planned_after(struct web_ctx *c, struct hm *x, int64_t chosen)
{
	json_t *a = json_array();
	struct meeting *v;
	size_t n;
	if (x->team || meeting_list_case(c->db, x->m.case_id, c->a, &v, &n))
		return a;
	for (size_t i = 0; i < n; i++) {
		if (v[i].id == x->m.id || v[i].status != MEETING_PLANNED ||
		    v[i].starts_at <= x->m.starts_at || meeting_category(v[i].kind) != x->cat)
			continue;
		json_t *o = hm_meeting_json(c, &v[i]);
		json_object_set_new(o, "selected", json_boolean(v[i].id == chosen));
		json_array_append_new(a, o);
	}
	return a;
}

void hm_minutes_model(struct web_ctx *c, struct hm *x, bool writer)
{
	struct minutes_structure s;
	if (x->limited || minutes_structure_get(c->db, x->m.id, c->a, &s))
		memset(&s, 0, sizeof s);
	json_t *min = json_object_get(c->model, "minutes");
	json_t *agreements = json_array();
	for (size_t i = 0; i < s.nagreements; i++)
		json_array_append_new(agreements, json_string(s.agreements[i]));
	json_t *actions = actions_json(c, &s), *next = next_json(c, &s);
	json_t *answers = json_object_get(c->model, "agreements");
	json_t *na = x->m.minutes ? not_answered_json(c, x, answers) : json_array();
	json_object_set_new(c->model, "has_not_answered", json_boolean(json_array_size(na) > 0));
	if (!c->want_json) /* the page's table: answers first, then who has not answered */
		json_object_set_new(c->model, "agreements_given",
				    answers ? json_incref(answers) : json_array());
	json_object_set_new(c->model, "not_answered", na);
	if (json_is_object(min)) {
		json_object_set_new(min, "has_agreements",
				    json_boolean(json_array_size(agreements) > 0));
		json_object_set_new(min, "has_actions", json_boolean(json_array_size(actions) > 0));
		json_object_set(min, "agreements", agreements);
		json_object_set(min, "actions", actions);
		json_object_set(min, "next", next);
	}
	if (writer) {
		json_t *in = typed_minutes(c);
		struct buf b;
		buf_init(&b, MINUTES_ITEMS_MAX * (MINUTES_ITEM_MAX + 1) + 1);
		for (size_t i = 0; i < s.nagreements; i++) {
			buf_puts(&b, s.agreements[i]);
			buf_putc(&b, '\n');
		}
		const char *typed = in ? field_str(in, "agreements") : NULL;
		long chosen = (long)s.next_meeting_id;
		const char *nm = in ? field_str_set(in, "next_meeting") : NULL;
		if (in && (!nm || str_to_long(nm, 1, 0x7fffffffL, &chosen)))
			chosen = 0;
		json_t *f = json_pack("{s:s, s:o, s:o}", "agreements",
				      typed ? typed : arena_strndup(c->a, b.data, b.len), "rows",
				      form_rows(c, x, &s), "planned", planned_after(c, x, chosen));
		buf_release(&b);
		const char *nd = NULL, *nt = NULL;
		if (in) {
			nd = field_str(in, "next_date"), nt = field_str(in, "next_time");
		} else if (s.next_start && !s.next_meeting_id) {
			json_t *d = json_object_get(next, "date"),
			       *t = json_object_get(next, "time");
			nd = json_string_value(d), nt = json_string_value(t);
		}
		json_object_set_new(f, "next_date", json_string(nd ? nd : ""));
		json_object_set_new(f, "next_time", json_string(nt ? nt : ""));
		json_object_set_new(
		    f, "has_planned",
		    json_boolean(json_array_size(json_object_get(f, "planned")) > 0));
		json_object_set_new(f, "case_meeting", json_boolean(!x->team));
		json_object_set_new(c->model, "minutes_form", f);
	}
	json_decref(agreements);
	json_decref(actions);
	json_decref(next);
}

int hm_minutes_put(struct web_ctx *c)
{
	struct hm x;
	json_t *in;
	int rc = hm_open(c, &x);
	if (rc || (rc = web_input(c, &in)))
		return rc;
	if ((rc = store_begin_write(c->db)) || (rc = minutes_writer(c, &x)))
		return rc;
	struct minutes_in m = {0};
	m.text = field_str(in, "text");
	if ((rc = parse_agreements(c, in, &m)) || (rc = parse_actions(c, &x, in, &m)) ||
	    (rc = parse_next(c, &x, in, &m)))
		return rc;
	/* Free text alone, or structure with or without it. */
	if ((!m.text || blank(m.text)) && !m.nagreements && !m.nactions)
		return web_fail(c, ERR_INVALID, "text", N_("meetings.err.minutes"));
	if (m.text && blank(m.text))
		m.text = "";
	if (!m.text)
		m.text = "";
	if (strlen(m.text) > MEETING_TEXT_MAX || !str_valid_utf8(m.text, strlen(m.text)))
		return web_fail(c, ERR_INVALID, "text", N_("meetings.err.minutes"));
	int64_t now = clock_now();
	if ((rc = meeting_minutes_set(c->db, x.m.id, m.text, c->actor->id, now, c->a)) ||
	    (m.next_create && (rc = create_next(c, &x, &m))) ||
	    (rc = minutes_structure_set(c->db, x.m.id, x.m.case_id, m.agreements, m.nagreements,
					m.actions, m.nactions, m.next_start, m.next_id, now,
					c->a)) ||
	    (rc = store_commit(c->db)) || (rc = meeting_get(c->db, x.m.id, c->a, &x.m)))
		return rc;
	json_t *o = hm_meeting_json(c, &x.m);
	web_model_merge(c, o);
	json_object_set_new(c->model, "agreements", json_array());
	hm_minutes_model(c, &x, false);
	c->redirect = arena_printf(c->a, "/meetings/%lld#minutes", (long long)x.m.id);
	return 0;
}
