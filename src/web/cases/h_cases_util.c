/* h_cases_util.c: what the cases module's handlers share (h_cases_int.h). */
#include "base/err.h"
#include "view/i18n.h"
#include "web/cases/h_cases_int.h"
#include "web/web.h"

int cases_fail(struct web_ctx *c, int rc, const struct field_err *fe)
{
	if (rc == ERR_NOT_FOUND)
		return web_fail(c, rc, NULL, N_("error.case_not_found"));
	if ((rc == ERR_INVALID || rc == ERR_CONFLICT) && fe && fe->key)
		return web_fail(c, rc, fe->field, fe->key);
	if (rc == ERR_CONFLICT)
		return web_fail(c, rc, NULL, N_("cases.err.closed"));
	return rc;
}
