/* audit_writer.c: queueing entries. Until the group-commit writer thread
 * is in, audit_record appends synchronously in its own transaction. */
#include "audit/audit.h"

#include "base/err.h"
#include "store/store.h"

int audit_start(struct store *s)
{
	(void)s;
	return 0;
}

void audit_stop(void)
{
}

int audit_flush(void)
{
	return 0;
}

int audit_record(struct store_conn *conn, const struct audit_entry *e)
{
	bool outer = store_in_transaction(conn);
	if (outer)
		return audit_append_now(conn, e);
	int rc = store_begin_write(conn);
	if (rc)
		return rc;
	rc = audit_append_now(conn, e);
	if (rc) {
		store_rollback(conn);
		return rc;
	}
	return store_commit(conn);
}
