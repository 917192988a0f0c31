/* h_plans_tasks.c: "My tasks": the actor's own tasks, done and undone.
 *
 * A task names its case (id and the person's name) only when the actor may
 * read the case's core data now, and a plan step's text only when they may
 * read the plan (joint); another user's task answers 404. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/meetings/meeting.h"
#include "domain/meetings/meeting_minutes.h"
#include "domain/plans/plan.h"
#include "domain/plans/task.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/plans/h_plans_int.h"
#include "web/plans/h_tasks.h"
#include "web/web.h"

#define TASK_TITLE_TEXT_MAX 60 /* characters of a step's text in a title */

/* Each kind's name and the case page where it is done ("" the case itself). */
static const struct {
	const char *kind;
	const char *key;
	const char *where;
} kind_keys[] = {
	{"reassessment_decision", N_("plans.task.kind.reassessment_decision"), "/decisions"},
	{"first_followup", N_("plans.task.kind.first_followup"), "#followup"},
	{"next_followup", N_("plans.task.kind.next_followup"), "#followup"},
	{"category3_rehab_team", N_("plans.task.kind.category3_rehab_team"), "/decisions"},
	{"broad_assessment", N_("plans.task.kind.broad_assessment"), "/assessments"},
	{"job_clarification_rehab_team", N_("plans.task.kind.job_clarification_rehab_team"),
	 "/decisions"},
	{"plan_roundtable", N_("plans.task.kind.plan_roundtable"), "/meetings"},
	{"plan_step", N_("plans.task.kind.plan_step"), "/plan"},
	{"meeting", N_("plans.task.kind.meeting"), "/meetings"},
	{MINUTES_TASK_KIND, N_("plans.task.kind.meeting_action"), "/meetings"},
};

static const char *kind_key(const char *kind)
{
	for (size_t i = 0; i < sizeof kind_keys / sizeof kind_keys[0]; i++)
		if (str_eq(kind, kind_keys[i].kind))
			return kind_keys[i].key;
	return N_("plans.task.kind.other");
}

static const char *kind_where(const char *kind)
{
	for (size_t i = 0; i < sizeof kind_keys / sizeof kind_keys[0]; i++)
		if (str_eq(kind, kind_keys[i].kind))
			return kind_keys[i].where;
	return "";
}

/* At most max characters of s, with an ellipsis when cut. arena */
static const char *shorten(struct web_ctx *c, const char *s, size_t max)
{
	size_t chars = 0, i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > max)
			return arena_printf(c->a, "%.*s…", (int)i, s);
	}
	return s;
}

/* What the actor may see of a task's case. */
struct case_view {
	int64_t id;
	bool core, joint, clinical;
	const char *name; /* arena */
};

static void case_view_get(struct web_ctx *c, int64_t case_id, struct case_view *cv)
{
	struct gate g;
	memset(cv, 0, sizeof *cv);
	cv->id = case_id;
	if (gate_open_id(c, case_id, &g)) {
		c->err = 0, c->err_field = NULL, c->err_message = NULL;
		return;
	}
	cv->core = gate_may(&g, POLICY_CORE, POLICY_READ);
	cv->joint = gate_may(&g, POLICY_JOINT, POLICY_READ);
	cv->clinical = gate_may(&g, POLICY_CLINICAL, POLICY_READ);
	if (cv->core && plan_case_name(c->db, case_id, c->a, &cv->name))
		cv->core = false;
}

static json_t *task_json(struct web_ctx *c, const struct task *t, const struct case_view *cv,
			 const char *today)
{
	const char *title = web_t(c, kind_key(t->kind));
	long key;
	const char *text = NULL;
	if (cv && cv->joint && str_eq(t->source, "plan") && str_starts_with(t->source_key, "step:") &&
	    !str_to_long(t->source_key + 5, 1, 0x7fffffffL, &key) &&
	    !task_plan_step_text(c->db, t->case_id, key, c->a, &text) && text)
		title = arena_printf(c->a, "%s: %s", title, shorten(c, text, TASK_TITLE_TEXT_MAX));
	int64_t meeting = 0; /* an action from a meeting's minutes: what it asks */
	const char *mkind;
	if (cv && str_eq(t->kind, MINUTES_TASK_KIND) &&
	    !minutes_action_of_task(c->db, t->id, c->a, &meeting, &mkind, &text)) {
		enum meeting_kind k;
		bool may = !meeting_kind_parse(mkind, &k) &&
			   (meeting_category(k) == POLICY_CLINICAL ? cv->clinical : cv->joint);
		if (may)
			title = arena_printf(c->a, "%s: %s", title,
					     shorten(c, text, TASK_TITLE_TEXT_MAX));
		else
			meeting = 0;
	}
	bool overdue = !t->done && t->due && strcmp(t->due, today) < 0;
	json_t *kase = cv && cv->core ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)cv->id,
						   "name", cv->name, "href",
						   arena_printf(c->a, "/cases/%lld", (long long)cv->id))
				      : json_null();
	const char *href = meeting	   ? arena_printf(c->a, "/meetings/%lld", (long long)meeting)
			   : cv && cv->core ? arena_printf(c->a, "/cases/%lld%s", (long long)cv->id,
							   kind_where(t->kind))
					    : "/tasks";
	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:b, s:o, s:b, s:o, s:b, s:s, s:s}", "id",
			 (json_int_t)t->id, "kind", t->kind, "title", title, "source", t->source,
			 "due", t->due, "done", t->done, "done_at",
			 t->done ? plans_time_json(t->done_at) : json_null(), "overdue", overdue,
			 "case", kase, "has_due", t->due != NULL, "action",
			 arena_printf(c->a, "/tasks/%lld", (long long)t->id), "href", href);
}

json_t *tasks_json(struct web_ctx *c, const struct task *ts, size_t n)
{
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	struct case_view *views = arena_array(c->a, n ? n : 1, sizeof *views);
	size_t nviews = 0;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct case_view *cv = NULL;
		for (size_t j = 0; ts[i].case_id && j < nviews && !cv; j++)
			if (views[j].id == ts[i].case_id)
				cv = &views[j];
		if (ts[i].case_id && !cv) {
			cv = &views[nviews++];
			case_view_get(c, ts[i].case_id, cv);
		}
		json_array_append_new(arr, task_json(c, &ts[i], cv, today));
	}
	return arr;
}

int h_tasks_list(struct web_ctx *c)
{
	c->template = "tasks/index";
	c->title_key = N_("plans.tasks.title");
	const char *before = web_query(c, "due_before");
	day_t d;
	if (before && date_parse(before, &d)) {
		/* The filter as typed stays in its field, marked (a GET form). */
		web_model_merge(c, json_pack("{s:s}", "due_before", before));
		return web_fail(c, ERR_INVALID, "due_before", N_("plans.tasks.err.due_before"));
	}
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	struct task *ts;
	size_t n;
	int rc = task_list_for_user(c->db, c->actor->id, before, clock_now() - TASK_RECENT_DONE_S,
				    c->a, &ts, &n);
	if (rc)
		return rc;
	json_t *arr = tasks_json(c, ts, n);
	size_t overdue = 0, i;
	json_t *tj;
	json_array_foreach(arr, i, tj)
		overdue += json_is_true(json_object_get(tj, "overdue"));
	web_model_merge(c, json_pack("{s:o, s:s, s:s?, s:b, s:i}", "tasks", arr, "today", today,
				       "due_before", before, "has_tasks", n > 0, "overdue_count",
				       (int)overdue));
	if (!c->want_json) { /* the page: open tasks first, done ones folded */
		json_t *open = json_array(), *done = json_array();
		json_array_foreach(arr, i, tj)
			json_array_append(json_is_true(json_object_get(tj, "done")) ? done : open, tj);
		bool has_open = json_array_size(open) > 0, has_done = json_array_size(done) > 0;
		web_model_merge(
		    c, json_pack("{s:{s:o, s:s}, s:{s:o, s:s}, s:b, s:b}", "open_section", "rows",
				 open, "caption", web_t(c, N_("plans.tasks.caption")), "done_section",
				 "rows", done, "caption", web_t(c, N_("plans.tasks.done_caption")),
				 "has_open", has_open, "has_done", has_done));
	}
	return 0;
}

/* {"done": true|false}; a form sends "true"/"false" (or "1"/"0"). */
static int done_input(struct web_ctx *c, bool *done)
{
	json_t *in;
	int rc = web_input(c, &in);
	if (rc)
		return rc;
	if (field_bool(in, "done", done))
		return web_fail(c, ERR_INVALID, "done", N_("plans.tasks.err.done"));
	return 0;
}

int h_task_update(struct web_ctx *c)
{
	int64_t id;
	bool done = false;
	struct task t;
	int rc = gate_param_id(c, "id", &id);
	if (rc)
		return rc;
	rc = task_get(c->db, id, c->a, &t);
	if (rc == ERR_NOT_FOUND || (!rc && t.user_id != c->actor->id))
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("plans.tasks.err.not_found"));
	if (rc)
		return rc;
	rc = done_input(c, &done);
	if (rc)
		return rc;
	rc = store_begin_write(c->db);
	if (!rc)
		rc = task_set_done(c->db, id, done, c->actor->id, clock_now());
	if (!rc)
		rc = store_commit(c->db);
	if (!rc)
		rc = task_get(c->db, id, c->a, &t);
	if (rc)
		return rc;
	struct case_view cv;
	if (t.case_id)
		case_view_get(c, t.case_id, &cv);
	char today[DATE_STR_LEN];
	date_format(clock_today(), today);
	web_model_merge(c, json_pack("{s:o}", "task",
				       task_json(c, &t, t.case_id ? &cv : NULL, today)));
	c->redirect = "/tasks";
	return 0;
}
