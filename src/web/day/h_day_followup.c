/* h_day_followup.c: the follow-up conversation that was held, recorded in
 * one form (date, mode with its reason, a short summary) from My day or the
 * case page: the meeting, its status "held" and its minutes in one write,
 * and the case's deadline tasks swept at once so the next follow-up moves.
 * A failed form goes back to the page it was sent from. */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/cases/sweep.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/day/h_day.h"
#include "web/field.h"
#include "web/h_form_int.h"
#include "web/handlers.h"
#include "web/meetings/h_meetings_share.h"
#include "web/web.h"

#define FOLLOWUP_MINUTES 30    /* the recorded conversation's length */
#define FOLLOWUP_PAST_DAYS 366 /* how far back a conversation may be recorded */
#define FOLLOWUP_DEFAULT_TIME (10 * 60)

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
	const char *date = field_str_set(in, "date");
	if (!date || date_parse(date, &d) || d > today || d < today - FOLLOWUP_PAST_DAYS)
		return web_fail(c, ERR_INVALID, "date", N_("meetings.followup.err.date"));
	if (minute_of_day(field_str_set(in, "time"), FOLLOWUP_DEFAULT_TIME, &minute))
		return web_fail(c, ERR_INVALID, "time", N_("meetings.followup.err.time"));
	*starts = clock_dk_to_utc(d, minute);
	/* No time typed for a conversation held earlier today: the default
	 * hour may not have come yet, so it is taken to have ended now. */
	int64_t now = clock_now();
	if (!field_str_set(in, "time") && *starts > now) {
		int64_t ended = now - FOLLOWUP_MINUTES * 60, midnight = clock_dk_to_utc(d, 0);
		*starts = ended > midnight ? ended : midnight;
	}
	if (*starts > now)
		return web_fail(c, ERR_INVALID, "time", N_("meetings.followup.err.future"));
	return 0;
}

int day_followup_held(struct web_ctx *c)
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
	struct policy_item oi = meeting_organise_item(MEETING_FOLLOWUP);
	if (!gate_may_item(&g, POLICY_CREATE, &oi))
		return web_fail(c, ERR_FORBIDDEN, NULL, N_("meetings.err.not_organiser"));
	const char *summary;
	if ((rc = store_begin_write(c->db)))
		return rc;
	if ((rc = gate_allow(c, &g, POLICY_JOINT, POLICY_CREATE, "meeting")) ||
	    (rc = held_when(c, in, &nm.starts_at)) || (rc = hm_parse_place(c, in, &nm)) ||
	    (rc = field_text(c, in, "summary", MEETING_TEXT_MAX, N_("meetings.followup.err.summary"),
			  &summary)) ||
	    (rc = hm_case_parts(c, in, &g, &nm)))
		return rc;
	nm.ends_at = nm.starts_at + FOLLOWUP_MINUTES * 60;
	int64_t id, now = clock_now();
	if ((rc = meeting_create(c->db, &nm, now, &id)) ||
	    (rc = meeting_set_status(c->db, id, MEETING_HELD, NULL, c->actor->id)) ||
	    (rc = meeting_minutes_set(c->db, id, summary, c->actor->id, now, c->a)) ||
	    (rc = sweep_case(c->db, g.cr.id, clock_today(), now, NULL)))
		return rc;
	struct meeting m;
	if ((rc = meeting_get(c->db, id, c->a, &m)))
		return rc;
	web_set_model(c, hm_meeting_json(c, &m));
	if ((rc = store_commit(c->db)))
		return rc;
	c->status = 201;
	c->redirect = arena_printf(c->a, "/cases/%lld#timeline", (long long)g.cr.id);
	return 0;
}

/* A failed form goes back where it was sent from: My day or the case. */
static int followup_back(struct web_ctx *c)
{
	if (str_eq(form_typed(c, "from"), "day"))
		return h_day(c);
	return h_case_form_page(c);
}

int day_followup_form(struct web_ctx *c)
{
	return form_again(c, day_followup_held(c), "followup", followup_back);
}
