/* h_cases_list.c: GET /cases (and /api/v1/cases): the cases the actor may
 * see, sorted (?sort=name|week|reassessment|deadline|status, ?order=),
 * filtered (?status, ?team, ?overdue, ?reassessment_within=N days, ?q) and
 * paged (?page=, 50 a page, with the total). A bad value answers 400
 * naming the parameter. */
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/cases/case.h"
#include "domain/teams/team.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/cases/h_cases_int.h"
#include "web/web.h"

#define CASES_PAGE 50 /* cases a page */
#define QS_MAX 4096   /* a list link's query string */

/* A flag parameter: "1"/"true" on, ""/"0"/"false" off. */
static int query_flag(struct web_ctx *c, const char *name, bool *on)
{
	const char *v = web_query(c, name);
	*on = v && (str_eq(v, "1") || str_eq(v, "true"));
	if (v && !*on && *v && !str_eq(v, "0") && !str_eq(v, "false"))
		return web_fail(c, ERR_INVALID, name, N_("cases.err.flag"));
	return 0;
}

/* A whole number in [lo, hi] when the parameter is given and not empty. */
static int query_long(struct web_ctx *c, const char *name, long lo, long hi, const char *key,
		      long *out, bool *given)
{
	const char *v = web_query(c, name);
	*given = v && *v;
	if (*given && str_to_long(v, lo, hi, out))
		return web_fail(c, ERR_INVALID, name, key);
	return 0;
}

static int list_filter(struct web_ctx *c, struct case_filter *f, long *page)
{
	long v;
	bool given;
	f->q = web_query(c, "q");
	f->status = web_query(c, "status");
	if (f->status && !*f->status)
		f->status = NULL;
	if (f->status && !str_eq(f->status, "open") && !str_eq(f->status, "closed"))
		return web_fail(c, ERR_INVALID, "status", N_("cases.err.status"));
	if (query_long(c, "team", 1, 0x7fffffffL, N_("cases.err.team"), &v, &given))
		return c->err;
	f->team = given ? v : 0;
	const char *sort = web_query(c, "sort");
	if (sort && *sort && case_sort_parse(sort, &f->sort))
		return web_fail(c, ERR_INVALID, "sort", N_("cases.err.sort"));
	const char *order = web_query(c, "order");
	if (order && *order && !str_eq(order, "asc") && !str_eq(order, "desc"))
		return web_fail(c, ERR_INVALID, "order", N_("cases.err.order"));
	f->desc = str_eq(order, "desc");
	if (query_flag(c, "overdue", &f->overdue))
		return c->err;
	f->reassess_days = -1;
	if (query_long(c, "reassessment_within", 0, 3660, N_("cases.err.reassessment_within"), &v,
		       &given))
		return c->err;
	if (given)
		f->reassess_days = (int)v;
	if (query_long(c, "limit", 1, 500, N_("cases.err.limit"), &f->limit, &given))
		return c->err;
	if (!given)
		f->limit = CASES_PAGE;
	if (query_long(c, "offset", 0, 0x7fffffffL, N_("cases.err.offset"), &f->offset, &given))
		return c->err;
	if (!given)
		f->offset = 0;
	if (query_long(c, "page", 1, 1000000, N_("cases.err.page"), page, &given))
		return c->err;
	if (given)
		f->offset = (*page - 1) * f->limit;
	*page = f->offset / f->limit + 1;
	return 0;
}

/* name=value&, the value percent-encoded. */
static void qs_add(struct buf *b, const char *name, const char *v)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!v || !*v)
		return;
	buf_printf(b, "%s%s=", b->len ? "&" : "", name);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			buf_putc(b, (char)*p);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

static const char *const sort_keys[CASE_SORT_N] = {NULL, "name", "week", "reassessment", "deadline",
						  "status"};

/* "/cases?filters&sort=..&order=..&page=.." (arena); sort < 0 keeps none. */
static const char *list_href(struct web_ctx *c, const struct case_filter *f, int sort, bool desc,
			     long page)
{
	struct buf b;
	buf_init(&b, QS_MAX);
	qs_add(&b, "q", f->q);
	qs_add(&b, "status", f->status);
	if (f->team)
		qs_add(&b, "team", arena_printf(c->a, "%lld", (long long)f->team));
	if (f->overdue)
		qs_add(&b, "overdue", "1");
	if (f->reassess_days >= 0)
		qs_add(&b, "reassessment_within", arena_printf(c->a, "%d", f->reassess_days));
	if (sort > 0) {
		qs_add(&b, "sort", sort_keys[sort]);
		qs_add(&b, "order", desc ? "desc" : "asc");
	}
	if (page > 1)
		qs_add(&b, "page", arena_printf(c->a, "%ld", page));
	const char *h = arena_printf(c->a, "/cases%s%s", b.len ? "?" : "", b.data);
	buf_release(&b);
	return h;
}

/* The sortable column headers: each links to its sort, the current one
 * to the other order, with aria-sort. */
static json_t *list_columns(struct web_ctx *c, const struct case_filter *f)
{
	static const char *const labels[CASE_SORT_N] = {
	    NULL,
	    N_("cases.field.name"),
	    N_("cases.field.sick_leave_week"),
	    N_("cases.field.reassessment"),
	    N_("cases.field.next_deadline"),
	    N_("cases.field.status"),
	};
	json_t *cols = json_object();
	for (int i = 1; i < CASE_SORT_N; i++) {
		bool cur = (int)f->sort == i;
		json_object_set_new(
		    cols, sort_keys[i],
		    json_pack("{s:s, s:s, s:s?}", "label", web_t(c, labels[i]), "href",
			      list_href(c, f, i, cur && !f->desc, 1), "aria_sort",
			      cur ? (f->desc ? "descending" : "ascending") : NULL));
	}
	return cols;
}

static json_t *team_choices(struct web_ctx *c, int64_t chosen)
{
	json_t *teams = NULL;
	if (team_mine_json(c->db, c->actor->id, clock_today(), &teams))
		return json_array();
	size_t i;
	json_t *t;
	json_array_foreach(teams, i, t)
		json_object_set_new(t, "selected",
				    json_boolean(json_integer_value(json_object_get(t, "id")) == chosen));
	return teams;
}

static void list_page(struct web_ctx *c, json_t *m, const struct case_filter *f, long page)
{
	long total = (long)json_integer_value(json_object_get(m, "total"));
	json_object_set_new(m, "q", json_string(f->q ? f->q : ""));
	json_object_set_new(m, "status_open", json_boolean(str_eq(f->status, "open")));
	json_object_set_new(m, "status_closed", json_boolean(str_eq(f->status, "closed")));
	json_object_set_new(m, "overdue_only", json_boolean(f->overdue));
	if (f->reassess_days >= 0)
		json_object_set_new(m, "reassessment_within", json_integer(f->reassess_days));
	json_object_set_new(m, "teams", team_choices(c, f->team));
	json_object_set_new(m, "has_teams", json_boolean(json_array_size(json_object_get(m, "teams")) > 1));
	json_object_set_new(m, "may_refer", json_boolean(case_referrer_check(c->actor) == 0));
	json_object_set_new(m, "col", list_columns(c, f));
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(m, "cases"), i, r)
		json_object_set_new(r, "status_label",
				    json_string(web_t(c, str_eq(json_string_value(json_object_get(r, "status")), "open")
							       ? N_("cases.status.open")
							       : N_("cases.status.closed"))));
	json_object_set_new(m, "empty", json_boolean(json_array_size(json_object_get(m, "cases")) == 0));
	if (page > 1)
		json_object_set_new(m, "prev_href", json_string(list_href(c, f, (int)f->sort, f->desc, page - 1)));
	if (f->offset + f->limit < total)
		json_object_set_new(m, "next_href", json_string(list_href(c, f, (int)f->sort, f->desc, page + 1)));
}

int h_cases_list(struct web_ctx *c)
{
	struct case_filter f = {0};
	long page = 1;
	c->template = "cases/list";
	c->title_key = N_("cases.list.title");
	int rc = list_filter(c, &f, &page);
	if (rc)
		return rc;
	json_t *m;
	if ((rc = store_begin_read(c->db)))
		return rc;
	rc = case_list_json(c->db, c->actor, &f, clock_today(), &m);
	if (!rc) {
		long total = (long)json_integer_value(json_object_get(m, "total"));
		json_object_set_new(m, "page", json_integer(page));
		json_object_set_new(m, "pages",
				    json_integer(total ? (total + f.limit - 1) / f.limit : 1));
		if (!c->want_json)
			list_page(c, m, &f, page);
	}
	store_commit(c->db);
	if (rc)
		return rc;
	web_set_model(c, m);
	return 0;
}
