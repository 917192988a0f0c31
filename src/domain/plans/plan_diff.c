/* plan_diff.c: what changed between two plan versions, step by step. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/plans/plan.h"

static const char *const field_names[PLAN_FIELD_COUNT] = {
	"kind", "text", "responsible", "due", "status", "hours_per_week",
};

const char *plan_field_name(unsigned bit)
{
	for (int i = 0; i < PLAN_FIELD_COUNT; i++)
		if (bit == 1u << i)
			return field_names[i];
	return "?";
}

static const struct plan_step *find_key(const struct plan *p, int64_t key)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (p->steps[i].key == key)
			return &p->steps[i];
	return NULL;
}

static unsigned step_fields(const struct plan_step *a, const struct plan_step *b)
{
	unsigned f = 0;
	if (!str_eq(a->kind, b->kind))
		f |= PLAN_F_KIND;
	if (!str_eq(a->text, b->text))
		f |= PLAN_F_TEXT;
	if (a->responsible_id != b->responsible_id)
		f |= PLAN_F_RESPONSIBLE;
	if (!str_eq(a->due ? a->due : "", b->due ? b->due : ""))
		f |= PLAN_F_DUE;
	if (!str_eq(a->status, b->status))
		f |= PLAN_F_STATUS;
	if (a->has_hours != b->has_hours ||
	    (a->has_hours && (a->hours_per_week > b->hours_per_week + 0.001 ||
			      a->hours_per_week < b->hours_per_week - 0.001)))
		f |= PLAN_F_HOURS;
	return f;
}

int plan_diff(const struct plan *prev, const struct plan *cur, struct arena *a,
	      struct plan_change **out, size_t *n)
{
	size_t cap = (prev ? prev->n : 0) + (cur ? cur->n : 0);
	*out = arena_array(a, cap ? cap : 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; cur && i < cur->n; i++)
		if (!find_key(prev, cur->steps[i].key))
			(*out)[(*n)++] = (struct plan_change){.after = &cur->steps[i]};
	for (size_t i = 0; cur && i < cur->n; i++) {
		const struct plan_step *b = find_key(prev, cur->steps[i].key);
		unsigned f = b ? step_fields(b, &cur->steps[i]) : 0;
		if (f)
			(*out)[(*n)++] = (struct plan_change){b, &cur->steps[i], f};
	}
	for (size_t i = 0; prev && i < prev->n; i++)
		if (!find_key(cur, prev->steps[i].key))
			(*out)[(*n)++] = (struct plan_change){.before = &prev->steps[i]};
	return 0;
}
