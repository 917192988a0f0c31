/* suppress.c: the minimum group size (suppress.h). */
#include "domain/insight/suppress.h"

#include <string.h>

const char *suppress_why_name(enum supp_why w)
{
	switch (w) {
	case SUPP_SMALL:
		return "fewer_than_5";
	case SUPP_REVEALS:
		return "would_reveal";
	case SUPP_FROM_SUPPRESSED:
		return "built_on_suppressed";
	default:
		return "";
	}
}

void suppress_one(struct agg *g)
{
	g->why = g->n > 0 && g->n < INSIGHT_MIN_GROUP ? SUPP_SMALL : SUPP_NONE;
	g->mean = g->values > 0 ? (double)g->sum / (double)g->values : 0.0;
}

/* The total of one rated role on one dimension over all rater roles. */
static void total_of(struct rc_results *r, int rated, int d)
{
	struct agg *t = &r->total[rated][d];
	memset(t, 0, sizeof *t);
	long hidden = 0;
	for (int rater = 0; rater < INSTR_ROLES; rater++) {
		const struct agg *c = &r->cell[rater][rated][d];
		t->sum += c->sum;
		t->values += c->values;
		t->n += c->n;
		if (c->why != SUPP_NONE)
			hidden += c->n;
	}
	suppress_one(t);
	if (t->why == SUPP_NONE && hidden > 0 && hidden < INSIGHT_MIN_GROUP)
		t->why = SUPP_REVEALS;
}

/* The mean of the dimensions' means that have answers; n is the largest
 * n among them (the respondents who rated this at all). */
static void index_of(struct agg *out, const struct agg *dims)
{
	memset(out, 0, sizeof *out);
	double s = 0;
	int k = 0;
	bool any_hidden = false;
	for (int d = 0; d < INSTR_DIMENSIONS; d++) {
		if (dims[d].n > out->n)
			out->n = dims[d].n;
		if (dims[d].why != SUPP_NONE)
			any_hidden = true;
		else if (dims[d].values > 0) {
			s += dims[d].mean;
			k++;
		}
	}
	out->values = k;
	out->mean = k ? s / k : 0.0;
	if (out->n > 0 && out->n < INSIGHT_MIN_GROUP)
		out->why = SUPP_SMALL;
	else if (any_hidden)
		out->why = SUPP_FROM_SUPPRESSED;
}

void suppress_results(struct rc_results *r)
{
	for (int a = 0; a < INSTR_ROLES; a++)
		for (int b = 0; b < INSTR_ROLES; b++)
			for (int d = 0; d < INSTR_DIMENSIONS; d++)
				suppress_one(&r->cell[a][b][d]);
	for (int b = 0; b < INSTR_ROLES; b++)
		for (int d = 0; d < INSTR_DIMENSIONS; d++)
			total_of(r, b, d);
	for (int a = 0; a < INSTR_ROLES; a++)
		for (int b = 0; b < INSTR_ROLES; b++)
			index_of(&r->index[a][b], r->cell[a][b]);
	for (int b = 0; b < INSTR_ROLES; b++)
		index_of(&r->total_index[b], r->total[b]);
}
