/* fuzz_form.c: form_parse on arbitrary bytes (src/http/form.h).
 *
 * On success every decoded name and value must be valid UTF-8 without NUL
 * (form.h promises to fail otherwise), no longer than the input, at most
 * FORM_MAX_FIELDS fields, and form_get must find the first field's name and
 * return the first field's value. On failure the reported offset must lie
 * inside the input. Any violation aborts, which libFuzzer and replay report. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "http/form.h"

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_form: invariant broken: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a);
	struct form f;
	memset(&f, 0, sizeof f);
	size_t bad_at = (size_t)-1;
	int rc = form_parse(&a, (const char *)data, size, &f, &bad_at);
	if (rc != 0) {
		check(rc == ERR_INVALID, "error code is ERR_INVALID");
		check(bad_at < size, "bad_at inside the input");
		arena_release(&a);
		return 0;
	}
	check(f.n <= FORM_MAX_FIELDS, "at most FORM_MAX_FIELDS fields");
	check(f.n == 0 || f.fields != NULL, "fields present");
	for (size_t i = 0; i < f.n; i++) {
		const char *name = f.fields[i].name, *value = f.fields[i].value;
		check(name && value, "name and value non-NULL");
		size_t nl = strlen(name), vl = strlen(value);
		check(nl + vl <= size, "decoded no longer than the input");
		check(str_valid_utf8(name, nl), "name valid UTF-8");
		check(str_valid_utf8(value, vl), "value valid UTF-8");
	}
	if (f.n > 0) {
		check(form_get(&f, f.fields[0].name) == f.fields[0].value,
		      "form_get finds the first field");
	}
	/* Decoding is deterministic: a second parse gives the same fields. */
	struct form g;
	size_t bad2 = 0;
	check(form_parse(&a, (const char *)data, size, &g, &bad2) == 0, "second parse succeeds");
	check(g.n == f.n, "same field count");
	for (size_t i = 0; i < f.n; i++) {
		check(strcmp(g.fields[i].name, f.fields[i].name) == 0, "same names");
		check(strcmp(g.fields[i].value, f.fields[i].value) == 0, "same values");
	}
	arena_release(&a);
	return 0;
}
