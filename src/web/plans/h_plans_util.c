/* h_plans_util.c: what the plans module's handlers share (h_plans_int.h). */
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "domain/accounts/account.h"
#include "domain/plans/goal.h"
#include "domain/plans/plan.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/h_form_int.h"
#include "web/plans/h_plans_int.h"
#include "web/web.h"

json_t *plans_user_json(int64_t id, const char *name)
{
	if (!id)
		return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name ? name : "");
}

json_t *plans_time_json(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];
	if (!gmtime_r(&tt, &tm) || !strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return json_null();
	return json_string(s);
}

json_t *plans_day_json(int64_t t)
{
	char day[DATE_STR_LEN];
	date_format(clock_dk_day(t), day);
	return json_string(day);
}

bool plans_json_id(json_t *v, int64_t *out)
{
	long l;
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) <= 0x7fffffffffffLL) {
		*out = json_integer_value(v);
		return true;
	}
	if (json_is_string(v) && !str_to_long(json_string_value(v), 1, 0x7fffffffL, &l)) {
		*out = l;
		return true;
	}
	return false;
}

int plans_open_read(struct web_ctx *c, struct gate *g, int64_t case_id,
		    enum policy_category cat, const char *item)
{
	int rc = gate_open_id(c, case_id, g);
	if (!rc)
		rc = gate_allow(c, g, POLICY_CORE, POLICY_READ, "case");
	if (!rc)
		rc = gate_allow(c, g, cat, POLICY_READ, item);
	if (rc)
		return rc;
	gate_viewed(c, g);
	const char *name = "";
	rc = plan_case_name(c->db, case_id, c->a, &name);
	if (rc)
		return rc;
	web_model_merge(c, json_pack("{s:{s:I, s:s}}", "case", "id", (json_int_t)case_id,
				       "name", name));
	return 0;
}

bool plans_may(struct gate *g, enum policy_action act, bool author)
{
	struct policy_item it = {.category = POLICY_JOINT, .actor_is_author = author};
	return gate_may_item(g, act, &it);
}

int plans_allow(struct web_ctx *c, struct gate *g, enum policy_action act, bool author,
		const char *item)
{
	struct policy_item it = {.category = POLICY_JOINT, .actor_is_author = author};
	return gate_allow_item(c, g, act, &it, item);
}
