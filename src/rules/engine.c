/* engine.c: facts + profile -> timeline (spec sections 2-6, contract 9).
 *
 * Never walks day by day: benefit days are counted over merged periods
 * with the O(1) weekday count, and the limit day is searched month by
 * month (within a month the window start is fixed, so the count only
 * grows). */
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

/* ---- weekday helpers ---- */

day_t rules_nth_weekday(day_t d, int n)
{
	int wd = date_weekday(d);
	if (wd >= 5) {
		d += 7 - wd;
		wd = 0;
	}
	int total = wd + (n - 1);
	return d - wd + (total / 5) * 7 + total % 5;
}

int rules_count_in(const struct rules_period *p, size_t n, day_t lo, day_t hi)
{
	int32_t sum = 0;
	for (size_t i = 0; i < n && p[i].a <= hi; i++) {
		if (p[i].b < lo)
			continue;
		sum += date_weekdays_between(p[i].a > lo ? p[i].a : lo, p[i].b < hi ? p[i].b : hi);
	}
	return sum;
}

static int cmp_period(const void *x, const void *y)
{
	const struct rules_period *a = x, *b = y;
	return (a->a > b->a) - (a->a < b->a);
}

static void sort_periods(struct rules_period *p, size_t n)
{
	if (n > 16) {
		qsort(p, n, sizeof *p, cmp_period);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct rules_period v = p[i];
		size_t j = i;
		for (; j > 0 && p[j - 1].a > v.a; j--)
			p[j] = p[j - 1];
		p[j] = v;
	}
}

size_t rules_merge(struct rules_period *p, size_t n)
{
	if (n == 0)
		return 0;
	sort_periods(p, n);
	size_t k = 0;
	for (size_t i = 1; i < n; i++) {
		if (p[i].a <= p[k].b + 1) {
			if (p[i].b > p[k].b)
				p[k].b = p[i].b;
		} else {
			p[++k] = p[i];
		}
	}
	return k + 1;
}

/* ---- months as indexes y*12 + (m-1) ---- */

static int month_of(day_t d)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return y * 12 + m - 1;
}

static day_t month_first(int idx)
{
	return date_from_ymd(idx / 12, idx % 12 + 1, 1);
}

/* ---- the computation ---- */

struct work {
	const struct rules_profile *p;
	const struct rules_facts *f;
	struct rules_period *own; /* arena: own benefit periods, merged */
	size_t n_own;
	struct rules_period *all; /* arena: own and earlier, merged */
	size_t n_all;
	day_t counted_from;
	/* facts known by as_of */
	day_t first_fu, last_fu, cat3, fast_track;
	const struct rules_decision *dec; /* borrowed: first valid decision */
};

static int window_count(const struct work *w, day_t d)
{
	day_t lo = month_first(month_of(d) - (w->p->window_months - 1));
	return rules_count_in(w->all, w->n_all, lo, d);
}

/* First own weekday in [t, hi], or RULES_NO_DAY. */
static day_t first_own_from(const struct work *w, day_t t, day_t hi)
{
	for (size_t i = 0; i < w->n_own && w->own[i].a <= hi; i++) {
		if (w->own[i].b < t)
			continue;
		day_t d = rules_nth_weekday(w->own[i].a > t ? w->own[i].a : t, 1);
		if (d <= w->own[i].b && d <= hi)
			return d;
	}
	return RULES_NO_DAY;
}

/* Limit day inside month idx, or RULES_NO_DAY. */
static day_t limit_in_month(const struct work *w, int idx)
{
	day_t first = month_first(idx), last = month_first(idx + 1) - 1;
	day_t lo = month_first(idx - (w->p->window_months - 1));
	if (rules_count_in(w->all, w->n_all, lo, last) <= w->p->limit_days)
		return RULES_NO_DAY;
	int need = w->p->limit_days + 1 - rules_count_in(w->all, w->n_all, lo, first - 1);
	day_t t = first;
	for (size_t i = 0; need > 0 && i < w->n_all && w->all[i].a <= last; i++) {
		if (w->all[i].b < first)
			continue;
		day_t a = w->all[i].a > first ? w->all[i].a : first;
		day_t b = w->all[i].b < last ? w->all[i].b : last;
		int k = date_weekdays_between(a, b);
		if (k >= need)
			t = rules_nth_weekday(a, need);
		need -= k;
	}
	return first_own_from(w, t, last);
}

static day_t find_limit_day(const struct work *w)
{
	if (w->n_own == 0)
		return RULES_NO_DAY;
	const struct rules_period *lastp = &w->own[w->n_own - 1];
	int from = month_of(w->own[0].a);
	/* An open period: past window_months months of it the count no longer
	 * grows, so a limit not reached by then is never reached. */
	int to = lastp->b == RULES_OPEN ? month_of(lastp->a) + 2 * w->p->window_months + 1 : month_of(lastp->b);
	for (int m = from; m <= to; m++) {
		day_t d = limit_in_month(w, m);
		if (d != RULES_NO_DAY)
			return d;
	}
	return RULES_NO_DAY;
}

static int build_periods(struct work *w, struct arena *a)
{
	const struct rules_facts *f = w->f;
	w->own = arena_array(a, f->n_absences + 1, sizeof *w->own);
	w->all = arena_array(a, f->n_absences + f->n_earlier + 1, sizeof *w->all);
	for (size_t i = 0; i < f->n_absences; i++) {
		struct rules_period p = f->absences[i];
		if (p.b < p.a)
			return ERR_INVALID;
		if (p.a < w->counted_from)
			p.a = w->counted_from;
		if (p.a <= p.b)
			w->own[w->n_own++] = p;
	}
	memcpy(w->all, w->own, w->n_own * sizeof *w->own);
	w->n_all = w->n_own;
	for (size_t i = 0; i < f->n_earlier; i++) {
		if (f->earlier[i].b < f->earlier[i].a)
			return ERR_INVALID;
		w->all[w->n_all++] = f->earlier[i];
	}
	w->n_own = rules_merge(w->own, w->n_own);
	w->n_all = rules_merge(w->all, w->n_all);
	return 0;
}

/* Follow-ups, category 3, fast track and decisions known by as_of. */
static void scan_known(struct work *w, struct rules_timeline *t)
{
	const struct rules_facts *f = w->f;
	day_t as_of = f->as_of;
	w->first_fu = w->last_fu = w->cat3 = RULES_NO_DAY;
	for (size_t i = 0; i < f->n_followups; i++) {
		day_t d = f->followups[i];
		if (d > as_of)
			continue;
		if (w->first_fu == RULES_NO_DAY || d < w->first_fu)
			w->first_fu = d;
		if (w->last_fu == RULES_NO_DAY || d > w->last_fu)
			w->last_fu = d;
	}
	for (size_t i = 0; i < f->n_categories; i++)
		if (f->categories[i].category == 3 && f->categories[i].on <= as_of &&
		    (w->cat3 == RULES_NO_DAY || f->categories[i].on < w->cat3))
			w->cat3 = f->categories[i].on;
	w->fast_track = f->fast_track_requested != RULES_NO_DAY && f->fast_track_requested <= as_of &&
				!f->fast_track_refused
			    ? f->fast_track_requested
			    : RULES_NO_DAY;
	w->dec = NULL;
	for (size_t i = 0; i < f->n_decisions; i++) {
		const struct rules_decision *d = &f->decisions[i];
		if (d->on > as_of)
			continue;
		if (d->hearing == RULES_NO_DAY || d->hearing > d->on) {
			t->flags |= RULES_FLAG_INVALID_DECISION_NO_HEARING;
			continue;
		}
		if (!w->dec || d->on < w->dec->on)
			w->dec = d;
	}
}

/* The first event of kind on or after from, known by as_of. */
static day_t first_event(const struct rules_facts *f, enum rules_event kind, day_t from)
{
	day_t best = RULES_NO_DAY;
	for (size_t i = 0; i < f->n_events; i++) {
		const struct rules_event_rec *e = &f->events[i];
		if (e->kind == kind && e->on >= from && e->on <= f->as_of && (best == RULES_NO_DAY || e->on < best))
			best = e->on;
	}
	return best;
}

static void apply_decision(const struct work *w, struct rules_timeline *t)
{
	t->benefit_ends = RULES_NO_DAY;
	t->has_extension = false;
	if (!w->dec || t->reassessment_date == RULES_NO_DAY)
		return;
	t->benefit_ends = w->dec->on > t->reassessment_date ? w->dec->on : t->reassessment_date;
	if (w->dec->kind != RULES_DEC_EXTENSION)
		return;
	const struct rules_ground *g = &w->p->grounds[w->dec->ground - 1];
	struct rules_extension *x = &t->extension;
	t->has_extension = true;
	x->ground = w->dec->ground;
	x->kind = g->kind;
	x->from = t->benefit_ends + 1;
	x->until = x->ended_on = RULES_NO_DAY;
	x->until_event = RULES_EV_NONE;
	switch (g->kind) {
	case RULES_GROUND_FROM_START:
		x->until = x->from + g->weeks * 7 - 1;
		break;
	case RULES_GROUND_AFTER_REASS:
		x->until = t->reassessment_date + g->weeks * 7;
		break;
	case RULES_GROUND_EVENT:
		x->until_event = g->event;
		x->ended_on = first_event(w->f, g->event, x->from);
		break;
	case RULES_GROUND_UNLIMITED:
		break;
	}
}

static bool in_absence(const struct rules_facts *f, day_t d)
{
	for (size_t i = 0; i < f->n_absences; i++)
		if (f->absences[i].a <= d && d <= f->absences[i].b)
			return true;
	return false;
}

static bool has_ended(const struct rules_facts *f)
{
	for (size_t i = 0; i < f->n_events; i++)
		if (f->events[i].kind == RULES_EV_RETURNED_TO_WORK && f->events[i].on <= f->as_of)
			return true;
	for (size_t i = 0; i < f->n_absences; i++)
		if (f->absences[i].b >= f->as_of)
			return false;
	return true;
}

static enum rules_status status_of(const struct work *w, const struct rules_timeline *t)
{
	const struct rules_facts *f = w->f;
	day_t as_of = f->as_of;
	if (has_ended(f))
		return RULES_ENDED;
	if (!in_absence(f, as_of))
		return RULES_NOT_ABSENT;
	if (as_of < w->counted_from)
		return RULES_NOT_COUNTED;
	if (t->reassessment_date == RULES_NO_DAY || as_of <= t->reassessment_date)
		return RULES_SICKNESS_BENEFIT;
	if (t->benefit_ends == RULES_NO_DAY || as_of <= t->benefit_ends)
		return RULES_AWAITING_DECISION;
	if (!t->has_extension)
		return RULES_JOB_CLARIFICATION;
	const struct rules_extension *x = &t->extension;
	if ((x->until != RULES_NO_DAY && as_of > x->until) || (x->ended_on != RULES_NO_DAY && as_of > x->ended_on))
		return RULES_AWAITING_DECISION;
	return RULES_EXTENDED;
}

static void add_deadline(struct rules_timeline *t, enum rules_deadline_kind k, day_t due, day_t met, bool milestone)
{
	struct rules_deadline *d = &t->deadlines[t->n_deadlines++];
	d->kind = k;
	d->due = due;
	d->met_on = met;
	if (milestone)
		d->overdue = false;
	else
		d->overdue = met != RULES_NO_DAY ? met > due : t->as_of > due;
}

static void build_deadlines(const struct work *w, struct rules_timeline *t)
{
	const struct rules_profile *p = w->p;
	day_t first = w->f->first_absence_day;
	day_t due = first + p->first_followup_days;
	if (w->fast_track != RULES_NO_DAY && w->fast_track + p->fast_track_days < due)
		due = w->fast_track + p->fast_track_days;
	t->n_deadlines = 0;
	add_deadline(t, RULES_DL_FIRST_FOLLOWUP, due, w->first_fu, false);
	if (w->last_fu != RULES_NO_DAY &&
	    (t->status == RULES_SICKNESS_BENEFIT || t->status == RULES_AWAITING_DECISION ||
	     t->status == RULES_EXTENDED))
		add_deadline(t, RULES_DL_NEXT_FOLLOWUP, w->last_fu + p->next_followup_days, RULES_NO_DAY, false);
	if (w->cat3 != RULES_NO_DAY)
		add_deadline(t, RULES_DL_CATEGORY3_REHAB_TEAM, w->cat3 + p->category3_rehab_team_days, RULES_NO_DAY,
			     false);
	add_deadline(t, RULES_DL_BROAD_ASSESSMENT, date_add_months(first, p->broad_assessment_months), RULES_NO_DAY,
		     true);
	if (t->reassessment_date != RULES_NO_DAY)
		add_deadline(t, RULES_DL_REASSESSMENT_DECISION, t->reassessment_date,
			     w->dec ? w->dec->on : RULES_NO_DAY, false);
	if (t->benefit_ends != RULES_NO_DAY && w->dec->kind == RULES_DEC_JOB_CLARIFICATION)
		add_deadline(t, RULES_DL_JOB_CLARIFICATION_REHAB_TEAM,
			     t->benefit_ends + 1 + p->job_clarification_rehab_team_days, RULES_NO_DAY, false);
}

int rules_compute(const struct rules_profile *p, const struct rules_facts *f, struct arena *a,
		  struct rules_timeline *t)
{
	struct work w = {.p = p, .f = f};
	memset(t, 0, sizeof *t);
	if (f->employment < 0 || f->employment >= RULES_EMPLOYMENT_N)
		return ERR_INVALID;
	w.counted_from = f->first_absence_day + p->not_counted_days[f->employment];
	int rc = build_periods(&w, a);
	if (rc)
		return rc;
	t->profile = p->name;
	t->as_of = f->as_of;
	t->benefit_days = window_count(&w, f->as_of);
	if (window_count(&w, f->first_absence_day) > p->limit_days)
		t->flags |= RULES_FLAG_OVER_LIMIT_AT_START;
	t->limit_day = find_limit_day(&w);
	t->reassessment_date = t->limit_day == RULES_NO_DAY ? RULES_NO_DAY : date_last_of_month(t->limit_day);
	t->projected = t->limit_day != RULES_NO_DAY && t->limit_day > f->as_of;
	scan_known(&w, t);
	apply_decision(&w, t);
	t->status = status_of(&w, t);
	build_deadlines(&w, t);
	t->params.counted_from = w.counted_from;
	t->params.next_followup_due = w.last_fu == RULES_NO_DAY ? RULES_NO_DAY : w.last_fu + p->next_followup_days;
	rules_explain(p, t);
	return 0;
}
