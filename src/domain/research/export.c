/* export.c: the pseudonymised export: CSV files, the dictionary, the zip. */
#include "domain/research/export.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "domain/cases/case_facts.h"
#include "domain/cases/case_timeline.h"
#include "domain/research/export_int.h"
#include "domain/research/study.h"
#include "rules/rules.h"
#include "store/store.h"

#define EXPORT_FILE_MAX ((size_t)2 << 30)
#define TIMELINE_BATCH 2000

/* Keyed BLAKE2b of "kind:id" with the study's key. */
static void keyed(const unsigned char *key, char kind, int64_t id, unsigned char *out,
		  size_t outlen)
{
	char msg[32];
	str_fmt(msg, sizeof msg, "%c:%lld", kind, (long long)id);
	crypto_generichash(out, outlen, (const unsigned char *)msg, strlen(msg), key,
			   STUDY_KEY_BYTES);
}

void research_pseudonym(const unsigned char *key, char kind, int64_t id, char out[17])
{
	unsigned char h[8];
	keyed(key, kind, id, h, sizeof h);
	sodium_bin2hex(out, 17, h, sizeof h);
}

int research_shift_days(const unsigned char *key, int64_t person_id)
{
	unsigned char h[16];
	keyed(key, 's', person_id, h, sizeof h);
	uint32_t v = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 |
		     (uint32_t)h[3] << 24;
	int d = (int)(v % 364) - 182; /* -182 .. 181 */
	return d >= 0 ? d + 1 : d;    /* never 0 */
}

const char *export_type_name(enum xform x, int month)
{
	switch (x) {
	case X_PSEUDO: return "pseudonym";
	case X_DATE:
	case X_INSTANT: return month ? "month" : "date";
	case X_CODE: return "code";
	case X_INT: return "integer";
	case X_DECIMAL: return "decimal";
	default: return "boolean";
	}
}

/* RFC 4180: quoted only when needed, quotes doubled. */
static void csv_field(struct buf *b, const char *s, size_t n)
{
	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\r', n) &&
	    !memchr(s, '\n', n)) {
		buf_append(b, s, n);
		return;
	}
	buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

static void csv_header(struct buf *b, const struct xtable *t)
{
	for (size_t i = 0; i < t->ncols; i++) {
		if (i)
			buf_putc(b, ',');
		csv_field(b, t->cols[i].name, strlen(t->cols[i].name));
	}
	buf_append(b, "\r\n", 2);
}

/* Each person's and case's keyed hashes, computed once: a direct-mapped
 * table by id (rows come grouped by case, and professionals recur), so
 * BLAKE2b runs about once per id rather than once per value. */
#define MEMO_SLOTS 16384
struct memo {
	int64_t id[MEMO_SLOTS]; /* 0: empty (ids start at 1) */
	char hex[MEMO_SLOTS][16];
	int shift[MEMO_SLOTS];
};

struct xstate {
	const struct study *s;
	int shift;	    /* the row's person's offset */
	struct memo *memo; /* arena: people ('p', with shifts) and cases ('c') */
};

static size_t memo_slot(const struct memo *m, int64_t id)
{
	(void)m; /* Fibonacci hashing of the id */
	return (size_t)((uint64_t)id * 0x9E3779B97F4A7C15u >> 50) % MEMO_SLOTS;
}

/* The memo of kind 'p' or 'c' (the two that recur), else NULL. */
static struct memo *memo_of(const struct xstate *x, char kind)
{
	return kind == 'p' ? &x->memo[0] : kind == 'c' ? &x->memo[1] : NULL;
}

static void pseudonym(const struct xstate *x, char kind, int64_t id, char out[16])
{
	struct memo *m = memo_of(x, kind);
	size_t k = m ? memo_slot(m, id) : 0;
	if (m && m->id[k] == id) {
		memcpy(out, m->hex[k], 16);
		return;
	}
	char p[17];
	research_pseudonym(x->s->key, kind, id, p);
	memcpy(out, p, 16);
	if (m && id) {
		m->id[k] = id;
		memcpy(m->hex[k], p, 16);
		m->shift[k] = kind == 'p' ? research_shift_days(x->s->key, id) : 0;
	}
}

/* A person's date offset, through the memo. */
static int person_shift(const struct xstate *x, int64_t person)
{
	struct memo *m = &x->memo[0];
	size_t k = memo_slot(m, person);
	char p[16];
	if (m->id[k] != person)
		pseudonym(x, 'p', person, p); /* memoises both */
	return m->id[k] == person ? m->shift[k] : research_shift_days(x->s->key, person);
}

static void put_day(struct buf *b, const struct xstate *x, day_t d)
{
	char out[DATE_STR_LEN];
	date_format(d + (x->s->month ? 0 : x->shift), out);
	buf_append(b, out, x->s->month ? 7 : 10);
}

/* One value of a row into the CSV; empty for NULL. */
static int put_value(struct buf *b, const struct xstate *x, const struct xcol *col,
		     struct store_stmt *st, int i)
{
	if (store_col_is_null(st, i))
		return 0;
	size_t n;
	const char *t;
	char p[17];
	day_t d;
	switch (col->x) {
	case X_PSEUDO:
		pseudonym(x, col->kind, store_col_int64(st, i), p);
		buf_append(b, p, 16);
		return 0;
	case X_DATE:
		t = store_col_text(st, i, &n);
		if (n == 0)
			return 0;
		if (date_parse(t, &d))
			return ERR_DB;
		put_day(b, x, d);
		return 0;
	case X_INSTANT:
		put_day(b, x, clock_dk_day(store_col_int64(st, i)));
		return 0;
	case X_INT:
	case X_BOOL:
		buf_printf(b, "%lld", (long long)store_col_int64(st, i));
		return 0;
	default: /* codes and decimals: as stored */
		t = store_col_text(st, i, &n);
		csv_field(b, t, n);
		return 0;
	}
}

/* A case of the study and its person, in case id order. */
struct scase {
	int64_t id, person;
};

struct run {
	struct store_conn *c;
	struct arena *a;
	const struct study *s;
	day_t today;
	export_progress_fn progress;
	void *ud;
	struct scase *cases; /* arena */
	size_t ncases, capcases;
	int64_t rows;
	struct memo *memo; /* arena: two (people, cases) */
};

/* The study's case with this id (cases are in id order), or NULL. */
static const struct scase *study_case(const struct run *r, int64_t id)
{
	size_t lo = 0, hi = r->ncases;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->cases[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->ncases && r->cases[lo].id == id ? &r->cases[lo] : NULL;
}

static int bind_study(struct run *r, struct store_stmt *st)
{
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	date_format(r->s->from, from);
	date_format(r->s->to, to);
	int rc = store_bind_int64(st, 1, r->s->id);
	if (!rc)
		rc = store_bind_str(st, 2, from);
	if (!rc)
		rc = store_bind_str(st, 3, to);
	return rc;
}

/* The counts query's numbers for key (0s when it has none): it is stepped
 * forward in step with the table, both in key order. */
struct merge {
	struct store_stmt *st;
	int rc;	     /* STORE_ROW while it has a row */
	size_t n;    /* numbers per key */
};

static void merge_put(struct buf *b, struct merge *m, int64_t key)
{
	while (m->rc == STORE_ROW && store_col_int64(m->st, 0) < key)
		m->rc = store_step(m->st);
	bool hit = m->rc == STORE_ROW && store_col_int64(m->st, 0) == key;
	for (size_t i = 0; i < m->n; i++)
		buf_printf(b, ",%lld", hit ? (long long)store_col_int64(m->st, (int)i + 1) : 0LL);
}

static int write_table(struct run *r, const struct xtable *t, struct buf *b)
{
	struct store_stmt *st;
	struct merge m = {NULL, STORE_DONE, t->ncounts};
	int rc = store_prepare(r->c, t->sql, &st);
	if (!rc && !t->by_case)
		rc = bind_study(r, st);
	if (!rc && t->counts && !(rc = store_prepare(r->c, t->counts, &m.st)))
		m.rc = store_step(m.st);
	if (rc || m.rc < 0)
		return rc ? rc : m.rc;
	bool cases = t == &export_tables[0];
	int64_t n = 0;
	struct xstate x = {r->s, 0, r->memo};
	size_t own = t->ncols - t->ncounts;
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t person = store_col_int64(st, 0);
		if (t->by_case) {
			const struct scase *sc = study_case(r, person);
			if (!sc)
				continue;
			person = sc->person;
		}
		x.shift = person_shift(&x, person);
		int bad = 0;
		for (size_t i = 0; i < own && !bad; i++) {
			if (i)
				buf_putc(b, ',');
			bad = put_value(b, &x, &t->cols[i], st, (int)i + 1);
		}
		if (m.st)
			merge_put(b, &m, store_col_int64(st, 1));
		buf_append(b, "\r\n", 2);
		if (cases) {
			ARENA_RESERVE(r->a, r->cases, r->ncases, r->capcases);
			r->cases[r->ncases++] = (struct scase){store_col_int64(st, 1), person};
		}
		if (bad || b->err || m.rc < 0) {
			store_reset(st);
			if (m.st)
				store_reset(m.st);
			return bad ? bad : b->err ? b->err : m.rc;
		}
		if (++n % 50000 == 0 && r->progress)
			r->progress(r->ud, t->file, n);
	}
	if (m.st)
		store_reset(m.st);
	r->rows += n;
	if (r->progress)
		r->progress(r->ud, t->file, n);
	return rc < 0 ? rc : 0;
}

static void timeline_row(struct buf *b, const struct xstate *x, const char *case_p,
			 const char *event, day_t on, day_t met, int overdue)
{
	if (on == RULES_NO_DAY)
		return;
	buf_append(b, case_p, 16);
	buf_putc(b, ',');
	buf_puts(b, event);
	buf_putc(b, ',');
	put_day(b, x, on);
	buf_putc(b, ',');
	if (met != RULES_NO_DAY)
		put_day(b, x, met);
	buf_putc(b, ',');
	if (overdue >= 0)
		buf_putc(b, overdue ? '1' : '0');
	buf_append(b, "\r\n", 2);
}

static int64_t timeline_case(struct buf *b, struct run *r, const struct scase *sc,
			     const struct rules_timeline *t)
{
	struct xstate x = {r->s, 0, r->memo};
	x.shift = person_shift(&x, sc->person);
	char cp[16];
	pseudonym(&x, 'c', sc->id, cp);
	size_t before = b->len;
	for (int i = 0; i < t->n_deadlines; i++)
		timeline_row(b, &x, cp, rules_deadline_name(t->deadlines[i].kind),
			     t->deadlines[i].due, t->deadlines[i].met_on, t->deadlines[i].overdue);
	timeline_row(b, &x, cp, "reassessment", t->reassessment_date, RULES_NO_DAY, -1);
	timeline_row(b, &x, cp, "benefit_limit", t->limit_day, RULES_NO_DAY, -1);
	timeline_row(b, &x, cp, "benefit_ends", t->benefit_ends, RULES_NO_DAY, -1);
	int64_t n = 0;
	for (size_t i = before; i < b->len; i++)
		n += b->data[i] == '\n';
	return n;
}

/* The engine over the study's cases, in batches read in id order. */
static int write_timeline(struct run *r, struct buf *b)
{
	size_t k = 0;
	int64_t n = 0;
	int rc = 0;
	while (k < r->ncases && !rc) {
		struct arena scratch;
		arena_init(&scratch);
		struct case_facts *cf;
		size_t got = 0;
		rc = case_facts_load_batch(r->c, r->cases[k].id - 1, TIMELINE_BATCH, false,
					   r->today, &scratch, &cf, &got);
		if (!rc && got == 0)
			k = r->ncases; /* the rest are gone (none expected) */
		/* Each batch starts at cases[k], so k advances every time. */
		for (size_t i = 0; !rc && i < got && k < r->ncases; i++) {
			while (k < r->ncases && r->cases[k].id < cf[i].case_id)
				k++;
			if (k == r->ncases || r->cases[k].id != cf[i].case_id)
				continue;
			struct rules_timeline t;
			if (case_timeline_compute(&cf[i].f, &scratch, &t) == 0)
				n += timeline_case(b, r, &r->cases[k], &t);
			k++;
		}
		arena_release(&scratch);
		if (!rc && b->err)
			rc = b->err;
		if (r->progress)
			r->progress(r->ud, "timeline_events.csv", n);
	}
	r->rows += n;
	return rc;
}

/* The types' meanings: English and Danish. */
static const struct {
	const char *type, *en, *da;
} type_text[] = {
	{"pseudonym",
	 "16 hexadecimal characters: keyed BLAKE2b of the id with the study's own key; the same "
	 "person, case or meeting has the same pseudonym in every file of this study and a "
	 "different one in any other study",
	 "16 hexadecimale tegn: nøglet BLAKE2b af id'et med studiets egen nøgle; den samme "
	 "person, sag eller det samme møde har samme pseudonym i alle filer i dette studie og et "
	 "andet i alle andre studier"},
	{"date",
	 "YYYY-MM-DD, moved by a secret number of days (1 to 182, earlier or later) that is the "
	 "same for every date of one person, so intervals are kept",
	 "ÅÅÅÅ-MM-DD, flyttet et hemmeligt antal dage (1 til 182, tidligere eller senere), som "
	 "er det samme for alle én persons datoer, så intervallerne bevares"},
	{"month", "YYYY-MM: the month of the date", "ÅÅÅÅ-MM: datoens måned"},
	{"code", "one value from the list given in the meaning",
	 "én værdi fra listen i beskrivelsen"},
	{"integer", "a whole number", "et helt tal"},
	{"decimal", "a number with a decimal point", "et tal med decimalpunktum"},
	{"boolean", "1 (yes) or 0 (no)", "1 (ja) eller 0 (nej)"},
};

json_t *research_dictionary_json(const struct study *s)
{
	json_t *files = json_array();
	for (size_t i = 0; i < export_ntables; i++) {
		const struct xtable *t = &export_tables[i];
		json_t *cols = json_array();
		for (size_t k = 0; k < t->ncols; k++)
			json_array_append_new(
				cols, json_pack("{s:s, s:s, s:s, s:s}", "name", t->cols[k].name, "type",
						export_type_name(t->cols[k].x, s->month), "meaning",
						t->cols[k].meaning, "meaning_da", t->cols[k].meaning_da));
		json_array_append_new(files, json_pack("{s:s, s:s, s:s, s:o}", "name", t->file,
						       "meaning", t->meaning, "meaning_da",
						       t->meaning_da, "columns", cols));
	}
	json_t *types = json_object(), *types_da = json_object();
	for (size_t i = 0; i < sizeof type_text / sizeof type_text[0]; i++) {
		json_object_set_new(types, type_text[i].type, json_string(type_text[i].en));
		json_object_set_new(types_da, type_text[i].type, json_string(type_text[i].da));
	}
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	date_format(s->from, from);
	date_format(s->to, to);
	return json_pack("{s:{s:I, s:s, s:s, s:s}, s:s, s:o, s:o, s:o}", "study", "id",
			 (json_int_t)s->id, "name", s->name, "from", from, "to", to, "dates",
			 s->month ? "month" : "shift", "types", types, "types_da", types_da, "files",
			 files);
}

/* dictionary.md (English) or dictionary.da.md (Danish) from the JSON. */
static char *dictionary_md(const struct study *s, json_t *d, bool da, size_t *len)
{
	const char *mk = da ? "meaning_da" : "meaning";
	struct buf b;
	buf_init(&b, BUF_MAX_DEFAULT);
	if (da)
		buf_printf(&b, "# Datadokumentation: %s\n\nDatoer: %s. Hver fil er CSV (RFC 4180, "
			       "UTF-8, CRLF som linjeskift) med en overskriftsrække; et tomt felt er en "
			       "manglende værdi.\n\n## Typer\n\n| type | betydning |\n|---|---|\n",
			   s->name, s->month ? "grovere, kun måneden" : "forskudt pr. person");
	else
		buf_printf(&b, "# Data dictionary: %s\n\nDates: %s. Every file is CSV (RFC 4180, "
			       "UTF-8, CRLF line ends) with a header row; an empty field is a missing "
			       "value.\n\n## Types\n\n| type | meaning |\n|---|---|\n",
			   s->name, s->month ? "coarsened to the month" : "shifted per person");
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(d, da ? "types_da" : "types"), k, v)
		buf_printf(&b, "| %s | %s |\n", k, json_string_value(v));
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(d, "files"), i, f)
	{
		buf_printf(&b, "\n## %s\n\n%s.\n\n| %s |\n|---|---|---|\n",
			   json_string_value(json_object_get(f, "name")),
			   json_string_value(json_object_get(f, mk)),
			   da ? "kolonne | type | betydning" : "column | type | meaning");
		size_t c;
		json_t *col;
		json_array_foreach(json_object_get(f, "columns"), c, col)
			buf_printf(&b, "| %s | %s | %s |\n",
				   json_string_value(json_object_get(col, "name")),
				   json_string_value(json_object_get(col, "type")),
				   json_string_value(json_object_get(col, mk)));
	}
	return buf_detach(&b, len);
}

/* Hands data (heap) to the archive, which frees it. */
static int archive_add(zip_t *z, const char *name, char *data, size_t len)
{
	zip_source_t *src = zip_source_buffer(z, data, len, 1);
	if (!src) {
		free(data);
		return ERR_INTERNAL;
	}
	zip_int64_t idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
	if (idx < 0) {
		zip_source_free(src);
		return ERR_INTERNAL;
	}
	zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1);
	return 0;
}

/* The finished archive's bytes out of its memory source. */
int research_zip_take(zip_source_t *src, char **out, size_t *len)
{
	if (zip_source_open(src) < 0)
		return ERR_INTERNAL;
	zip_source_seek(src, 0, SEEK_END);
	zip_int64_t n = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	char *p = n > 0 ? malloc((size_t)n) : NULL;
	if (!p || zip_source_read(src, p, (zip_uint64_t)n) != n) {
		free(p);
		zip_source_close(src);
		return ERR_INTERNAL;
	}
	zip_source_close(src);
	*out = p;
	*len = (size_t)n;
	return 0;
}

static int write_all(struct run *r, zip_t *z)
{
	int rc = 0;
	for (size_t i = 0; i < export_ntables && !rc; i++) {
		const struct xtable *t = &export_tables[i];
		struct buf b;
		buf_init(&b, EXPORT_FILE_MAX);
		csv_header(&b, t);
		rc = t->sql ? write_table(r, t, &b) : write_timeline(r, &b);
		size_t len;
		char *data = buf_detach(&b, &len);
		if (rc)
			free(data);
		else
			rc = archive_add(z, t->file, data, len);
	}
	if (rc)
		return rc;
	json_t *d = research_dictionary_json(r->s);
	size_t len;
	char *md = dictionary_md(r->s, d, false, &len);
	rc = archive_add(z, "dictionary.md", md, len);
	if (!rc) {
		md = dictionary_md(r->s, d, true, &len);
		rc = archive_add(z, "dictionary.da.md", md, len);
	}
	char *js = json_dumps(d, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(d);
	if (!rc)
		rc = archive_add(z, "dictionary.json", js, strlen(js));
	else
		free(js);
	return rc;
}

int research_export_zip(struct store_conn *c, struct arena *a, const struct study *s, day_t today,
			export_progress_fn progress, void *ud, char **zip, size_t *len,
			struct export_stats *stats)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (!z) {
		log_error("export: zip: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		if (src)
			zip_source_free(src);
		return ERR_INTERNAL;
	}
	zip_error_fini(&ze);
	zip_source_keep(src);
	struct run r = {.c = c, .a = a, .s = s, .today = today, .progress = progress, .ud = ud};
	r.memo = arena_array(a, 2, sizeof *r.memo);
	int rc = store_begin_read(c);
	if (!rc) {
		rc = write_all(&r, z);
		store_commit(c);
	}
	if (rc) {
		zip_discard(z);
		zip_source_free(src);
		return rc;
	}
	if (zip_close(z) < 0) {
		log_error("export: zip: %s", zip_strerror(z));
		zip_discard(z);
		zip_source_free(src);
		return ERR_INTERNAL;
	}
	rc = research_zip_take(src, zip, len);
	zip_source_free(src);
	if (stats)
		*stats = (struct export_stats){(int64_t)r.ncases, r.rows};
	return rc;
}
