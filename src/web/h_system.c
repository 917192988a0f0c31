/* h_system.c: health, home, and the test-only slow endpoint. */
#include <time.h>

#include "base/err.h"
#include "base/version.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/research/study.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/admin/h_admin.h"
#include "web/gate.h"
#include "web/handlers.h"
#include "web/insight/h_insight.h"
#include "web/web.h"

int h_healthz(struct web_ctx *c)
{
	bool ok = store_ping(c->app->store) == 0;
	c->model = json_pack("{s:s, s:s, s:{s:s, s:b}}", "status", ok ? "ok" : "unavailable",
			     "version", ibbis_version, "database", "backend",
			     store_backend_name(c->app->store), "ok", ok);
	c->want_json = true; /* a machine's endpoint */
	c->status = ok ? 200 : 503;
	return 0;
}

int h_home(struct web_ctx *c)
{
	/* The person's home is "Where I stand". */
	if (c->actor->role == ROLE_SERVICE_USER && !c->want_json) {
		c->redirect = "/my";
		return 0;
	}
	/* A care manager's, an employment consultant's or a supervisor's home is "My day". */
	if (gate_role_may(c, POLICY_STAFF_WORK, POLICY_READ))
		return h_day(c);
	/* The administrator's home says what they can do. */
	if (!c->want_json && gate_role_may(c, POLICY_ADMINISTRATION, POLICY_READ))
		return admin_home(c);
	c->model = json_pack("{s:s, s:s}", "name", c->actor->name, "role",
			     account_role_name(c->actor->role));
	json_object_set_new(c->model, "role_label",
			    json_string(web_t(c, arena_printf(c->a, "role.%s",
							      account_role_name(c->actor->role)))));
	if (c->actor->role == ROLE_RESEARCHER) {
		/* A researcher's home lists their studies. */
		json_t *studies;
		int rc = study_list_json(c->db, c->actor, &studies);
		for (size_t i = 0; !rc && i < json_array_size(studies); i++) {
			json_t *s = json_array_get(studies, i);
			json_object_set_new(s, "href",
					    json_sprintf("/studies/%lld",
							 (long long)json_integer_value(
								 json_object_get(s, "id"))));
		}
		json_object_set_new(c->model, "studies", studies);
		json_object_set_new(c->model, "researcher", json_true());
		if (rc)
			return rc;
	}
	hi_home_links(c);
	c->template = "home";
	c->title_key = N_("home.title");
	return 0;
}

/* Only with IBBIS_TEST_SLOW=1: asks the policy about the category named in
 * the path, on the actor's role alone, so a test can see the dispatcher
 * enforce the route's declaration (routes.c declares staff_work only):
 * {"allowed": bool} for staff_work, 500 for any other category. */
int h_test_ask(struct web_ctx *c)
{
	if (!c->app->test_endpoints)
		return web_fail(c, ERR_NOT_FOUND, NULL, NULL);
	enum policy_category cat;
	if (policy_category_parse(route_param(&c->match, "category"), &cat))
		return web_fail(c, ERR_NOT_FOUND, "category", NULL);
	bool allowed = gate_role_may(c, cat, POLICY_READ);
	c->model = json_pack("{s:b}", "allowed", allowed);
	c->want_json = true;
	return 0;
}

/* Only with IBBIS_TEST_SLOW=1: lets the shutdown test hold a request open. */
int h_test_slow(struct web_ctx *c)
{
	if (!c->app->test_endpoints)
		return web_fail(c, ERR_NOT_FOUND, NULL, NULL);
	long ms = 0;
	const char *q = web_query(c, "ms");
	if (!q || str_to_long(q, 0, 60000, &ms))
		return web_fail(c, ERR_INVALID, "ms", N_("error.invalid"));
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
	c->model = json_pack("{s:i}", "slept", (int)ms);
	c->want_json = true;
	return 0;
}
