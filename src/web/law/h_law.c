/* h_law.c: the pages the law asks for, linked from every page's footer: the
 * accessibility statement (/accessibility, in the form Danish public bodies
 * publish) and the privacy notice (/privacy, GDPR articles 13 and 14). Both
 * are public: someone deciding whether to log in may read them. The
 * controller's details come from serve's flags (--controller-name ...). */
#include "base/err.h"
#include "base/str.h"
#include "view/i18n.h"
#include "web/handlers.h"
#include "web/web.h"

/* The controller's details; a missing one is left out (the page says that
 * the authority has not filled them in). */
static json_t *controller_json(struct web_ctx *c)
{
	json_t *o = json_object();
	const char *names[] = {"name", "address", "email", "phone", "dpo_email"};
	const char *vals[] = {c->app->controller.name, c->app->controller.address,
			      c->app->controller.email, c->app->controller.phone,
			      c->app->controller.dpo_email};
	bool any = false;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (vals[i] && *vals[i]) {
			json_object_set_new(o, names[i], json_string(vals[i]));
			any = true;
		}
	json_object_set_new(o, "contact", json_boolean(json_object_get(o, "email") ||
						       json_object_get(o, "phone")));
	json_object_set_new(o, "set", json_boolean(any));
	return o;
}

static int law_page(struct web_ctx *c, const char *tpl, const char *title_key)
{
	c->model = json_pack("{s:o}", "controller", controller_json(c));
	c->template = tpl;
	c->title_key = title_key;
	return 0;
}

static int h_accessibility(struct web_ctx *c)
{
	return law_page(c, "law/accessibility", N_("law.a11y.title"));
}

static int h_privacy(struct web_ctx *c)
{
	return law_page(c, "law/privacy", N_("law.privacy.title"));
}

/* Browsers ask for /favicon.ico whatever the page links. */
static int h_favicon(struct web_ctx *c)
{
	c->want_json = false;
	c->redirect = "/static/favicon.svg";
	return 0;
}

const struct route routes_law[] = {
	{HTTP_GET, "/accessibility", h_accessibility, ROUTE_PUBLIC, NULL},
	{HTTP_GET, "/privacy", h_privacy, ROUTE_PUBLIC, NULL},
	{HTTP_GET, "/favicon.ico", h_favicon, ROUTE_PUBLIC, NULL},
};
const size_t routes_law_n = sizeof routes_law / sizeof routes_law[0];
