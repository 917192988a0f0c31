/* km.c: the Kaplan-Meier estimator (km.h). */
#include "domain/insight/km.h"

#include <stdlib.h>

#include "base/arena.h"

static int by_week(const void *x, const void *y)
{
	const struct km_subject *a = x, *b = y;
	if (a->week != b->week)
		return a->week < b->week ? -1 : 1;
	return (int)b->event - (int)a->event; /* events first */
}

void km_estimate(struct km_subject *v, size_t n, struct arena *a, struct km_step **steps,
		 size_t *nsteps)
{
	*steps = NULL;
	*nsteps = 0;
	if (!n)
		return;
	qsort(v, n, sizeof *v, by_week);
	*steps = arena_array(a, n, sizeof **steps);
	double s = 1.0;
	size_t i = 0;
	while (i < n) {
		int w = v[i].week, d = 0, c = 0;
		int at_risk = (int)(n - i);
		for (; i < n && v[i].week == w; i++) {
			if (v[i].event)
				d++;
			else
				c++;
		}
		if (d)
			s *= 1.0 - (double)d / (double)at_risk;
		(*steps)[(*nsteps)++] =
		    (struct km_step){.week = w, .at_risk = at_risk, .events = d, .censored = c, .survival = s};
	}
}

int km_at_risk(const struct km_subject *v, size_t n, int w)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].week >= w)
			k++;
	return k;
}

double km_survival_at(const struct km_step *s, size_t n, int w)
{
	double out = 1.0;
	for (size_t i = 0; i < n && s[i].week <= w; i++)
		out = s[i].survival;
	return out;
}
