/* demo_rand.c: the demo data's dice, names, CPR numbers and passwords, a
 * small statement helper, and the account writer that demo.c (staff) and
 * demo_case.c (service users) share. */
#include <stdarg.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/data/demo_int.h"
#include "rules/rules.h"
#include "store/store.h"

void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
	r->s = seed ^ 0x9E3779B97F4A7C15ull;
}

/* splitmix64: small, fast and good enough for invented data. */
uint64_t demo_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

long demo_range(struct demo_rng *r, long lo, long hi)
{
	if (hi <= lo)
		return lo;
	return lo + (long)(demo_next(r) % (uint64_t)(hi - lo + 1));
}

bool demo_chance(struct demo_rng *r, int pct)
{
	return (int)(demo_next(r) % 100) < pct;
}

const char *demo_pick(struct demo_rng *r, const char *const *list, size_t n)
{
	return list[demo_next(r) % n];
}

static const char *const first_names[] = {
	"Anne",	 "Mette", "Hanne", "Susanne", "Lene",	"Camilla", "Louise", "Maria",  "Sofie",
	"Ida",	 "Julie", "Signe", "Birgitte", "Tina",	"Karina",  "Pia",    "Nanna",  "Line",
	"Peter", "Jens",  "Lars",  "Henrik", "Søren",	"Thomas",  "Morten", "Jesper", "Martin",
	"Anders", "Rasmus", "Mads", "Niels",	"Michael", "Kasper",  "Jakob", "Frederik", "Emil",
	"Ahmed", "Fatima", "Ali",  "Leyla",  "Kristian", "Bente",  "Dorte", "Ole",    "Poul",
};
static const char *const last_names[] = {
	"Nielsen", "Jensen",   "Hansen",    "Pedersen", "Andersen", "Christensen", "Larsen",
	"Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen",  "Kristensen",  "Olsen",
	"Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller",  "Mortensen",   "Holm",
	"Lund",	   "Dam",      "Bach",      "Krogh",    "Vestergaard", "Kjær",     "Yilmaz",
};

void demo_name(struct demo_rng *r, char *out, size_t outsz, char **first_out)
{
	const char *f = DEMO_PICK(r, first_names);
	(void)str_fmt(out, outsz, "%s %s", f, DEMO_PICK(r, last_names));
	if (first_out)
		*first_out = out;
}

void demo_cpr(struct demo_rng *r, char out[11])
{
	static const int w[10] = {4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
	int y = (int)demo_range(r, 1960, 1999);
	int m = (int)demo_range(r, 1, 12);
	int d = (int)demo_range(r, 1, date_days_in_month(y, m));
	/* 7th digit 0-3: born in the 1900s. */
	int serial = (int)demo_range(r, 0, 3) * 1000 + (int)demo_range(r, 0, 999);
	(void)str_fmt(out, 11, "%02d%02d%02d%04d", d, m, y % 100, serial);
	int sum = 0;
	for (int i = 0; i < 10; i++)
		sum += (out[i] - '0') * w[i];
	/* Before 2007 every issued number passed modulus 11; make it fail. */
	if (sum % 11 == 0)
		out[9] = out[9] == '9' ? '8' : (char)(out[9] + 1);
}

void demo_password(struct demo_rng *r, char out[14])
{
	memcpy(out, "demo-", 5);
	for (int i = 0; i < 8; i++)
		out[5 + i] = (char)('a' + demo_next(r) % 26);
	out[13] = '\0';
}

static int bind_one(struct store_stmt *st, int idx, char type, va_list *ap)
{
	switch (type) {
	case 'i':
		return store_bind_int64(st, idx, va_arg(*ap, int64_t));
	case 'I': {
		int64_t v = va_arg(*ap, int64_t);
		return v ? store_bind_int64(st, idx, v) : store_bind_null(st, idx);
	}
	case 's':
		return store_bind_str(st, idx, va_arg(*ap, const char *));
	case 'd': {
		day_t d = va_arg(*ap, day_t);
		char s[DATE_STR_LEN];
		if (d == RULES_NO_DAY)
			return store_bind_null(st, idx);
		date_format(d, s);
		return store_bind_str(st, idx, s);
	}
	case 'b': {
		const void *p = va_arg(*ap, const void *);
		size_t n = va_arg(*ap, size_t);
		return p ? store_bind_blob(st, idx, p, n) : store_bind_null(st, idx);
	}
	default:
		return ERR_INTERNAL;
	}
}

int demo_exec(struct store_conn *c, const char *sql, int64_t *id, const char *types, ...)
{
	struct store_stmt *st;
	va_list ap;
	int rc = store_prepare(c, sql, &st);
	va_start(ap, types);
	for (int i = 0; rc == 0 && types[i]; i++)
		rc = bind_one(st, i + 1, types[i], &ap);
	va_end(ap);
	if (rc)
		return rc;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		if (id)
			*id = store_col_int64(st, 0);
		store_reset(st);
		return 0;
	}
	return rc < 0 ? rc : (id ? ERR_DB : 0);
}

static const char SQL_USER_ADD[] =
	"INSERT INTO users (username, name, password_hash, role, organisation_id, created_at, "
	"email) VALUES ($1, $2, $3, $4, $5, $6, lower($1) || '@example.org') RETURNING id";

int demo_user_add(struct demo_ctx *d, const char *username, const char *name, const char *role,
		  int64_t org_id, const char *org_name, const char *team, const char *password,
		  struct demo_user *out)
{
	char hash[ACCOUNT_HASH_LEN];
	const char *h = d->bulk_hash;
	memset(out, 0, sizeof *out);
	if (password) {
		int rc = account_password_hash(password, strlen(password), ACCOUNT_HASH_MIN, hash);
		if (rc)
			return rc;
		h = hash;
	}
	int rc = demo_exec(d->c, SQL_USER_ADD, &out->id, "ssssIi", username, name, h, role,
			   org_id, d->o->now);
	if (rc || !password)
		return rc;
	json_t *cases = json_array();
	json_array_append_new(d->accounts,
			      json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:o}", "username", username,
					"password", password, "name", name, "role", role,
					"organisation", org_name, "team", team, "cases", cases));
	out->cases = cases;
	d->st->logins++;
	return 0;
}
