/* h_meetings_mine.c: the follow-up conversation that was held, recorded in
 * one form (date, mode with its reason, a short summary): the meeting, its
 * status "held" and its minutes in one write, and the case's deadline tasks
 * swept at once so the next follow-up moves; and a professional's meetings
 * across all their cases (/meetings, ?from=&to=). */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/cases/sweep.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/h_form_int.h"
#include "web/handlers.h"
#include "web/meetings/h_meetings_int.h"
#include "web/web.h"

#define FOLLOWUP_MINUTES 30    /* the recorded conversation's length */
#define FOLLOWUP_PAST_DAYS 366 /* how far back a conversation may be recorded */
#define FOLLOWUP_DEFAULT_TIME (10 * 60)
#define MINE_DEFAULT_DAYS 28
#define MINE_MAX_DAYS 366

static bool digit2(const char *s, int max, int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return *out <= max;
}

/* "HH:MM" -> minutes of the day; absent -> def. 0 or ERR_INVALID. */
static int minute_of_day(const char *s, int def, int *out)
{
	int h, m;
	if (!s) {
		*out = def;
		return 0;
	}
	if (strlen(s) != 5 || s[2] != ':' || !digit2(s, 23, &h) || !digit2(s + 3, 59, &m))
		return ERR_INVALID;
	*out = h * 60 + m;
	return 0;
}

/* The date and time of a conversation already held: today or before. */
static int held_when(struct web_ctx *c, json_t *in, int64_t *starts)
{
	day_t d, today = clock_today();
	int minute;
	const char *date = hm_str(in, "date");
	if (!date || date_parse(date, &d) || d > today || d < today - FOLLOWUP_PAST_DAYS)
		return web_fail(c, ERR_INVALID, "date", N_("meetings.followup.err.date"));
	if (minute_of_day(hm_str(in, "time"), FOLLOWUP_DEFAULT_TIME, &minute))
		return web_fail(c, ERR_INVALID, "time", N_("meetings.followup.err.time"));
	*starts = clock_dk_to_utc(d, minute);
	if (*starts > clock_now())
		return web_fail(c, ERR_INVALID, "time", N_("meetings.followup.err.future"));
	return 0;
}

int hm_followup_held(struct web_ctx *c)
{
	struct gate g;
	json_t *in;
	int rc = gate_open(c, "id", &g);
	if (rc || (rc = web_input(c, &in)))
		return rc;
	struct meeting_new nm = {.case_id = g.cr.id,
				 .team_id = g.cr.team_id,
				 .kind = MEETING_FOLLOWUP,
				 .created_by = c->actor->id};
	if (!meeting_may_organise(MEETING_FOLLOWUP, &g.pa))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("meetings.err.not_organiser"));
	const char *summary;
	if ((rc = store_begin_write(c->db)))
		return rc;
	if ((rc = gate_allow(c, &g, POLICY_JOINT, POLICY_CREATE, "meeting")) ||
	    (rc = held_when(c, in, &nm.starts_at)) || (rc = hm_parse_place(c, in, &nm)) ||
	    (rc = hm_text(c, in, "summary", MEETING_TEXT_MAX, N_("meetings.followup.err.summary"),
			  &summary)) ||
	    (rc = hm_case_parts(c, in, &g, &nm)))
		return rc;
	nm.ends_at = nm.starts_at + FOLLOWUP_MINUTES * 60;
	int64_t id, now = clock_now();
	if ((rc = meeting_create(c->db, &nm, now, &id)) ||
	    (rc = meeting_set_status(c->db, id, MEETING_HELD, NULL, c->actor->id)) ||
	    (rc = meeting_minutes_set(c->db, id, summary, c->actor->id, now)) ||
	    (rc = sweep_case(c->db, g.cr.id, clock_today(), now, NULL)))
		return rc;
	struct meeting m;
	if ((rc = meeting_get(c->db, id, c->a, &m)))
		return rc;
	web_set_model(c, hm_meeting_json(c, &m));
	if ((rc = store_commit(c->db)))
		return rc;
	c->status = 201;
	c->redirect = arena_printf(c->a, "/cases/%lld?saved=followup#timeline", (long long)g.cr.id);
	return 0;
}

/* A failed form goes back where it was sent from: My day or the case. */
int hm_followup_back(struct web_ctx *c)
{
	if (str_eq(form_typed(c, "from"), "day"))
		return h_day(c);
	return h_case_form_page(c);
}

/* What the actor may see of the meetings of one case (asked once a case). */
struct seen {
	int64_t case_id;
	bool joint, clinical;
};

static bool may_see(struct web_ctx *c, struct seen *v, size_t *nv, const struct meeting *m)
{
	if (!m->case_id)
		return true; /* supervision: the actor takes part */
	struct seen *s = NULL;
	for (size_t i = 0; i < *nv && !s; i++)
		if (v[i].case_id == m->case_id)
			s = &v[i];
	if (!s) {
		struct gate g;
		s = &v[(*nv)++];
		memset(s, 0, sizeof *s);
		s->case_id = m->case_id;
		if (gate_open_id(c, m->case_id, &g) == 0) {
			s->joint = gate_may(&g, POLICY_JOINT, POLICY_READ);
			s->clinical = gate_may(&g, POLICY_CLINICAL, POLICY_READ);
		}
		c->err = 0, c->err_field = NULL, c->err_message = NULL;
	}
	return meeting_category(m->kind) == POLICY_CLINICAL ? s->clinical : s->joint;
}

/* ?from= and ?to= (inclusive dates); 400 naming the parameter. */
static int mine_range(struct web_ctx *c, day_t *from, day_t *to)
{
	const char *f = web_query(c, "from"), *t = web_query(c, "to");
	*from = clock_today();
	if (f && *f && date_parse(f, from))
		return web_fail(c, ERR_INVALID, "from", N_("meetings.mine.err.from"));
	*to = *from + MINE_DEFAULT_DAYS - 1;
	if (t && *t && (date_parse(t, to) || *to < *from || *to - *from >= MINE_MAX_DAYS))
		return web_fail(c, ERR_INVALID, "to", N_("meetings.mine.err.to"));
	return 0;
}

json_t *hm_mine_json(struct web_ctx *c, day_t from, day_t to)
{
	struct meeting *ms;
	size_t n;
	json_t *arr = json_array();
	if (meeting_list_user_between(c->db, c->actor->id, clock_dk_to_utc(from, 0),
				      clock_dk_to_utc(to + 1, 0), c->a, &ms, &n))
		return arr;
	struct seen *seen = arena_array(c->a, n ? n : 1, sizeof *seen);
	size_t nseen = 0;
	for (size_t i = 0; i < n; i++) {
		if (!may_see(c, seen, &nseen, &ms[i]))
			continue;
		ms[i].minutes = NULL; /* a list shows when and where, never what was said */
		json_t *o = hm_meeting_json(c, &ms[i]);
		json_object_del(o, "participants");
		json_object_del(o, "minutes");
		if (ms[i].case_id)
			json_object_set_new(o, "case_href",
					    json_string(arena_printf(c->a, "/cases/%lld",
								     (long long)ms[i].case_id)));
		json_array_append_new(arr, o);
	}
	return arr;
}

int hm_mine(struct web_ctx *c)
{
	c->template = "meetings/mine";
	c->title_key = N_("meetings.mine.title");
	if (c->actor->role == ROLE_SERVICE_USER && !c->want_json) {
		c->redirect = "/my/meetings"; /* the person's own meetings page */
		return 0;
	}
	day_t from, to;
	if (!c->model)
		c->model = json_object();
	int rc = mine_range(c, &from, &to);
	char f[DATE_STR_LEN], t[DATE_STR_LEN];
	date_format(from, f);
	date_format(to, t);
	if (rc) {
		json_object_set_new(c->model, "from", json_string(web_query(c, "from")));
		json_object_set_new(c->model, "to", json_string(web_query(c, "to")));
		return rc;
	}
	if ((rc = store_begin_read(c->db)))
		return rc;
	json_t *arr = hm_mine_json(c, from, to);
	store_commit(c->db);
	json_object_set_new(c->model, "from", json_string(f));
	json_object_set_new(c->model, "to", json_string(t));
	json_object_set_new(c->model, "has_meetings", json_boolean(json_array_size(arr) > 0));
	json_object_set_new(c->model, "meetings", arr);
	return 0;
}
