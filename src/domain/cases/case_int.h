/* case_int.h: shared between the case_*.c files only. */
#ifndef IBBIS_CASE_INT_H
#define IBBIS_CASE_INT_H

#include <stdint.h>

struct store_conn;

/* "employee", "self_employed", "unemployed" (static), or NULL. */
const char *case_employment_static(const char *s);
/* One assignment row (a period of responsibility). */
int case_assignment_add(struct store_conn *c, int64_t case_id, const char *role, int64_t user,
			const char *from, const char *reason, int64_t by, int64_t now);

#endif
