/* refi_import.c: reading a REFI-QDA project (.qdpx) into a study (DESIGN.md
 * section 9). The zip is opened with libzip, project.qde is parsed with
 * libxml2 and validated against the QDA-XML 1.0 project schema (compiled
 * into the binary from schemas/refi-qda/), then its codes (with their
 * hierarchy), text sources and codings are written in one transaction:
 * any error leaves the study as it was. GUIDs are kept, so a project that
 * goes out and comes back in is the same project. */
#include "domain/research/refi.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "domain/research/qual.h"
#include "domain/research/qual_doc.h"
#include "store/store.h"

#define SCHEMA_PATH "schemas/refi-qda/Project-mrt2019.xsd"
#define QDE_MAX ((size_t)32 << 20) /* project.qde, bytes */

static pthread_once_t schema_once = PTHREAD_ONCE_INIT;
static xmlSchemaPtr schema; /* compiled once, shared read-only by validations */

static void schema_load(void)
{
	xmlInitParser();
	const struct embed_file *f = embed_find(SCHEMA_PATH);
	xmlSchemaParserCtxtPtr p = f ? xmlSchemaNewMemParserCtxt(f->data, (int)f->len) : NULL;
	if (p) {
		schema = xmlSchemaParse(p);
		xmlSchemaFreeParserCtxt(p);
	}
	if (!schema)
		log_error("refi: the QDA-XML schema %s could not be compiled", SCHEMA_PATH);
}

struct imp {
	struct store_conn *c;
	struct arena *a;
	zip_t *z;
	int64_t study, now;
	const struct actor *by;
	const struct refi_import_opts *o;
	struct refi_import_result *res;
	const char *detail; /* arena: what is wrong, naming the element */
	struct field_err fe;
	struct {
		const char *guid;
		int64_t id;
	} *codes; /* arena: the project's codes and their ids here */
	size_t ncodes, capcodes;
};

static int fail(struct imp *im, xmlNodePtr n, const char *what)
{
	im->detail = n ? arena_printf(im->a, "project.qde line %ld, %s: %s", (long)xmlGetLineNo(n),
				      (const char *)n->name, what)
		       : arena_strdup(im->a, what);
	return ERR_INVALID;
}

/* An attribute or an element's text copied into the arena; NULL if absent. */
static const char *prop(struct imp *im, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	const char *out = v ? arena_strdup(im->a, (const char *)v) : NULL;
	xmlFree(v);
	return out;
}

static const char *content(struct imp *im, xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	const char *out = arena_strdup(im->a, v ? (const char *)v : "");
	xmlFree(v);
	return out;
}

static bool is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && str_eq((const char *)n->name, name);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next)
		if (is(k, name))
			return k;
	return NULL;
}

/* A GUID as IBBIS stores it: lower case, without braces (the schema
 * allows both forms). */
static const char *guid_of(struct imp *im, xmlNodePtr n, const char *attr)
{
	const char *g = prop(im, n, attr);
	if (!g)
		return NULL;
	if (*g == '{')
		g++;
	char *out = arena_strdup(im->a, g);
	size_t len = strlen(out);
	if (len && out[len - 1] == '}')
		out[len - 1] = '\0';
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

/* Which study holds guid in table ('c' codes, 'd' documents, 's'
 * segments): 0 when none; *id its row. */
static int guid_owner(struct imp *im, char table, const char *guid, int64_t *id, int64_t *study)
{
	const char *sql = table == 'c' ? "SELECT id, study_id FROM qual_codes WHERE guid = $1"
			  : table == 'd'
				  ? "SELECT id, study_id FROM qual_documents WHERE guid = $1"
				  : "SELECT s.id, d.study_id FROM qual_segments s JOIN qual_documents d "
				    "ON d.id = s.document_id WHERE s.guid = $1";
	struct store_stmt *st;
	int rc = store_prepare(im->c, sql, &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, guid);
	*id = *study = 0;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*id = store_col_int64(st, 0);
		*study = store_col_int64(st, 1);
		store_reset(st);
	}
	return rc < 0 ? rc : 0;
}

/* The GUID a new row gets: the project's own, unless another study already
 * holds it (GUIDs are unique here), then a new one. */
static const char *new_guid(struct imp *im, const char *guid, int64_t owner)
{
	if (!owner)
		return guid;
	char *g = arena_alloc(im->a, QUAL_GUID_LEN);
	qual_guid(g);
	return g;
}

static int audit_new(struct imp *im, const char *kind, int64_t id)
{
	return qual_audit(im->c, im->by, im->now, "research",
			  arena_printf(im->a, "%s:%lld", kind, (long long)id), "create");
}

static int import_code(struct imp *im, xmlNodePtr n, int64_t parent, int depth)
{
	if (depth > 32)
		return fail(im, n, "codes are nested more than 32 deep");
	const char *guid = guid_of(im, n, "guid"), *name = prop(im, n, "name");
	xmlNodePtr d = child(n, "Description");
	const char *desc = d ? content(im, d) : "";
	if (strlen(name) > 200)
		return fail(im, n, arena_printf(im->a, "the name of code %s is longer than 200 bytes",
						guid));
	if (strlen(desc) > 4000)
		return fail(im, n, arena_printf(im->a,
						"the Description of code %s is longer than 4000 bytes",
						guid));
	int64_t id, owner;
	int rc = guid_owner(im, 'c', guid, &id, &owner);
	if (rc)
		return rc;
	if (owner == im->study) {
		im->res->codes_kept++;
	} else {
		rc = qual_code_insert(im->c, im->study, parent, name, NULL, desc,
				      new_guid(im, guid, owner), im->now, &id);
		if (!rc)
			rc = audit_new(im, "code", id);
		if (rc)
			return rc;
		im->res->codes++;
	}
	ARENA_RESERVE(im->a, im->codes, im->ncodes, im->capcodes);
	im->codes[im->ncodes].guid = guid;
	im->codes[im->ncodes++].id = id;
	for (xmlNodePtr k = n->children; k && !rc; k = k->next)
		if (is(k, "Code"))
			rc = import_code(im, k, id, depth + 1);
	return rc;
}

/* The code a CodeRef names: one of the project's, or one the study has. */
static int code_ref(struct imp *im, xmlNodePtr coding, int64_t *code, const char **guid)
{
	xmlNodePtr ref = child(coding, "CodeRef");
	*guid = ref ? guid_of(im, ref, "targetGUID") : NULL;
	for (size_t i = 0; *guid && i < im->ncodes; i++)
		if (str_eq(im->codes[i].guid, *guid)) {
			*code = im->codes[i].id;
			return 0;
		}
	int64_t owner = 0;
	int rc = *guid ? guid_owner(im, 'c', *guid, code, &owner) : 0;
	if (!rc && owner != im->study)
		rc = fail(im, ref ? ref : coding,
			  arena_printf(im->a, "targetGUID %s names no code of the project",
				       *guid ? *guid : ""));
	return rc;
}

/* Whether the document already has this exact coding. */
static int coding_exists(struct imp *im, int64_t doc, long start, long end, int64_t code,
			 bool *yes)
{
	struct store_stmt *st;
	int rc = store_prepare(im->c,
			       "SELECT 1 FROM qual_segments WHERE document_id = $1 AND start_cp = $2 "
			       "AND end_cp = $3 AND code_id = $4",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, doc);
	store_bind_int64(st, 2, start);
	store_bind_int64(st, 3, end);
	store_bind_int64(st, 4, code);
	rc = store_step(st);
	*yes = rc == STORE_ROW;
	if (*yes)
		store_reset(st);
	return rc < 0 ? rc : 0;
}

/* One Coding of a selection [start, end) (a whole source when sel is the
 * TextSource). The first coding of a selection keeps the selection's GUID;
 * further ones get one derived from it and the code's, so a second import
 * finds them again. */
static int import_coding(struct imp *im, const struct qual_document *d, xmlNodePtr sel,
			 xmlNodePtr coding, long start, long end, const char *memo, bool first)
{
	int64_t code;
	const char *cguid;
	int rc = code_ref(im, coding, &code, &cguid);
	if (rc)
		return rc;
	const char *sguid = guid_of(im, sel, "guid");
	if (!first || is(sel, "TextSource")) {
		char *g = arena_alloc(im->a, QUAL_GUID_LEN);
		qual_guid_derived(sguid, cguid, g);
		sguid = g;
	}
	int64_t id, owner;
	bool dup = false;
	if ((rc = guid_owner(im, 's', sguid, &id, &owner)) ||
	    (owner != im->study && (rc = coding_exists(im, d->id, start, end, code, &dup))))
		return rc;
	if (owner == im->study || dup) {
		im->res->codings_kept++;
		return 0;
	}
	json_t *in = json_pack("{s:I, s:I, s:I, s:s}", "start", (json_int_t)start, "end",
			       (json_int_t)end, "code", (json_int_t)code, "memo", memo);
	struct in_ctx x = {im->a, &im->fe};
	rc = qual_segment_create(im->c, &x, d, in, new_guid(im, sguid, owner), im->by, im->now, &id);
	json_decref(in);
	if (rc == ERR_INVALID) {
		const char *f = str_eq(im->fe.field, "start") ? "startPosition"
				: str_eq(im->fe.field, "end") ? "endPosition"
							      : im->fe.field;
		return fail(im, sel, arena_printf(im->a, "%s %ld..%ld of a text of %zu characters", f,
						  start, end, d->chars));
	}
	if (!rc)
		im->res->codings++;
	return rc;
}

static int import_selection(struct imp *im, const struct qual_document *d, xmlNodePtr sel)
{
	const char *a = prop(im, sel, "startPosition"), *b = prop(im, sel, "endPosition");
	long start, end;
	if (str_to_long(a, 0, QUAL_TEXT_MAX, &start) || str_to_long(b, 0, QUAL_TEXT_MAX, &end))
		return fail(im, sel, arena_printf(im->a, "startPosition %s, endPosition %s: not "
						  "offsets in a text", a, b));
	xmlNodePtr desc = child(sel, "Description");
	const char *memo = desc ? content(im, desc) : "";
	if (strlen(memo) > 4000)
		return fail(im, sel, "the Description (memo) is longer than 4000 bytes");
	int rc = 0;
	bool first = true;
	for (xmlNodePtr k = sel->children; k && !rc; k = k->next)
		if (is(k, "Coding")) {
			rc = import_coding(im, d, sel, k, start, end, memo, first);
			first = false;
		}
	if (first)
		im->res->skipped++; /* a selection with no code: nothing to keep here */
	return rc;
}

/* The bytes of an entry of the archive (at most max), NUL-terminated. */
static int zip_entry(struct imp *im, const char *name, size_t max, char **out, size_t *len)
{
	zip_stat_t sb;
	zip_stat_init(&sb);
	if (zip_stat(im->z, name, 0, &sb) || !(sb.valid & ZIP_STAT_SIZE))
		return fail(im, NULL, arena_printf(im->a, "the archive has no %s", name));
	if (sb.size > max)
		return fail(im, NULL, arena_printf(im->a, "%s is larger than %zu bytes", name, max));
	zip_file_t *f = zip_fopen(im->z, name, 0);
	char *p = arena_alloc(im->a, (size_t)sb.size + 1);
	zip_int64_t got = f ? zip_fread(f, p, sb.size) : -1;
	if (f)
		zip_fclose(f);
	if (got < 0 || (zip_uint64_t)got != sb.size)
		return fail(im, NULL, arena_printf(im->a, "%s could not be read from the archive",
						   name));
	p[sb.size] = '\0';
	*out = p;
	*len = (size_t)sb.size;
	return 0;
}

/* kind; stakeholder; time point; site: how IBBIS describes its documents. */
static void describe(struct imp *im, const char *desc, json_t *in)
{
	char *parts[4] = {0};
	char *s = arena_strdup(im->a, desc ? desc : "");
	for (int i = 0; i < 4 && s; i++) {
		parts[i] = s;
		char *semi = strstr(s, "; ");
		if (semi) {
			*semi = '\0';
			s = semi + 2;
		} else {
			s = NULL;
		}
	}
	bool ours = parts[1] && (str_eq(parts[0], "interview") || str_eq(parts[0], "observation")) &&
		    (str_eq(parts[1], "service_user") || str_eq(parts[1], "care_manager") ||
		     str_eq(parts[1], "employment_consultant") || str_eq(parts[1], "supervisor"));
	json_object_set_new(in, "kind", json_string(ours ? parts[0] : im->o->kind));
	json_object_set_new(in, "stakeholder", json_string(ours ? parts[1] : im->o->stakeholder));
	if (ours) {
		json_object_set_new(in, "time_point", json_string(parts[2] ? parts[2] : ""));
		json_object_set_new(in, "site", json_string(parts[3] ? parts[3] : ""));
	}
}

static int source_text(struct imp *im, xmlNodePtr n, const char **text)
{
	xmlNodePtr inline_text = child(n, "PlainTextContent");
	const char *path = prop(im, n, "plainTextPath");
	if (inline_text) {
		*text = content(im, inline_text);
		return 0;
	}
	if (!path)
		return fail(im, n, "neither PlainTextContent nor plainTextPath is given");
	if (!str_starts_with(path, "internal://"))
		return fail(im, n, arena_printf(im->a, "plainTextPath %s is not inside the project "
						  "(internal://)", path));
	char *t;
	size_t len;
	int rc = zip_entry(im, arena_printf(im->a, "sources/%s", path + strlen("internal://")),
			   QUAL_TEXT_MAX, &t, &len);
	if (rc)
		return rc;
	if (!str_valid_utf8(t, len) || strlen(t) != len)
		return fail(im, n, arena_printf(im->a, "the text of %s is not UTF-8", path));
	*text = t;
	return 0;
}

static int import_source(struct imp *im, xmlNodePtr n)
{
	const char *guid = guid_of(im, n, "guid"), *name = prop(im, n, "name");
	int64_t id, owner;
	int rc = guid_owner(im, 'd', guid, &id, &owner);
	if (rc)
		return rc;
	if (owner == im->study) {
		im->res->sources_kept++;
	} else {
		const char *text;
		if ((rc = source_text(im, n, &text)))
			return rc;
		xmlNodePtr desc = child(n, "Description");
		json_t *in = json_pack("{s:s, s:s}", "title", name && *name ? name : guid, "text", text);
		describe(im, desc ? content(im, desc) : NULL, in);
		struct in_ctx x = {im->a, &im->fe};
		rc = qual_document_create(im->c, &x, im->study, in, new_guid(im, guid, owner), im->by,
					  im->now, &id);
		json_decref(in);
		if (rc == ERR_INVALID)
			return fail(im, n, arena_printf(im->a, "source %s: its %s is not accepted",
							guid, im->fe.field ? im->fe.field : "text"));
		if (rc)
			return rc;
		im->res->sources++;
	}
	struct qual_document d;
	if ((rc = qual_document_load(im->c, im->a, id, &d)))
		return rc;
	for (xmlNodePtr k = n->children; k && !rc; k = k->next) {
		if (is(k, "PlainTextSelection"))
			rc = import_selection(im, &d, k);
		else if (is(k, "Coding")) /* the whole source */
			rc = import_coding(im, &d, n, k, 0, (long)d.chars, "", true);
	}
	return rc;
}

static int import_tree(struct imp *im, xmlNodePtr root)
{
	int rc = 0;
	xmlNodePtr codes = child(child(root, "CodeBook"), "Codes");
	for (xmlNodePtr k = codes ? codes->children : NULL; k && !rc; k = k->next)
		if (is(k, "Code"))
			rc = import_code(im, k, 0, 0);
	xmlNodePtr sources = child(root, "Sources");
	for (xmlNodePtr k = sources ? sources->children : NULL; k && !rc; k = k->next) {
		if (is(k, "TextSource"))
			rc = import_source(im, k);
		else if (k->type == XML_ELEMENT_NODE)
			im->res->skipped++; /* pictures, PDF, audio, video: not kept here */
	}
	return rc;
}

/* The first schema error: its line and message (the schema's namespace
 * taken out of element names, so the message reads plainly). */
struct first_err {
	struct arena *a;
	const char *text;
};

static void on_schema_error(void *ud, xmlErrorPtr e)
{
	struct first_err *fe = ud;
	if (fe->text || !e || !e->message)
		return;
	struct buf b;
	buf_init(&b, 4096);
	buf_printf(&b, "project.qde line %d: ", e->line);
	const char *m = e->message, *ns = "{urn:QDA-XML:project:1.0}";
	for (const char *p; (p = strstr(m, ns)); m = p + strlen(ns))
		buf_append(&b, m, (size_t)(p - m));
	buf_puts(&b, m);
	while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	fe->text = arena_strdup(fe->a, b.data);
	buf_release(&b);
}

/* Parses and validates project.qde; *doc: caller frees. */
static int read_project(struct imp *im, const char *xml, size_t len, xmlDocPtr *doc)
{
	pthread_once(&schema_once, schema_load);
	if (!schema)
		return ERR_INTERNAL;
	xmlParserCtxtPtr p = xmlNewParserCtxt();
	if (!p)
		return ERR_NOMEM;
	*doc = xmlCtxtReadMemory(p, xml, (int)len, "project.qde", NULL,
				 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!*doc) {
		xmlErrorPtr e = xmlCtxtGetLastError(p);
		fail(im, NULL, arena_printf(im->a, "project.qde line %d: %s", e ? e->line : 0,
					    e && e->message ? e->message : "not XML"));
		xmlFreeParserCtxt(p);
		return ERR_INVALID;
	}
	xmlFreeParserCtxt(p);
	xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
	if (!v)
		return ERR_NOMEM;
	struct first_err fe = {im->a, NULL};
	xmlSchemaSetValidStructuredErrors(v, on_schema_error, &fe);
	int rc = xmlSchemaValidateDoc(v, *doc);
	xmlSchemaFreeValidCtxt(v);
	if (rc == 0)
		return 0;
	if (fe.text)
		im->detail = fe.text;
	else
		fail(im, NULL, "project.qde is not a QDA-XML 1.0 project");
	return rc < 0 ? ERR_INTERNAL : ERR_INVALID;
}

/* The project file: project.qde, or the one .qde at the top. */
static const char *qde_name(zip_t *z)
{
	if (zip_name_locate(z, "project.qde", ZIP_FL_NOCASE) >= 0)
		return "project.qde";
	zip_int64_t n = zip_get_num_entries(z, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
		size_t len = name ? strlen(name) : 0;
		if (len > 4 && !strchr(name, '/') && str_eq(name + len - 4, ".qde"))
			return name;
	}
	return NULL;
}

int refi_import(struct store_conn *c, struct arena *a, int64_t study, const void *data, size_t len,
		const struct refi_import_opts *o, const struct actor *by, int64_t now,
		struct refi_import_result *res, const char **detail)
{
	struct imp im = {.c = c, .a = a, .study = study, .now = now, .by = by, .o = o, .res = res};
	memset(res, 0, sizeof *res);
	*detail = NULL;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	im.z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
	zip_error_fini(&ze);
	if (!im.z) {
		if (src)
			zip_source_free(src);
		*detail = "the file is not a zip archive (.qdpx)";
		return ERR_INVALID;
	}
	const char *name = qde_name(im.z);
	char *xml;
	size_t xlen;
	xmlDocPtr doc = NULL;
	int rc = name ? zip_entry(&im, name, QDE_MAX, &xml, &xlen)
		      : fail(&im, NULL, "the archive has no project.qde");
	if (!rc)
		rc = read_project(&im, xml, xlen, &doc);
	if (!rc && !(rc = store_begin_write(c))) {
		rc = import_tree(&im, xmlDocGetRootElement(doc));
		if (!rc)
			rc = qual_audit(c, by, now, "research",
					arena_printf(a, "study:%lld", (long long)study), "import");
		if (rc) {
			store_rollback(c);
		} else if ((rc = store_commit(c))) {
			res->codes = res->sources = res->codings = 0;
		}
	}
	if (rc)
		memset(res, 0, sizeof *res);
	xmlFreeDoc(doc);
	zip_discard(im.z); /* also frees src */
	*detail = im.detail;
	return rc;
}
