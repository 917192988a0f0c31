/* profile.c: parses a rules profile ("key = value" lines, '#' comments).
 *
 * Strict: every key must appear exactly once (rates: at least one year),
 * unknown keys are refused, so a typo cannot silently fall back to a
 * default. The format is described in docs/timeline.md. */
#include "rules/rules.h"

#include <stddef.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"

#define LIMIT_MAX 100000L

/* Integer keys and where they go. The table holds names, not legal numbers. */
struct int_key {
	const char *name;
	size_t off;
	long min;
};

static const struct int_key int_keys[] = {
	{"limit_days", offsetof(struct rules_profile, limit_days), 1},
	{"window_months", offsetof(struct rules_profile, window_months), 1},
	{"not_counted_days.employee", offsetof(struct rules_profile, not_counted_days[RULES_EMPLOYEE]), 0},
	{"not_counted_days.self_employed",
	 offsetof(struct rules_profile, not_counted_days[RULES_SELF_EMPLOYED]), 0},
	{"not_counted_days.unemployed", offsetof(struct rules_profile, not_counted_days[RULES_UNEMPLOYED]), 0},
	{"first_followup_days", offsetof(struct rules_profile, first_followup_days), 0},
	{"fast_track_days", offsetof(struct rules_profile, fast_track_days), 0},
	{"next_followup_days", offsetof(struct rules_profile, next_followup_days), 1},
	{"category3_rehab_team_days", offsetof(struct rules_profile, category3_rehab_team_days), 0},
	{"broad_assessment_months", offsetof(struct rules_profile, broad_assessment_months), 0},
	{"job_clarification_rehab_team_days",
	 offsetof(struct rules_profile, job_clarification_rehab_team_days), 0},
	{"complaint_weeks", offsetof(struct rules_profile, complaint_weeks), 1},
	{"job_clarification_max_years", offsetof(struct rules_profile, job_clarification_max_years), 1},
};

#define N_INT_KEYS (sizeof int_keys / sizeof int_keys[0])
/* Slots in the "seen" array: int keys, name, grounds. */
#define SLOT_NAME N_INT_KEYS
#define SLOT_GROUND (N_INT_KEYS + 1)
#define N_SLOTS (SLOT_GROUND + RULES_GROUNDS)

struct pstate {
	const char *file;
	int line;
	char *err;
	struct rules_profile *p;
	struct arena *a;
	int seen[N_SLOTS]; /* line of the key, 0 if not yet */
};

static int fail(struct pstate *s, int line, const char *key, const char *what)
{
	str_fmt(s->err, RULES_ERR_LEN, "%s:%d: %s: %s", s->file, line, key, what);
	return ERR_INVALID;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trims [*p, *e) of blanks on both sides. */
static void trim(const char **p, const char **e)
{
	while (*p < *e && is_space(**p))
		(*p)++;
	while (*e > *p && is_space((*e)[-1]))
		(*e)--;
}

static int mark(struct pstate *s, size_t slot, const char *key)
{
	if (s->seen[slot])
		return fail(s, s->line, key, "given twice");
	s->seen[slot] = s->line;
	return 0;
}

static int set_int(struct pstate *s, const struct int_key *k, const char *v)
{
	long n;
	if (str_to_long(v, k->min, LIMIT_MAX, &n) != 0)
		return fail(s, s->line, k->name,
			    k->min > 0 ? "not a positive integer" : "not a non-negative integer");
	int rc = mark(s, (size_t)(k - int_keys), k->name);
	if (rc)
		return rc;
	*(int *)((char *)s->p + k->off) = (int)n;
	return 0;
}

static enum rules_event event_by_name(const char *v)
{
	for (int e = 0; e < RULES_EV_RETURNED_TO_WORK; e++)
		if (strcmp(v, rules_event_name((enum rules_event)e)) == 0)
			return (enum rules_event)e;
	return RULES_EV_NONE;
}

/* "event NAME" | "weeks N from_start" | "weeks N after_reassessment" | "unlimited" */
static int set_ground(struct pstate *s, const char *key, int g, char *v)
{
	struct rules_ground *gr = &s->p->grounds[g - 1];
	char *w1 = strtok_r(v, " \t", &v), *w2 = strtok_r(NULL, " \t", &v);
	char *w3 = strtok_r(NULL, " \t", &v), *w4 = strtok_r(NULL, " \t", &v);
	long n;
	if (w1 && strcmp(w1, "unlimited") == 0 && !w2) {
		gr->kind = RULES_GROUND_UNLIMITED;
	} else if (w1 && strcmp(w1, "event") == 0 && w2 && !w3) {
		gr->kind = RULES_GROUND_EVENT;
		gr->event = event_by_name(w2);
		if (gr->event == RULES_EV_NONE)
			return fail(s, s->line, key, "unknown event");
	} else if (w1 && strcmp(w1, "weeks") == 0 && w2 && w3 && !w4) {
		if (str_to_long(w2, 1, LIMIT_MAX, &n) != 0)
			return fail(s, s->line, key, "weeks: not a positive integer");
		gr->weeks = (int)n;
		if (strcmp(w3, "from_start") == 0)
			gr->kind = RULES_GROUND_FROM_START;
		else if (strcmp(w3, "after_reassessment") == 0)
			gr->kind = RULES_GROUND_AFTER_REASS;
		else
			return fail(s, s->line, key, "expected from_start or after_reassessment");
	} else {
		return fail(s, s->line, key,
			    "expected 'event NAME', 'weeks N from_start|after_reassessment' or 'unlimited'");
	}
	return mark(s, SLOT_GROUND + (size_t)g - 1, key);
}

/* rate.YEAR = WITH_DEPENDANTS WITHOUT_DEPENDANTS */
static int set_rate(struct pstate *s, const char *key, char *v)
{
	struct rules_profile *p = s->p;
	long y, w, wo;
	char *a = strtok_r(v, " \t", &v), *b = strtok_r(NULL, " \t", &v);
	if (str_to_long(key + 5, 1900, 2199, &y) != 0)
		return fail(s, s->line, key, "not a year");
	if (!a || !b || strtok_r(NULL, " \t", &v) || str_to_long(a, 1, 100000000, &w) != 0 ||
	    str_to_long(b, 1, 100000000, &wo) != 0)
		return fail(s, s->line, key, "expected two positive amounts");
	for (int i = 0; i < p->n_rates; i++)
		if (p->rates[i].year == (int)y)
			return fail(s, s->line, key, "given twice");
	if (p->n_rates >= RULES_MAX_RATES)
		return fail(s, s->line, key, "too many rate years");
	p->rates[p->n_rates++] = (struct rules_rate){(int)y, w, wo};
	return 0;
}

static int set_key(struct pstate *s, const char *key, char *v)
{
	for (size_t i = 0; i < N_INT_KEYS; i++)
		if (strcmp(key, int_keys[i].name) == 0)
			return set_int(s, &int_keys[i], v);
	if (strcmp(key, "name") == 0) {
		if (!*v)
			return fail(s, s->line, key, "empty");
		s->p->name = arena_strdup(s->a, v);
		return mark(s, SLOT_NAME, key);
	}
	if (str_starts_with(key, "ground.") && key[7] >= '1' && key[7] <= '7' && !key[8])
		return set_ground(s, key, key[7] - '0', v);
	if (str_starts_with(key, "rate."))
		return set_rate(s, key, v);
	return fail(s, s->line, key, "unknown key");
}

static int parse_line(struct pstate *s, const char *p, const char *e)
{
	const char *hash = memchr(p, '#', (size_t)(e - p));
	if (hash)
		e = hash;
	trim(&p, &e);
	if (p == e)
		return 0;
	const char *eq = memchr(p, '=', (size_t)(e - p));
	const char *kp = p, *ke = eq ? eq : e;
	trim(&kp, &ke);
	char key[64];
	if (ke - kp >= (long)sizeof key)
		return fail(s, s->line, "?", "key too long");
	memcpy(key, kp, (size_t)(ke - kp));
	key[ke - kp] = '\0';
	if (!eq)
		return fail(s, s->line, key[0] ? key : "?", "expected 'key = value'");
	if (!key[0])
		return fail(s, s->line, "?", "empty key");
	const char *vp = eq + 1, *ve = e;
	trim(&vp, &ve);
	char *v = arena_strndup(s->a, vp, (size_t)(ve - vp));
	return set_key(s, key, v);
}

static int check_complete(struct pstate *s)
{
	static const char *const ground_keys[RULES_GROUNDS] = {"ground.1", "ground.2", "ground.3", "ground.4",
							       "ground.5", "ground.6", "ground.7"};
	for (size_t i = 0; i < N_INT_KEYS; i++)
		if (!s->seen[i])
			return fail(s, 0, int_keys[i].name, "missing");
	if (!s->seen[SLOT_NAME])
		return fail(s, 0, "name", "missing");
	for (int g = 0; g < RULES_GROUNDS; g++)
		if (!s->seen[SLOT_GROUND + (size_t)g])
			return fail(s, 0, ground_keys[g], "missing");
	if (s->p->n_rates == 0)
		return fail(s, 0, "rate.YEAR", "missing (at least one year)");
	return 0;
}

int rules_profile_parse(const char *text, size_t len, const char *file, struct arena *a,
			struct rules_profile *out, char err[RULES_ERR_LEN])
{
	struct pstate s = {.file = file ? file : "profile", .err = err, .p = out, .a = a};
	memset(out, 0, sizeof *out);
	err[0] = '\0';
	const char *p = text, *end = text + len;
	if (memchr(text, '\0', len))
		return fail(&s, 0, "?", "NUL byte in profile");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		s.line++;
		int rc = parse_line(&s, p, e);
		if (rc)
			return rc;
		p = nl ? nl + 1 : end;
	}
	return check_complete(&s);
}
