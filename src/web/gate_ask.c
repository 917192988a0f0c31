/* gate_ask.c: the one place in the web layer that asks the policy
 * (policy_check, policy_explain). Every question a handler puts goes
 * through gate_ask, which first checks that the request's route declares
 * the category asked (the `policy` list of its row in the route table). A
 * handler that asks about anything else is a bug: the question is refused
 * (never put to the policy) and logged, and with IBBIS_STRICT_ACCESS=1
 * (the tests) the dispatcher answers 500 (docs/policy.md, "How a route declares
 * its access"). scripts/lint.sh allows policy_check and policy_explain
 * nowhere else in src/web. */
#include "web/gate.h"

#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "http/http.h"
#include "web/web.h"

/* The n-th name of a comma-separated list; false past its end. */
static bool list_item(const char *list, int n, const char **at, size_t *len)
{
	const char *p = list;
	for (int i = 0; p && *p; i++) {
		size_t l = strcspn(p, ",");
		if (i == n) {
			*at = p;
			*len = l;
			return true;
		}
		p += l + (p[l] == ',');
	}
	return false;
}

bool route_declares(const struct route *r, enum policy_category cat)
{
	if (!r || !r->policy || (int)cat <= POLICY_CATEGORY_INVALID ||
	    (int)cat >= POLICY_CATEGORY_COUNT)
		return false;
	const char *name = policy_category_name(cat);
	size_t nlen = strlen(name);
	const char *at;
	size_t len;
	for (int i = 0; list_item(r->policy, i, &at, &len); i++)
		if (len == nlen && memcmp(at, name, len) == 0)
			return true;
	return false;
}

int route_declared(const struct route *r, int n, enum policy_category *out)
{
	const char *at;
	size_t len;
	if (!r || !r->policy || !list_item(r->policy, n, &at, &len))
		return ERR_NOT_FOUND;
	char name[32];
	if (len == 0 || len >= sizeof name)
		return ERR_INVALID;
	memcpy(name, at, len);
	name[len] = '\0';
	return policy_category_parse(name, out);
}

int gate_ask(struct web_ctx *c, const struct policy_actor *pa, enum policy_action act,
	     const struct policy_item *it, enum policy_reason *why)
{
	enum policy_reason dummy;
	if (!why)
		why = &dummy;
	const struct route *r = c ? c->match.route : NULL;
	if (!it || !route_declares(r, it->category)) {
		log_error("access: %s %s asked the policy about %s, which the route does not "
			  "declare (%s); refused",
			  c && c->req && c->req->method_str ? c->req->method_str : "-",
			  r ? r->pattern : "(no route)",
			  it ? policy_category_name(it->category) : "?",
			  r && r->policy ? r->policy : "nothing");
		if (c)
			c->undeclared_ask = true;
		*why = POLICY_R_INVALID;
		return ERR_FORBIDDEN;
	}
	return policy_explain(pa, act, it, why);
}
