/* km.h: the Kaplan-Meier estimator, pure (DESIGN.md section 8: time to
 * return to work with open cases censored).
 *
 * Each subject has a time (whole weeks from referral) and whether the event
 * (a return to work) happened then, or the subject was censored then (the
 * case is still open, or ended another way). At every time with events:
 * S(t) = S(t-) * (1 - d/n), where n counts the subjects whose time is t or
 * later: a subject censored at t is still at risk at t (the usual
 * convention: censoring comes after the events of the same time). */
#ifndef IBBIS_KM_H
#define IBBIS_KM_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

struct km_subject {
	int week;   /* >= 0 */
	bool event; /* false: censored */
};

struct km_step {
	int week;
	int at_risk;
	int events;
	int censored; /* censored at this week */
	double survival; /* after this week's events */
};

/* Sorts v in place and writes one step per distinct week that has events
 * or censorings, in order. *steps: arena. */
void km_estimate(struct km_subject *v, size_t n, struct arena *a, struct km_step **steps,
		 size_t *nsteps);
/* The number at risk at week w (time >= w). v sorted by km_estimate. */
int km_at_risk(const struct km_subject *v, size_t n, int w);
/* S(w): the survival after the last step at or before w (1 before any). */
double km_survival_at(const struct km_step *s, size_t n, int w);

#endif
