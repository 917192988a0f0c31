/* bench_timeline.c: engine throughput on one thread.
 *
 * Generates 1,000,000 varied cases in memory (deterministic PRNG), then
 * times rules_compute over all of them five times and prints the median:
 *   timelines_per_second <N>
 * Parsing and JSON output are not timed: the sweep calls the engine on
 * facts it already holds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/arena.h"
#include "base/embed.h"
#include "rules/rules.h"

#define N_CASES 1000000
#define RUNS 5

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static int pick(int n)
{
	return (int)(rng() % (uint32_t)n);
}

/* One case: 1-3 absences (the last one open half the time), maybe earlier
 * benefit, follow-ups, a category, a decision and an event. */
static void gen_case(struct arena *a, struct rules_facts *f)
{
	day_t first = date_from_ymd(2015, 1, 5) + pick(5 * 365);
	f->employment = (enum rules_employment)pick(RULES_EMPLOYMENT_N);
	f->first_absence_day = first;
	f->as_of = first + pick(4 * 365);
	f->n_absences = 1 + (size_t)pick(3);
	f->absences = arena_array(a, f->n_absences, sizeof *f->absences);
	day_t d = first;
	for (size_t i = 0; i < f->n_absences; i++) {
		f->absences[i].a = d;
		f->absences[i].b = d + 20 + pick(200);
		d = f->absences[i].b + 1 + pick(60);
	}
	if (pick(2))
		f->absences[f->n_absences - 1].b = RULES_OPEN;
	f->n_earlier = (size_t)pick(2);
	f->earlier = arena_array(a, 1, sizeof *f->earlier);
	f->earlier[0].a = first - 30 - pick(300);
	f->earlier[0].b = f->earlier[0].a + pick(100);
	f->fast_track_requested = pick(3) ? RULES_NO_DAY : first + pick(30);
	f->fast_track_refused = pick(2);
	f->n_followups = (size_t)pick(8);
	f->followups = arena_array(a, 8, sizeof *f->followups);
	for (size_t i = 0; i < f->n_followups; i++)
		f->followups[i] = first + 20 + (day_t)i * 28 + pick(10);
	f->n_categories = 1;
	f->categories = arena_array(a, 1, sizeof *f->categories);
	f->categories[0] = (struct rules_category){first + 40, 1 + pick(3)};
	f->n_decisions = (size_t)pick(2);
	f->decisions = arena_array(a, 1, sizeof *f->decisions);
	f->decisions[0].on = first + 150 + pick(150);
	f->decisions[0].hearing = pick(10) ? f->decisions[0].on - pick(20) : RULES_NO_DAY;
	f->decisions[0].kind = pick(3) ? RULES_DEC_EXTENSION : RULES_DEC_JOB_CLARIFICATION;
	f->decisions[0].ground = f->decisions[0].kind == RULES_DEC_EXTENSION ? 1 + pick(7) : 0;
	f->n_events = (size_t)pick(2);
	f->events = arena_array(a, 1, sizeof *f->events);
	f->events[0] = (struct rules_event_rec){first + 300 + pick(300), (enum rules_event)pick(RULES_EV_N)};
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

int main(void)
{
	struct arena pa, ca, scratch;
	struct rules_profile p;
	char err[RULES_ERR_LEN];
	const struct embed_file *ef = embed_find("rules/dk-2015.conf");
	arena_init(&pa);
	arena_init(&ca);
	arena_init(&scratch);
	if (!ef || rules_profile_parse(ef->data, ef->len, ef->path, &pa, &p, err)) {
		fprintf(stderr, "bench_timeline: profile: %s\n", ef ? err : "not embedded");
		return 1;
	}
	struct rules_facts *cases = arena_array(&ca, N_CASES, sizeof *cases);
	for (size_t i = 0; i < N_CASES; i++)
		gen_case(&ca, &cases[i]);
	double rates[RUNS];
	long checksum = 0;
	for (int r = 0; r < RUNS; r++) {
		struct rules_timeline t;
		double t0 = now();
		for (size_t i = 0; i < N_CASES; i++) {
			rules_compute(&p, &cases[i], &scratch, &t);
			checksum += t.benefit_days + t.status;
			arena_reset(&scratch);
		}
		rates[r] = N_CASES / (now() - t0);
		printf("run %d: %.0f timelines/s\n", r + 1, rates[r]);
	}
	qsort(rates, RUNS, sizeof rates[0], cmp_double);
	printf("checksum %ld\n", checksum);
	printf("timelines_per_second %.0f\n", rates[RUNS / 2]);
	arena_release(&scratch);
	arena_release(&ca);
	arena_release(&pa);
	return 0;
}
