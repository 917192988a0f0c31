/* fuzz_timeline.c: case-facts JSON -> parse -> engine -> output, with the
 * embedded dk-2015 profile. Any crash, leak or sanitizer report is a bug;
 * refused input is fine. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/embed.h"
#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct rules_profile p;
	struct rules_facts f;
	struct rules_timeline t;
	struct buf out;
	char err[RULES_ERR_LEN];
	const struct embed_file *ef = embed_find("rules/dk-2015.conf");
	if (!ef)
		abort();
	arena_init(&a);
	if (rules_profile_parse(ef->data, ef->len, ef->path, &a, &p, err) != 0)
		abort();
	if (rules_facts_parse((const char *)data, size, &a, &f, err) == 0) {
		if (rules_compute(&p, &f, &a, &t) != 0)
			abort(); /* parsed facts must always compute */
		buf_init(&out, 1 << 20);
		if (rules_timeline_json(&t, &out) != 0 || out.len == 0 || out.data[0] != '{')
			abort();
		buf_release(&out);
	} else if (!err[0] || strchr(err, '\n')) {
		abort(); /* a refusal is always one non-empty line */
	}
	arena_release(&a);
	return 0;
}
