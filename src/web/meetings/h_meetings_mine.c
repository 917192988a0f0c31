/* h_meetings_mine.c: a professional's meetings across all their cases
 * (/meetings, ?from=&to=). */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/handlers.h"
#include "web/meetings/h_meetings_int.h"
#include "web/web.h"

#define MINE_DEFAULT_DAYS 28
#define MINE_MAX_DAYS 366

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
