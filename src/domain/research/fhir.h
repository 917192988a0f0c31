/* fhir.h: a case as a FHIR R4 Bundle of type collection (DESIGN.md
 * section 9): Patient (the CPR number as an identifier with the Danish CPR
 * system urn:oid:1.2.208.176.1.2), EpisodeOfCare, CareTeam, Practitioner
 * and Organization for the people and sectors it names, Goal and one
 * CarePlan per plan version with a Provenance each, Appointment per meeting
 * and Encounter per held meeting, Consent, and AuditEvent for the access
 * log. Every reference is the fullUrl (urn:uuid:...) of an entry of the
 * same Bundle.
 *
 * The caller says what the actor may read (the web layer asks the policy
 * through the gate); only that goes in. Nothing here decides access. */
#ifndef IBBIS_FHIR_H
#define IBBIS_FHIR_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct arena;
struct store_conn;

#define FHIR_CPR_SYSTEM "urn:oid:1.2.208.176.1.2"
#define FHIR_AUDIT_MAX 500 /* the newest access-log entries in a Bundle */

struct fhir_scope {
	bool joint;    /* goals, plan versions, roundtables and follow-ups */
	bool clinical; /* therapy sessions */
	bool audit;    /* the access log */
};

/* The Bundle of case_id. ERR_NOT_FOUND for no case. Call inside a read
 * transaction. *out: caller decrefs. */
int fhir_case_bundle(struct store_conn *c, struct arena *a, int64_t case_id,
		     const struct fhir_scope *scope, int64_t now, json_t **out);

#endif
