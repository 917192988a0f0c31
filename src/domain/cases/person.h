/* person.h: what the service user's own pages read that no other module
 * offers yet: which case is "mine", and who is who in it.
 *
 * Read-only. Access is the caller's (web/gate.h): these functions only
 * find rows. */
#ifndef IBBIS_PERSON_H
#define IBBIS_PERSON_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct store_conn;

struct person_case {
	int64_t case_id;
	bool open;
	const char *name;    /* arena: the person's name on the case */
	int64_t cm_id;	     /* 0 when none */
	const char *cm_name; /* arena or NULL */
	const char *cm_org;  /* arena or NULL */
	int64_t ec_id;	     /* 0 when none */
	const char *ec_name; /* arena or NULL */
	const char *ec_org;  /* arena or NULL */
};

/* The person's case: the open one whose person_id is person_id (the newest
 * if there are several), else the latest closed one. ERR_NOT_FOUND when the
 * person has no case at all. */
int person_my_case(struct store_conn *c, int64_t person_id, struct arena *a,
		   struct person_case *out);

#endif
