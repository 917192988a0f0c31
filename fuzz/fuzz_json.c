/* fuzz_json.c: JSON request bodies. The bytes go through the parse the web
 * layer does (jansson, duplicates refused) and then through every field
 * validator of domain/case_input.h, with the referral's field names, as the
 * handlers apply them. Invariants: a validator that fails names a field and
 * a message key; one that succeeds gives a value. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/arena.h"
#include "domain/cases/case_input.h"

static void check_fail(int rc, const struct field_err *fe)
{
	if (rc && (!fe->key || !*fe->key))
		abort(); /* every refusal must say why */
}

static void periods(struct in_ctx *x, json_t *in, const char *name)
{
	json_t *arr = NULL;
	if (in_array(x, in, name, "fuzz.err", &arr) || !arr)
		return;
	size_t i;
	json_t *p;
	json_array_foreach(arr, i, p) {
		const char *from = NULL, *to = NULL;
		day_t df, dt;
		struct field_err *fe = x->fe;
		check_fail(in_date(x, p, "from", in_path(x, name, (int)i, "from"), IN_REQUIRED,
				   "fuzz.err", &from, &df),
			   fe);
		check_fail(in_date(x, p, "to", in_path(x, name, (int)i, "to"), IN_NULLABLE,
				   "fuzz.err", &to, &dt),
			   fe);
		bool partial, has;
		check_fail(in_bool(x, p, "partial", in_path(x, name, (int)i, "partial"), "fuzz.err",
				   &partial, &has),
			   fe);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t e;
	json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
	if (!in)
		return 0;
	if (!json_is_object(in)) {
		json_decref(in);
		return 0;
	}
	struct arena a;
	arena_init(&a);
	struct field_err fe = {0};
	struct in_ctx x = {&a, &fe};
	static const char *texts[] = {"name", "cpr", "contact", "reason", "text", "purpose"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		const char *s = NULL;
		int rc = in_text(&x, in, texts[i], texts[i], IN_OPTIONAL, 2000, "fuzz.err", &s);
		check_fail(rc, &fe);
	}
	const char *d = NULL;
	day_t day;
	check_fail(in_date(&x, in, "first_absence_day", "first_absence_day", IN_REQUIRED, "fuzz.err",
			   &d, &day),
		   &fe);
	int64_t id;
	check_fail(in_id(&x, in, "team", "team", IN_OPTIONAL, "fuzz.err", &id), &fe);
	check_fail(in_id(&x, in, "care_manager", "care_manager", IN_OPTIONAL, "fuzz.err", &id), &fe);
	double r;
	bool present;
	check_fail(in_real(&x, in, "fraction", "fraction", "fuzz.err", &r, &present), &fe);
	periods(&x, in, "absences");
	periods(&x, in, "earlier_benefit");
	arena_release(&a);
	json_decref(in);
	return 0;
}
