/* h_research_qual.c: a study's qualitative material: documents, the
 * codebook, codings and the matrix (DESIGN.md section 9). Every route asks
 * the policy's research row for the study the item belongs to. */
#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/research/qual.h"
#include "domain/research/qual_doc.h"
#include "domain/research/refi.h"
#include "domain/research/study.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/gate.h"
#include "web/h_form_int.h"
#include "web/handlers.h"
#include "web/research/h_research.h"
#include "web/web.h"

/* Opens the item (kind 'd' document, 'c' code, 's' segment) named by the
 * route's "id" and asks the policy about its study. */
static int open_item(struct web_ctx *c, char kind, enum policy_action act, int64_t *id,
		     int64_t *study)
{
	int rc = gate_param_id(c, "id", id);
	if (rc)
		return rc;
	rc = qual_study_of(c->db, kind, *id, study);
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, rc, NULL, N_("research.err.item_not_found"));
	return rc ? rc : research_allow(c, *study, POLICY_RESEARCH, act);
}

static void study_link(struct web_ctx *c, json_t *m, int64_t study)
{
	json_t *s;
	if (study_get_json(c->db, study, &s) == 0)
		json_object_set_new(m, "study", json_pack("{s:I, s:O}", "id", (json_int_t)study,
							  "name", json_object_get(s, "name")));
	json_decref(s);
}

/* The study's codebook with labels in the page's language; *mine (a new
 * reference, or NULL) is code id's entry. */
static int codebook(struct web_ctx *c, int64_t study, int64_t id, json_t **codes, json_t **mine)
{
	int rc = qual_codes_json(c->db, study, codes);
	if (rc)
		return rc;
	bool da = str_eq(c->lang, "da");
	*mine = NULL;
	for (size_t i = 0; i < json_array_size(*codes); i++) {
		json_t *k = json_array_get(*codes, i);
		json_t *name_da = json_object_get(k, "name_da");
		json_object_set(k, "label", da && json_is_string(name_da) ? name_da
									  : json_object_get(k, "name"));
		json_object_set_new(k, "indent", json_integer(json_integer_value(
							    json_object_get(k, "depth")) * 2));
		if (id && json_integer_value(json_object_get(k, "id")) == id)
			*mine = json_incref(k);
	}
	return 0;
}

/* A page of the study: m (taken) with the study's link, its template and
 * title. */
static int study_page(struct web_ctx *c, int64_t study, json_t *m, const char *tpl,
		      const char *title_key)
{
	study_link(c, m, study);
	web_set_model(c, m);
	c->template = tpl;
	c->title_key = title_key;
	return 0;
}

/* A new item of the study, made by create from the request's input: 201
 * with its id and a redirect to redirect_fmt (one %lld: the new id, or the
 * study's when by_study); a failed form shows page again with the input
 * kept as form. */
typedef int (*study_create_fn)(struct store_conn *c, struct in_ctx *x, int64_t study, json_t *in,
			       const struct actor *by, int64_t now, int64_t *id);

static int create_in_study(struct web_ctx *c, study_create_fn create, const char *form,
			   int (*page)(struct web_ctx *c), const char *redirect_fmt, bool by_study)
{
	int64_t study, id;
	int rc = research_open(c, POLICY_RESEARCH, POLICY_CREATE, &study);
	json_t *in;
	if (rc || (rc = web_input(c, &in)))
		return rc;
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	if ((rc = create(c->db, &x, study, in, c->actor, clock_now(), &id)))
		return form_again(c, research_domain_fail(c, rc, &fe), form, page);
	web_set_model(c, json_pack("{s:I, s:I}", "id", (json_int_t)id, "study", (json_int_t)study));
	c->status = 201;
	c->redirect = arena_printf(c->a, redirect_fmt, (long long)(by_study ? study : id));
	return 0;
}

static int h_documents_list(struct web_ctx *c)
{
	int64_t study;
	int rc = research_open(c, POLICY_RESEARCH, POLICY_READ, &study);
	if (rc)
		return rc;
	json_t *docs;
	if ((rc = qual_documents_json(c->db, study, &docs))) {
		json_decref(docs);
		return rc;
	}
	return study_page(c, study, json_pack("{s:o}", "documents", docs), "research/documents",
			  N_("research.documents.title"));
}

/* qual_document_create with a new GUID, as study_create_fn. */
static int document_create(struct store_conn *db, struct in_ctx *x, int64_t study, json_t *in,
			   const struct actor *by, int64_t now, int64_t *id)
{
	return qual_document_create(db, x, study, in, NULL, by, now, id);
}

static int h_documents_create(struct web_ctx *c)
{
	return create_in_study(c, document_create, "document", h_documents_list, "/documents/%lld",
			       false);
}

/* POST /studies/{id}/import: a REFI-QDA project (.qdpx) as the body
 * (application/zip) or as the form upload "file"; "kind" and "stakeholder"
 * (form fields or query parameters) say what sources that do not say are. */
static int h_study_import(struct web_ctx *c)
{
	int64_t study;
	int rc = research_open(c, POLICY_RESEARCH, POLICY_CREATE, &study);
	if (rc)
		return rc;
	json_t *in = NULL;
	const char *data = c->req->body;
	size_t len = c->req->body_len;
	if (web_body_is_multipart(c)) {
		if ((rc = web_input(c, &in)))
			return form_again(c, rc, "import", h_documents_list);
		json_t *f = json_object_get(in, "file");
		len = json_string_length(f);
		char *copy = arena_alloc(c->a, len + 1);
		if (len)
			memcpy(copy, json_string_value(f), len);
		data = copy;
		json_object_del(in, "file"); /* bytes, not text: not kept for the form */
	}
	struct refi_import_opts o = {"interview", "service_user"};
	const char *k = in ? json_string_value(json_object_get(in, "kind")) : web_query(c, "kind");
	const char *s = in ? json_string_value(json_object_get(in, "stakeholder"))
			   : web_query(c, "stakeholder");
	if (k && *k)
		o.kind = k;
	if (s && *s)
		o.stakeholder = s;
	if (!str_eq(o.kind, "interview") && !str_eq(o.kind, "observation"))
		rc = web_fail(c, ERR_INVALID, "kind", N_("research.err.doc_kind"));
	else if (!qual_stakeholder_valid(o.stakeholder))
		rc = web_fail(c, ERR_INVALID, "stakeholder", N_("research.err.doc_stakeholder"));
	else if (!len)
		rc = web_fail(c, ERR_INVALID, "file", N_("research.err.import_file"));
	struct refi_import_result r;
	const char *detail = NULL;
	if (!rc)
		rc = refi_import(c->db, c->a, study, data, len, &o, c->actor, clock_now(), &r, &detail);
	if (rc == ERR_INVALID && detail)
		rc = web_fail_text(c, rc, "file",
				   arena_printf(c->a, "%s %s", web_t(c, N_("research.err.import")),
						detail));
	else if (rc == ERR_UNAVAILABLE)
		rc = research_domain_fail(c, rc, NULL);
	if (rc)
		return form_again(c, rc, "import", h_documents_list);
	web_set_model(c, json_pack("{s:I, s:{s:i, s:i, s:i}, s:{s:i, s:i, s:i}, s:i}", "study",
				   (json_int_t)study, "imported", "codes", r.codes, "sources",
				   r.sources, "codings", r.codings, "kept", "codes", r.codes_kept,
				   "sources", r.sources_kept, "codings", r.codings_kept, "skipped",
				   r.skipped));
	web_flash(c, "added");
	c->redirect = arena_printf(c->a, "/studies/%lld/documents", (long long)study);
	return 0;
}

/* The document in paragraphs (its non-empty lines), each with the codes
 * whose segments touch it, for the coding page. */
static json_t *paragraphs(const struct qual_document *d, json_t *segs)
{
	json_t *out = json_array();
	const char *t = d->text;
	size_t cp = 0, n = 0;
	while (*t) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);
		size_t cps = qual_cp_count(t, len);
		bool blank = true;
		for (size_t i = 0; i < len && blank; i++)
			blank = t[i] == ' ' || t[i] == '\t' || t[i] == '\r';
		if (!blank) {
			json_t *codes = json_array();
			for (size_t i = 0; i < json_array_size(segs); i++) {
				json_t *s = json_array_get(segs, i);
				json_int_t a = json_integer_value(json_object_get(s, "start"));
				json_int_t b = json_integer_value(json_object_get(s, "end"));
				if (a < (json_int_t)(cp + cps) && b > (json_int_t)cp)
					json_array_append(codes, s);
			}
			json_array_append_new(out, json_pack("{s:I, s:I, s:I, s:s%, s:o}", "n",
							     (json_int_t)++n, "start", (json_int_t)cp,
							     "end", (json_int_t)(cp + cps), "text", t,
							     len, "codes", codes));
		}
		cp += cps + (nl ? 1 : 0);
		t = nl ? nl + 1 : t + len;
	}
	return out;
}

static int h_document_get(struct web_ctx *c)
{
	int64_t id, study;
	int rc = open_item(c, 'd', POLICY_READ, &id, &study);
	if (rc)
		return rc;
	struct qual_document d;
	if ((rc = qual_document_load(c->db, c->a, id, &d)))
		return research_domain_fail(c, rc, NULL);
	json_t *segs, *codes;
	if ((rc = qual_segments_json(c->db, &d, &segs)) ||
	    (rc = qual_codes_json(c->db, study, &codes))) {
		json_decref(segs);
		return rc;
	}
	json_t *m = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "id", (json_int_t)id,
			      "guid", d.guid, "title", d.title, "kind", d.kind, "stakeholder",
			      d.stakeholder, "time_point", d.time_point, "site", d.site, "chars",
			      (json_int_t)d.chars, "segments", segs);
	json_object_set_new(m, "text", json_string(d.text));
	if (!c->want_json) {
		json_object_set_new(m, "paragraphs", paragraphs(&d, segs));
		json_object_set_new(m, "codes", codes);
		study_link(c, m, study);
	} else {
		json_decref(codes);
	}
	web_set_model(c, m);
	c->template = "research/document";
	c->title_key = N_("research.document.title");
	return 0;
}

static int h_segments_list(struct web_ctx *c)
{
	int64_t id, study;
	int rc = open_item(c, 'd', POLICY_READ, &id, &study);
	struct qual_document d;
	if (rc || (rc = qual_document_load(c->db, c->a, id, &d)))
		return rc;
	json_t *segs;
	if ((rc = qual_segments_json(c->db, &d, &segs))) {
		json_decref(segs);
		return rc;
	}
	web_set_model(c, json_pack("{s:I, s:o}", "document", (json_int_t)id, "segments", segs));
	return 0;
}

/* A form codes a paragraph (or paragraphs "paragraph".."paragraph_to")
 * instead of giving start and end: they are filled in from the text. */
static int paragraph_range(struct web_ctx *c, const struct qual_document *d, json_t *in)
{
	const char *p = json_string_value(json_object_get(in, "paragraph"));
	const char *s = json_string_value(json_object_get(in, "start"));
	if (!p || !*p || (s && *s))
		return 0;
	const char *q = json_string_value(json_object_get(in, "paragraph_to"));
	json_t *none = json_array();
	json_t *paras = paragraphs(d, none);
	json_decref(none);
	long np = (long)json_array_size(paras), from, to;
	int rc = 0;
	if (str_to_long(p, 1, np, &from))
		rc = web_fail(c, ERR_INVALID, "paragraph", N_("research.err.seg_paragraph"));
	else if (q && *q && str_to_long(q, from, np, &to))
		rc = web_fail(c, ERR_INVALID, "paragraph_to", N_("research.err.seg_paragraph_to"));
	if (!rc) {
		if (!q || !*q)
			to = from;
		json_object_set(in, "start",
				json_object_get(json_array_get(paras, (size_t)from - 1), "start"));
		json_object_set(in, "end",
				json_object_get(json_array_get(paras, (size_t)to - 1), "end"));
	}
	json_decref(paras);
	return rc;
}

static int h_segments_create(struct web_ctx *c)
{
	int64_t id, study, sid;
	int rc = open_item(c, 'd', POLICY_CREATE, &id, &study);
	json_t *in;
	struct qual_document d;
	if (rc || (rc = web_input(c, &in)) || (rc = qual_document_load(c->db, c->a, id, &d)))
		return rc;
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	if ((rc = paragraph_range(c, &d, in)))
		return form_again(c, rc, "segment", h_document_get);
	rc = qual_segment_create(c->db, &x, &d, in, NULL, c->actor, clock_now(), &sid);
	if (rc)
		return form_again(c, research_domain_fail(c, rc, &fe), "segment", h_document_get);
	web_set_model(c, json_pack("{s:I, s:I}", "id", (json_int_t)sid, "document", (json_int_t)id));
	c->status = 201;
	c->redirect = arena_printf(c->a, "/documents/%lld", (long long)id);
	return 0;
}

static int h_segment_delete(struct web_ctx *c)
{
	int64_t id, study, doc = 0;
	int rc = open_item(c, 's', POLICY_UPDATE, &id, &study);
	if (rc)
		return rc;
	struct store_stmt *st;
	if (!store_prepare(c->db, "SELECT document_id FROM qual_segments WHERE id = $1", &st)) {
		store_bind_int64(st, 1, id);
		if (store_step(st) == STORE_ROW)
			doc = store_col_int64(st, 0);
		store_reset(st);
	}
	if ((rc = qual_segment_delete(c->db, id, c->actor, clock_now())))
		return rc;
	web_set_model(c, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1));
	c->redirect = arena_printf(c->a, "/documents/%lld", (long long)doc);
	return 0;
}

static int h_codes_list(struct web_ctx *c)
{
	int64_t study;
	int rc = research_open(c, POLICY_RESEARCH, POLICY_READ, &study);
	if (rc)
		return rc;
	json_t *codes, *none;
	if ((rc = codebook(c, study, 0, &codes, &none)))
		return rc;
	return study_page(c, study, json_pack("{s:o}", "codes", codes), "research/codes",
			  N_("research.codes.title"));
}

static int h_codes_create(struct web_ctx *c)
{
	return create_in_study(c, qual_code_create, "code", h_codes_list, "/studies/%lld/codes",
			       true);
}

/* GET /codes/{id}: the code; as a page, the form that edits it. */
static int h_code_get(struct web_ctx *c)
{
	int64_t id, study;
	int rc = open_item(c, 'c', POLICY_READ, &id, &study);
	json_t *codes, *mine;
	if (rc || (rc = codebook(c, study, id, &codes, &mine)))
		return rc;
	if (!mine) {
		json_decref(codes);
		return web_fail(c, ERR_NOT_FOUND, NULL, N_("research.err.item_not_found"));
	}
	if (c->want_json) {
		json_decref(codes);
		web_set_model(c, mine);
		return 0;
	}
	/* Parents offered: every code but this one (a move into its own
	 * subtree is refused by the domain, naming parent). */
	const char *typed = form_typed(c, "parent");
	json_t *p = json_object_get(mine, "parent");
	char pid[32] = "";
	if (json_is_integer(p))
		str_fmt(pid, sizeof pid, "%lld", (long long)json_integer_value(p));
	form_mark(codes, "id", typed ? typed : pid, "selected");
	return study_page(c, study, json_pack("{s:o, s:o}", "code", mine, "codes", codes),
			  "research/code", N_("research.code.edit_title"));
}

static int h_code_update(struct web_ctx *c)
{
	int64_t id, study;
	int rc = open_item(c, 'c', POLICY_UPDATE, &id, &study);
	json_t *in;
	if (rc || (rc = web_input(c, &in)))
		return rc;
	struct field_err fe = {0};
	struct in_ctx x = {c->a, &fe};
	if ((rc = qual_code_update(c->db, &x, id, in, c->actor, clock_now())))
		return form_again(c, research_domain_fail(c, rc, &fe), "code", h_code_get);
	json_t *codes, *mine;
	if ((rc = codebook(c, study, id, &codes, &mine)))
		return rc;
	json_decref(codes);
	web_set_model(c, mine ? mine : json_object());
	c->redirect = arena_printf(c->a, "/studies/%lld/codes", (long long)study);
	return 0;
}

static int h_matrix(struct web_ctx *c)
{
	int64_t study;
	int rc = research_open(c, POLICY_RESEARCH, POLICY_READ, &study);
	if (rc)
		return rc;
	json_t *m;
	if ((rc = qual_matrix_json(c->db, c->a, study, &m))) {
		json_decref(m);
		return rc;
	}
	return study_page(c, study, m, "research/matrix", N_("research.matrix.title"));
}

const struct route routes_research_qual[] = {
	{HTTP_GET, "/studies/{id}/documents", h_documents_list, ROUTE_SESSION, "research"},
	{HTTP_POST, "/studies/{id}/documents", h_documents_create, ROUTE_SESSION, "research"},
	{HTTP_GET, "/documents/{id}", h_document_get, ROUTE_SESSION, "research"},
	{HTTP_GET, "/documents/{id}/segments", h_segments_list, ROUTE_SESSION, "research"},
	{HTTP_POST, "/documents/{id}/segments", h_segments_create, ROUTE_SESSION, "research"},
	{HTTP_DELETE, "/segments/{id}", h_segment_delete, ROUTE_SESSION, "research"},
	{HTTP_POST, "/segments/{id}/delete", h_segment_delete, ROUTE_SESSION, "research"},
	{HTTP_GET, "/studies/{id}/codes", h_codes_list, ROUTE_SESSION, "research"},
	{HTTP_POST, "/studies/{id}/codes", h_codes_create, ROUTE_SESSION, "research"},
	{HTTP_GET, "/codes/{id}", h_code_get, ROUTE_SESSION, "research"},
	{HTTP_PATCH, "/codes/{id}", h_code_update, ROUTE_SESSION, "research"},
	{HTTP_POST, "/codes/{id}", h_code_update, ROUTE_SESSION, "research"},
	{HTTP_GET, "/studies/{id}/matrix", h_matrix, ROUTE_SESSION, "research"},
	{HTTP_POST, "/studies/{id}/import", h_study_import, ROUTE_SESSION, "research"},
};
const size_t routes_research_qual_n = sizeof routes_research_qual / sizeof routes_research_qual[0];
