/* h_trust_util.c: helpers shared by the trust module's handlers. */
#include "web/trust/h_trust.h"

#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "domain/trust/accesslog.h"
#include "domain/trust/consent.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/field.h"
#include "web/web.h"

int trust_open(struct web_ctx *c, struct gate *g)
{
	int rc = gate_open(c, "id", g);
	if (rc)
		return rc;
	/* gate_open has already flagged a break-glass opening to the team. */
	return gate_allow(c, g, POLICY_CORE, POLICY_READ, "case");
}

const char *trust_day(struct web_ctx *c, int64_t at)
{
	char *s = arena_alloc(c->a, DATE_STR_LEN);
	date_format(clock_dk_day(at), s);
	return s;
}

const char *trust_when(struct web_ctx *c, int64_t at)
{
	int minute = clock_dk_local(at).minute;
	json_t *p = json_pack("{s:s, s:s}", "date", trust_day(c, at), "time",
			      arena_printf(c->a, "%02d:%02d", minute / 60, minute % 60));
	struct buf b;
	buf_init(&b, 1024);
	i18n_format(c->app->i18n, c->lang, N_("trust.when"), p, &b);
	json_decref(p);
	const char *s = arena_strdup(c->a, b.data);
	buf_release(&b);
	return s;
}

const char *trust_label(struct web_ctx *c, const char *group, const char *name)
{
	return web_t(c, arena_printf(c->a, "trust.%s.%s", group, name ? name : "none"));
}

const char *trust_path(struct web_ctx *c, int64_t case_id, const char *what)
{
	return arena_printf(c->a, "/cases/%lld/%s", (long long)case_id, what);
}

json_t *trust_person(int64_t id, const char *name)
{
	return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name ? name : "");
}

int trust_consent_write(struct web_ctx *c, int64_t case_id, const char *dir, bool granted,
			const char *purpose, int64_t *id)
{
	int rc = store_begin_write(c->db);
	if (rc == 0)
		rc = consent_record(c->db, case_id, dir, granted, granted && purpose ? purpose : "",
				    c->actor->id, clock_now(), id);
	if (rc == 0) {
		gate_audit(c, case_id, arena_printf(c->a, "consent:%lld", (long long)*id), "consent",
			   granted ? "consent_granted" : "consent_withdrawn");
		rc = store_commit(c->db);
	}
	return rc;
}

const char *trust_purpose_text(struct web_ctx *c, const char *stored)
{
	for (size_t i = 0; stored && i < consent_purposes_n; i++)
		if (str_eq(stored, consent_purposes[i].key))
			return trust_label(c, "purpose", stored);
	return stored ? stored : "";
}

json_t *trust_purpose_choices(struct web_ctx *c, const char *dir)
{
	json_t *a = json_array();
	for (size_t i = 0; i < consent_purposes_n; i++) {
		const char *k = consent_purposes[i].key;
		if (consent_purpose_key(dir, k))
			json_array_append_new(
			    a, json_pack("{s:s, s:s, s:s, s:b}", "value", k, "label",
					 trust_label(c, "purpose", k), "id",
					 arena_printf(c->a, "purpose-%s-%s", dir, k), "first",
					 json_array_size(a) == 0));
	}
	return a;
}

bool trust_withdraw_unconfirmed(struct web_ctx *c, json_t *in, const char *dir, bool granted)
{
	if (c->want_json || granted || str_eq(field_str(in, "confirm"), "yes"))
		return false;
	c->redirect = arena_printf(c->a, "/my/data/consents/%s/withdraw", dir);
	c->no_flash = true;
	return true;
}
