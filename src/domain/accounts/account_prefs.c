/* account_prefs.c: settings a user changes from the pages. */
#include "domain/accounts/account_prefs.h"

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

int account_set_language(struct store_conn *c, int64_t user_id, const char *lang)
{
	if (!str_eq(lang, "en") && !str_eq(lang, "da"))
		return ERR_INVALID;
	struct store_stmt *st;
	int rc = store_prepare(c, "UPDATE users SET language = $1 WHERE id = $2", &st);
	if (rc)
		return rc;
	store_bind_str(st, 1, lang);
	store_bind_int64(st, 2, user_id);
	rc = store_step(st);
	store_reset(st);
	return rc < 0 ? rc : 0;
}
