/* refi.c: REFI-QDA export of a study's qualitative material (DESIGN.md
 * section 9): the project (.qdpx: a zip of project.qde and sources/GUID.txt)
 * and the codebook (.qdc), written with libxml2's text writer and zipped
 * with libzip. Offsets in PlainTextSelection are Unicode code points, as
 * IBBIS stores them. The import is refi_import.c. */
#include "domain/research/refi.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "domain/research/export_int.h"
#include "domain/research/qual.h"
#include "domain/research/qual_doc.h"
#include "store/store.h"

#define W(x) ((const xmlChar *)(x))

static void codes_tree(xmlTextWriterPtr w, json_t *codes, json_int_t parent)
{
	for (size_t i = 0; i < json_array_size(codes); i++) {
		json_t *k = json_array_get(codes, i);
		json_t *p = json_object_get(k, "parent");
		if ((json_is_integer(p) ? json_integer_value(p) : 0) != parent)
			continue;
		xmlTextWriterStartElement(w, W("Code"));
		xmlTextWriterWriteAttribute(w, W("guid"), W(json_string_value(json_object_get(k, "guid"))));
		xmlTextWriterWriteAttribute(w, W("name"), W(json_string_value(json_object_get(k, "name"))));
		xmlTextWriterWriteAttribute(w, W("isCodable"), W("true"));
		const char *d = json_string_value(json_object_get(k, "description"));
		if (d && *d)
			xmlTextWriterWriteElement(w, W("Description"), W(d));
		codes_tree(w, codes, json_integer_value(json_object_get(k, "id")));
		xmlTextWriterEndElement(w);
	}
}

static void codebook(xmlTextWriterPtr w, json_t *codes)
{
	if (!json_array_size(codes))
		return;
	xmlTextWriterStartElement(w, W("CodeBook"));
	xmlTextWriterStartElement(w, W("Codes"));
	codes_tree(w, codes, 0);
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
}

static char *iso(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

/* The writer's buffer as heap text; NULL when the writer failed. */
static char *finish(xmlTextWriterPtr w, xmlBufferPtr buf, size_t *len)
{
	int rc = xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	char *out = NULL;
	if (rc >= 0) {
		*len = (size_t)xmlBufferLength(buf);
		out = malloc(*len + 1);
		if (out) {
			memcpy(out, xmlBufferContent(buf), *len);
			out[*len] = '\0';
		}
	}
	xmlBufferFree(buf);
	return out;
}

static xmlTextWriterPtr start(xmlBufferPtr *buf)
{
	*buf = xmlBufferCreate();
	xmlTextWriterPtr w = *buf ? xmlNewTextWriterMemory(*buf, 0) : NULL;
	if (w) {
		xmlTextWriterSetIndent(w, 1);
		xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	}
	return w;
}

int refi_codebook(struct store_conn *c, int64_t study, char **out, size_t *len)
{
	json_t *codes;
	int rc = qual_codes_json(c, study, &codes);
	if (rc)
		return rc;
	xmlBufferPtr buf;
	xmlTextWriterPtr w = start(&buf);
	if (!w) {
		json_decref(codes);
		return ERR_INTERNAL;
	}
	xmlTextWriterStartElementNS(w, NULL, W("CodeBook"), W("urn:QDA-XML:codebook:1.0"));
	xmlTextWriterWriteAttribute(w, W("origin"), W("IBBIS"));
	xmlTextWriterStartElement(w, W("Codes"));
	codes_tree(w, codes, 0);
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	json_decref(codes);
	*out = finish(w, buf, len);
	return *out ? 0 : ERR_INTERNAL;
}

struct src {
	char *name; /* heap: sources/GUID.txt */
	char *text; /* heap */
	size_t len;
};

/* One TextSource with its selections; its text goes to s. */
static int text_source(xmlTextWriterPtr w, struct store_conn *c, struct arena *a, int64_t id,
		       struct src *s)
{
	struct qual_document d;
	int rc = qual_document_load(c, a, id, &d);
	json_t *segs;
	if (rc || (rc = qual_segments_json(c, &d, &segs)))
		return rc;
	char when[32], path[128];
	str_fmt(path, sizeof path, "internal://%s.txt", d.guid);
	xmlTextWriterStartElement(w, W("TextSource"));
	xmlTextWriterWriteAttribute(w, W("guid"), W(d.guid));
	xmlTextWriterWriteAttribute(w, W("name"), W(d.title));
	xmlTextWriterWriteAttribute(w, W("plainTextPath"), W(path));
	xmlTextWriterWriteAttribute(w, W("creationDateTime"), W(iso(d.created_at, when)));
	xmlTextWriterWriteFormatElement(w, W("Description"), "%s; %s; %s; %s", d.kind,
					d.stakeholder, d.time_point, d.site);
	for (size_t i = 0; i < json_array_size(segs); i++) {
		json_t *g = json_array_get(segs, i);
		xmlTextWriterStartElement(w, W("PlainTextSelection"));
		xmlTextWriterWriteAttribute(w, W("guid"), W(json_string_value(json_object_get(g, "guid"))));
		xmlTextWriterWriteFormatAttribute(w, W("startPosition"), "%lld",
						  (long long)json_integer_value(json_object_get(g, "start")));
		xmlTextWriterWriteFormatAttribute(w, W("endPosition"), "%lld",
						  (long long)json_integer_value(json_object_get(g, "end")));
		const char *memo = json_string_value(json_object_get(g, "memo"));
		if (memo && *memo)
			xmlTextWriterWriteElement(w, W("Description"), W(memo));
		/* The coding's GUID follows from its selection's, so it is the
		 * same in every export. */
		char cg[QUAL_GUID_LEN];
		qual_guid_derived(json_string_value(json_object_get(g, "guid")), "coding", cg);
		xmlTextWriterStartElement(w, W("Coding"));
		xmlTextWriterWriteAttribute(w, W("guid"), W(cg));
		xmlTextWriterStartElement(w, W("CodeRef"));
		xmlTextWriterWriteAttribute(w, W("targetGUID"),
					    W(json_string_value(json_object_get(g, "code_guid"))));
		xmlTextWriterEndElement(w);
		xmlTextWriterEndElement(w);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	json_decref(segs);
	s->len = strlen(d.text);
	s->text = malloc(s->len + 1);
	s->name = malloc(strlen(d.guid) + 16);
	if (!s->text || !s->name)
		abort();
	memcpy(s->text, d.text, s->len + 1);
	str_fmt(s->name, strlen(d.guid) + 16, "sources/%s.txt", d.guid);
	return 0;
}

static int doc_ids(struct store_conn *c, struct arena *a, int64_t study, int64_t **ids, size_t *n)
{
	struct store_stmt *st;
	int rc = store_prepare(c, "SELECT id FROM qual_documents WHERE study_id = $1 ORDER BY id", &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, study);
	size_t cap = 0;
	*n = 0;
	*ids = NULL;
	while ((rc = store_step(st)) == STORE_ROW) {
		ARENA_RESERVE(a, *ids, *n, cap);
		(*ids)[(*n)++] = store_col_int64(st, 0);
	}
	return rc < 0 ? rc : 0;
}

static int project_xml(struct store_conn *c, struct arena *a, int64_t study, const char *name,
		       int64_t now, char **xml, size_t *len, struct src **srcs, size_t *nsrc)
{
	json_t *codes;
	int64_t *ids;
	int rc = qual_codes_json(c, study, &codes);
	if (rc)
		return rc;
	if ((rc = doc_ids(c, a, study, &ids, nsrc))) {
		json_decref(codes);
		return rc;
	}
	*srcs = arena_array(a, *nsrc ? *nsrc : 1, sizeof **srcs);
	xmlBufferPtr buf;
	xmlTextWriterPtr w = start(&buf);
	if (!w) {
		json_decref(codes);
		return ERR_INTERNAL;
	}
	char when[32];
	xmlTextWriterStartElementNS(w, NULL, W("Project"), W("urn:QDA-XML:project:1.0"));
	xmlTextWriterWriteAttribute(w, W("name"), W(name));
	xmlTextWriterWriteAttribute(w, W("origin"), W("IBBIS"));
	xmlTextWriterWriteAttribute(w, W("creationDateTime"), W(iso(now, when)));
	codebook(w, codes);
	json_decref(codes);
	if (*nsrc) {
		xmlTextWriterStartElement(w, W("Sources"));
		for (size_t i = 0; !rc && i < *nsrc; i++)
			rc = text_source(w, c, a, ids[i], &(*srcs)[i]);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	*xml = finish(w, buf, len);
	return rc ? rc : *xml ? 0 : ERR_INTERNAL;
}

int refi_project(struct store_conn *c, struct arena *a, int64_t study, const char *name,
		 int64_t now, char **zipdata, size_t *ziplen)
{
	char *xml = NULL;
	size_t len = 0, nsrc = 0;
	struct src *srcs = NULL;
	int rc = project_xml(c, a, study, name, now, &xml, &len, &srcs, &nsrc);
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *zs = rc ? NULL : zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z = zs ? zip_open_from_source(zs, ZIP_TRUNCATE, &ze) : NULL;
	zip_error_fini(&ze);
	if (!z) {
		if (zs)
			zip_source_free(zs);
		rc = rc ? rc : ERR_INTERNAL;
	} else {
		zip_source_keep(zs);
	}
	/* The archive takes each buffer; what it did not take is freed here. */
	if (!rc) {
		zip_source_t *f = zip_source_buffer(z, xml, len, 1);
		if (f && zip_file_add(z, "project.qde", f, ZIP_FL_ENC_UTF_8) >= 0)
			xml = NULL;
		else
			rc = ERR_INTERNAL;
	}
	for (size_t i = 0; i < nsrc; i++) {
		if (!rc) {
			zip_source_t *f = zip_source_buffer(z, srcs[i].text, srcs[i].len, 1);
			if (f && zip_file_add(z, srcs[i].name, f, ZIP_FL_ENC_UTF_8) >= 0)
				srcs[i].text = NULL;
			else
				rc = ERR_INTERNAL;
		}
		free(srcs[i].text);
		free(srcs[i].name);
	}
	free(xml);
	if (z && (rc || zip_close(z) < 0)) {
		zip_discard(z);
		zip_source_free(zs);
		return rc ? rc : ERR_INTERNAL;
	}
	if (rc)
		return rc;
	rc = research_zip_take(zs, zipdata, ziplen);
	zip_source_free(zs);
	return rc;
}
