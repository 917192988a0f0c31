/* output.c: the timeline as section 9 JSON, keys in the contract's order. */
#include "rules/rules.h"

#include <string.h>

#include "base/err.h"

const char *rules_status_name(enum rules_status s)
{
	static const char *const names[] = {"ended",    "not_absent", "not_counted",      "sickness_benefit",
					    "awaiting_decision", "extended", "job_clarification"};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

const char *rules_deadline_name(enum rules_deadline_kind k)
{
	static const char *const names[RULES_DL_N] = {"first_followup",    "next_followup",
						      "category3_rehab_team", "broad_assessment",
						      "reassessment_decision", "job_clarification_rehab_team"};
	return (unsigned)k < RULES_DL_N ? names[k] : "unknown";
}

const char *rules_event_name(enum rules_event e)
{
	static const char *const names[RULES_EV_N] = {"rehabilitation_started", "rehab_team_decision",
						      "work_injury_decision", "pension_decision", "returned_to_work"};
	return (unsigned)e < RULES_EV_N ? names[e] : NULL;
}

/* "KEY": "YYYY-MM-DD" or "KEY": null */
static void put_date(struct buf *b, const char *key, day_t d)
{
	char s[DATE_STR_LEN];
	if (d == RULES_NO_DAY) {
		buf_printf(b, "\"%s\": null", key);
		return;
	}
	date_format(d, s);
	buf_printf(b, "\"%s\": \"%s\"", key, s);
}

static const char *tf(bool v)
{
	return v ? "true" : "false";
}

static void put_extension(struct buf *b, const struct rules_timeline *t)
{
	const struct rules_extension *x = &t->extension;
	if (!t->has_extension) {
		buf_puts(b, "\"extension\": null");
		return;
	}
	buf_printf(b, "\"extension\": {\"ground\": %d, ", x->ground);
	put_date(b, "from", x->from);
	if (x->kind == RULES_GROUND_EVENT) {
		buf_printf(b, ", \"until_event\": \"%s\"", rules_event_name(x->until_event));
		if (x->ended_on != RULES_NO_DAY) {
			buf_puts(b, ", ");
			put_date(b, "ended_on", x->ended_on);
		}
	} else {
		buf_puts(b, ", ");
		put_date(b, "until", x->until);
	}
	buf_putc(b, '}');
}

static void put_deadlines(struct buf *b, const struct rules_timeline *t)
{
	buf_puts(b, "\"deadlines\": [");
	for (int i = 0; i < t->n_deadlines; i++) {
		const struct rules_deadline *d = &t->deadlines[i];
		buf_printf(b, "%s{\"kind\": \"%s\", ", i ? ", " : "", rules_deadline_name(d->kind));
		put_date(b, "due", d->due);
		buf_puts(b, ", ");
		put_date(b, "met_on", d->met_on);
		buf_printf(b, ", \"overdue\": %s}", tf(d->overdue));
	}
	buf_putc(b, ']');
}

static void put_flags(struct buf *b, const struct rules_timeline *t)
{
	/* Written in sorted order. */
	bool first = true;
	buf_puts(b, "\"flags\": [");
	if (t->flags & RULES_FLAG_INVALID_DECISION_NO_HEARING) {
		buf_puts(b, "\"invalid_decision:no_hearing\"");
		first = false;
	}
	if (t->flags & RULES_FLAG_OVER_LIMIT_AT_START)
		buf_printf(b, "%s\"over_limit_at_start\"", first ? "" : ", ");
	buf_putc(b, ']');
}

int rules_timeline_json(const struct rules_timeline *t, struct buf *b)
{
	buf_puts(b, "{\"profile\": \"");
	buf_append_json_str(b, t->profile ? t->profile : "", t->profile ? strlen(t->profile) : 0);
	buf_puts(b, "\", ");
	put_date(b, "as_of", t->as_of);
	buf_printf(b, ", \"benefit_days\": %d, ", t->benefit_days);
	put_date(b, "limit_day", t->limit_day);
	buf_printf(b, ", \"projected\": %s, ", tf(t->projected));
	put_date(b, "reassessment_date", t->reassessment_date);
	buf_printf(b, ", \"status\": \"%s\", ", rules_status_name(t->status));
	put_date(b, "benefit_ends", t->benefit_ends);
	buf_puts(b, ", ");
	put_extension(b, t);
	buf_puts(b, ", ");
	put_deadlines(b, t);
	buf_puts(b, ", ");
	put_flags(b, t);
	buf_puts(b, ", \"explanations\": [");
	for (int i = 0; i < t->n_explanations; i++)
		buf_printf(b, "%s\"%s\"", i ? ", " : "", t->explanations[i]);
	buf_puts(b, "]}");
	return b->err ? b->err : 0;
}
