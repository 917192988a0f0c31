/* fhir.c: a case as a FHIR R4 Bundle (fhir.h). Code systems are FHIR's
 * own where one exists: v3-ActCode (encounter class, consent policy),
 * consentscope, LOINC (consent category), v3-ParticipationType, DICOM
 * audit event types, the audit-event action codes. */
#include "domain/research/fhir.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "domain/cases/cpr.h"
#include "store/store.h"

#define V3_ACTCODE "http://terminology.hl7.org/CodeSystem/v3-ActCode"

struct fb {
	struct store_conn *c;
	struct arena *a;
	json_t *entries;
	int64_t case_id, person_id;
	const char *patient; /* arena: the Patient's fullUrl */
	int64_t *people;     /* arena: practitioners referred to */
	size_t npeople, cappeople;
};

/* A stable urn:uuid for "Type/id" (BLAKE2b, formatted as a version 4 UUID). */
static const char *full_url(struct arena *a, const char *type, const char *id)
{
	char in[128];
	unsigned char h[16];
	str_fmt(in, sizeof in, "%s/%s", type, id);
	crypto_generichash(h, sizeof h, (const unsigned char *)in, strlen(in), NULL, 0);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x40);
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	char hex[33];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return arena_printf(a, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
			    hex + 16, hex + 20);
}

static const char *practitioner_id(struct arena *a, int64_t uid)
{
	return arena_printf(a, "practitioner-%lld", (long long)uid);
}

/* A reference to a person: the Patient, or a Practitioner added at the end. */
static json_t *person_ref(struct fb *b, int64_t uid)
{
	if (uid == b->person_id)
		return json_pack("{s:s}", "reference", b->patient);
	bool seen = false;
	for (size_t i = 0; i < b->npeople && !seen; i++)
		seen = b->people[i] == uid;
	if (!seen) {
		ARENA_RESERVE(b->a, b->people, b->npeople, b->cappeople);
		b->people[b->npeople++] = uid;
	}
	return json_pack("{s:s}", "reference",
			 full_url(b->a, "Practitioner", practitioner_id(b->a, uid)));
}

static json_t *ref(struct fb *b, const char *type, const char *id)
{
	return json_pack("{s:s}", "reference", full_url(b->a, type, id));
}

/* Adds r (stolen) with its id and type; returns its fullUrl. */
static const char *add(struct fb *b, const char *type, const char *id, json_t *r)
{
	if (!r) { /* a json_pack format out of step with its arguments: a bug */
		log_error("fhir: %s/%s could not be built", type, id);
		abort();
	}
	json_object_set_new(r, "resourceType", json_string(type));
	json_object_set_new(r, "id", json_string(id));
	const char *url = full_url(b->a, type, id);
	json_array_append_new(b->entries, json_pack("{s:s, s:o}", "fullUrl", url, "resource", r));
	return url;
}

static char *instant(struct arena *a, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];
	gmtime_r(&tt, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(a, s);
}

static json_t *coding(const char *system, const char *code, const char *display)
{
	return display ? json_pack("{s:s, s:s, s:s}", "system", system, "code", code, "display",
				   display)
		       : json_pack("{s:s, s:s}", "system", system, "code", code);
}

static json_t *concept(const char *system, const char *code, const char *display)
{
	return json_pack("{s:[o]}", "coding", coding(system, code, display));
}

struct case_row {
	const char *name, *cpr, *referred_on, *outcome_on, *team;
	bool open;
	int64_t cm, ec;
};

static int read_case(struct fb *b, struct case_row *r)
{
	struct store_stmt *st;
	int rc = store_prepare(b->c,
			       "SELECT c.person_id, c.name, c.cpr, c.referred_on, c.outcome_on, "
			       "c.status, t.name, c.care_manager_id, c.employment_consultant_id "
			       "FROM cases c JOIN teams t ON t.id = c.team_id WHERE c.id = $1",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, b->case_id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	b->person_id = store_col_int64(st, 0);
	r->name = store_col_strdup(st, 1, b->a);
	r->cpr = store_col_strdup(st, 2, b->a);
	r->referred_on = store_col_strdup(st, 3, b->a);
	r->outcome_on = store_col_strdup(st, 4, b->a);
	r->open = str_eq(store_col_text(st, 5, NULL), "open");
	r->team = store_col_strdup(st, 6, b->a);
	r->cm = store_col_is_null(st, 7) ? 0 : store_col_int64(st, 7);
	r->ec = store_col_is_null(st, 8) ? 0 : store_col_int64(st, 8);
	store_reset(st);
	return 0;
}

static void add_core(struct fb *b, const struct case_row *r)
{
	const char *pid = arena_printf(b->a, "person-%lld", (long long)b->person_id);
	b->patient = full_url(b->a, "Patient", pid);
	json_t *patient =
		json_pack("{s:[{s:s, s:s}], s:b, s:[{s:s}]}", "identifier", "system", FHIR_CPR_SYSTEM,
			  "value", r->cpr, "active", 1, "name", "text", r->name);
	/* Gender and birth date as the CPR number encodes them (its reader
	 * already sees the number, so they reveal nothing more). */
	char digits[CPR_LEN], born[DATE_STR_LEN];
	day_t birth;
	if (patient && cpr_parse(r->cpr, digits, &birth) == 0) {
		date_format(birth, born);
		json_object_set_new(patient, "gender",
				    json_string(cpr_sex(digits) == CPR_MALE ? "male" : "female"));
		json_object_set_new(patient, "birthDate", json_string(born));
	}
	add(b, "Patient", pid, patient);
	const char *cid = arena_printf(b->a, "case-%lld", (long long)b->case_id);
	json_t *team = json_array();
	json_array_append_new(team, json_pack("{s:[{s:s}], s:o}", "role", "text", "service_user",
					      "member", person_ref(b, b->person_id)));
	if (r->cm)
		json_array_append_new(team, json_pack("{s:[{s:s}], s:o}", "role", "text",
						      "care_manager", "member", person_ref(b, r->cm)));
	if (r->ec)
		json_array_append_new(team, json_pack("{s:[{s:s}], s:o}", "role", "text",
						      "employment_consultant", "member",
						      person_ref(b, r->ec)));
	add(b, "CareTeam", cid,
	    json_pack("{s:s, s:s, s:{s:s}, s:o}", "status", r->open ? "active" : "inactive", "name",
		      r->team, "subject", "reference", b->patient, "participant", team));
	json_t *period = json_pack("{s:s}", "start", r->referred_on);
	if (r->outcome_on && *r->outcome_on)
		json_object_set_new(period, "end", json_string(r->outcome_on));
	json_t *ep = json_pack("{s:s, s:[{s:s}], s:{s:s}, s:o, s:[o]}", "status",
			       r->open ? "active" : "finished", "type", "text",
			       "IBBIS: integrated mental-health care and return to work",
			       "patient", "reference", b->patient, "period", period, "team",
			       ref(b, "CareTeam", cid));
	if (r->cm)
		json_object_set_new(ep, "careManager", person_ref(b, r->cm));
	add(b, "EpisodeOfCare", cid, ep);
}

static const char *goal_status(const char *s)
{
	return str_eq(s, "reached") ? "completed" : str_eq(s, "dropped") ? "cancelled" : "active";
}

static int add_goals(struct fb *b, json_t *goal_refs)
{
	struct store_stmt *st;
	int rc = store_prepare(b->c,
			       "SELECT id, text, status, created_by, created_at FROM goals "
			       "WHERE case_id = $1 ORDER BY id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, b->case_id);
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *id = arena_printf(b->a, "goal-%lld", (long long)store_col_int64(st, 0));
		char *on = instant(b->a, store_col_int64(st, 4));
		on[10] = '\0';
		add(b, "Goal", id,
		    json_pack("{s:s, s:{s:s}, s:{s:s}, s:o, s:s}", "lifecycleStatus",
			      goal_status(store_col_text(st, 2, NULL)), "description", "text",
			      store_col_text(st, 1, NULL), "subject", "reference", b->patient,
			      "expressedBy", person_ref(b, store_col_int64(st, 3)), "startDate", on));
		json_array_append_new(goal_refs, ref(b, "Goal", id));
	}
	return rc < 0 ? rc : 0;
}

static const char *step_status(const char *s)
{
	return str_eq(s, "in_progress") ? "in-progress"
	       : str_eq(s, "done")	? "completed"
	       : str_eq(s, "dropped")	? "cancelled"
					: "scheduled";
}

static int plan_activities(struct fb *b, int64_t version_id, json_t *acts)
{
	struct store_stmt *st;
	int rc = store_prepare(b->c,
			       "SELECT kind, text, status, due, responsible_id FROM plan_steps "
			       "WHERE plan_version_id = $1 ORDER BY position",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, version_id);
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *d = json_pack("{s:{s:s}, s:s, s:s}", "code", "text",
				      store_col_text(st, 0, NULL), "status",
				      step_status(store_col_text(st, 2, NULL)), "description",
				      store_col_text(st, 1, NULL));
		if (!store_col_is_null(st, 3))
			json_object_set_new(d, "scheduledString",
					    json_sprintf("due %s", store_col_text(st, 3, NULL)));
		if (!store_col_is_null(st, 4))
			json_object_set_new(d, "performer",
					    json_pack("[o]", person_ref(b, store_col_int64(st, 4))));
		json_array_append_new(acts, json_pack("{s:o}", "detail", d));
	}
	return rc < 0 ? rc : 0;
}

/* One CarePlan per version (the newest active, older ones revoked), each
 * with the Provenance of who saved it and when. */
static int add_plans(struct fb *b, json_t *goal_refs, bool open)
{
	struct store_stmt *st;
	int rc = store_prepare(b->c,
			       "SELECT id, version, author_id, created_at FROM plan_versions "
			       "WHERE case_id = $1 ORDER BY version DESC",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, b->case_id);
	struct pv {
		int64_t id, version, author, at;
	} *v = NULL;
	size_t n = 0, cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		ARENA_RESERVE(b->a, v, n, cap);
		v[n++] = (struct pv){store_col_int64(st, 0), store_col_int64(st, 1),
				     store_col_int64(st, 2), store_col_int64(st, 3)};
	}
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		json_t *acts = json_array();
		rc = plan_activities(b, v[i].id, acts);
		const char *id = arena_printf(b->a, "careplan-%lld-v%lld", (long long)b->case_id,
					      (long long)v[i].version);
		const char *when = instant(b->a, v[i].at);
		json_t *cp = json_pack(
			"{s:s, s:s, s:s, s:{s:s}, s:s, s:o, s:O, s:o}", "status",
			i ? "revoked" : open ? "active" : "completed", "intent", "plan", "title",
			arena_printf(b->a, "Plan, version %lld", (long long)v[i].version), "subject",
			"reference", b->patient, "created", when, "author",
			person_ref(b, v[i].author), "goal", goal_refs, "activity", acts);
		if (!json_array_size(acts))
			json_object_del(cp, "activity");
		if (!json_array_size(goal_refs))
			json_object_del(cp, "goal");
		const char *url = add(b, "CarePlan", id, cp);
		add(b, "Provenance", arena_printf(b->a, "provenance-plan-%lld", (long long)v[i].id),
		    json_pack("{s:[{s:s}], s:s, s:{s:[o]}, s:[{s:{s:[o]}, s:o}]}", "target",
			      "reference", url, "recorded", when, "activity", "coding",
			      coding("http://terminology.hl7.org/CodeSystem/v3-DataOperation",
				     v[i].version == 1 ? "CREATE" : "UPDATE", NULL),
			      "agent", "type", "coding",
			      coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type",
				     "author", "Author"),
			      "who", person_ref(b, v[i].author)));
	}
	return rc < 0 ? rc : 0;
}

static const char *appointment_status(const char *s)
{
	return str_eq(s, "held")	       ? "fulfilled"
	       : str_eq(s, "no_show")	       ? "noshow"
	       : str_eq(s, "cancelled")	       ? "cancelled"
	       : str_eq(s, "late_cancellation") ? "cancelled"
						: "booked";
}

static int meeting_people(struct fb *b, int64_t mid, json_t *appt_people, json_t *enc_people)
{
	struct store_stmt *st;
	int rc = store_prepare(b->c,
			       "SELECT user_id FROM meeting_participants WHERE meeting_id = $1 "
			       "ORDER BY user_id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, mid);
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t uid = store_col_int64(st, 0);
		json_array_append_new(appt_people, json_pack("{s:o, s:s, s:s}", "actor",
							     person_ref(b, uid), "required", "required",
							     "status", "accepted"));
		if (uid != b->person_id)
			json_array_append_new(enc_people,
					      json_pack("{s:o}", "individual", person_ref(b, uid)));
	}
	return rc < 0 ? rc : 0;
}

struct mrow {
	int64_t id, start, end;
	const char *kind, *status, *mode;
};

static int add_meeting(struct fb *b, const struct mrow *m)
{
	json_t *people = json_array(), *enc_people = json_array();
	int rc = meeting_people(b, m->id, people, enc_people);
	if (!json_array_size(people)) /* Appointment needs one participant */
		json_array_append_new(people, json_pack("{s:o, s:s}", "actor",
							json_pack("{s:s}", "reference", b->patient),
							"status", "accepted"));
	const char *id = arena_printf(b->a, "meeting-%lld", (long long)m->id);
	const char *start = instant(b->a, m->start), *end = instant(b->a, m->end);
	const char *url = add(
		b, "Appointment", id,
		json_pack("{s:s, s:[{s:s}], s:s, s:s, s:s, s:o}", "status",
			  appointment_status(m->status), "serviceType", "text", m->kind,
			  "description", m->kind, "start", start, "end", end, "participant", people));
	if (!str_eq(m->status, "held")) {
		json_decref(enc_people);
		return rc;
	}
	bool in_person = str_eq(m->mode, "in_person");
	json_t *enc = json_pack(
		"{s:s, s:o, s:[{s:s}], s:{s:s}, s:{s:s, s:s}, s:[{s:s}]}", "status", "finished",
		"class", coding(V3_ACTCODE, in_person ? "AMB" : "VR", in_person ? "ambulatory" : "virtual"),
		"type", "text", m->kind, "subject", "reference", b->patient, "period", "start", start,
		"end", end, "appointment", "reference", url);
	if (json_array_size(enc_people))
		json_object_set_new(enc, "participant", enc_people);
	else
		json_decref(enc_people);
	json_object_set_new(enc, "episodeOfCare",
			    json_pack("[o]", ref(b, "EpisodeOfCare",
						 arena_printf(b->a, "case-%lld",
							      (long long)b->case_id))));
	add(b, "Encounter", id, enc);
	return rc;
}

static int add_meetings(struct fb *b, const struct fhir_scope *sc)
{
	struct store_stmt *st;
	int rc = store_prepare(b->c,
			       "SELECT id, kind, starts_at, ends_at, status, mode FROM meetings "
			       "WHERE case_id = $1 ORDER BY starts_at, id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, b->case_id);
	struct mrow *m = NULL;
	size_t n = 0, cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *kind = store_col_text(st, 1, NULL);
		bool therapy = str_eq(kind, "therapy");
		if (therapy ? !sc->clinical : !sc->joint)
			continue;
		ARENA_RESERVE(b->a, m, n, cap);
		m[n++] = (struct mrow){store_col_int64(st, 0),
				       store_col_int64(st, 2),
				       store_col_int64(st, 3),
				       arena_strdup(b->a, kind),
				       store_col_strdup(st, 4, b->a),
				       store_col_strdup(st, 5, b->a)};
	}
	for (size_t i = 0; rc >= 0 && i < n; i++)
		rc = add_meeting(b, &m[i]);
	return rc < 0 ? rc : 0;
}

/* The organisation of a user (for the receiving side of a consent); its
 * Organization resource is added once. NULL when none. */
static json_t *org_of(struct fb *b, int64_t uid)
{
	struct store_stmt *st;
	if (!uid || store_prepare(b->c,
				  "SELECT o.id, o.name, o.kind FROM users u JOIN organisations o "
				  "ON o.id = u.organisation_id WHERE u.id = $1",
				  &st))
		return NULL;
	store_bind_int64(st, 1, uid);
	if (store_step(st) != STORE_ROW)
		return NULL;
	const char *id = arena_printf(b->a, "org-%lld", (long long)store_col_int64(st, 0));
	const char *url = full_url(b->a, "Organization", id);
	bool seen = false;
	for (size_t i = 0; i < json_array_size(b->entries) && !seen; i++)
		seen = str_eq(json_string_value(json_object_get(json_array_get(b->entries, i),
								 "fullUrl")),
			      url);
	if (!seen)
		add(b, "Organization", id,
		    json_pack("{s:b, s:s, s:[{s:s}]}", "active", 1, "name",
			      store_col_text(st, 1, NULL), "type", "text",
			      store_col_text(st, 2, NULL)));
	store_reset(st);
	return json_pack("{s:s}", "reference", url);
}

/* Each direction's consent record, newest first: the newest one of a
 * direction is active when it grants, inactive otherwise. */
static int add_consents(struct fb *b, const struct case_row *r)
{
	struct store_stmt *st;
	int rc = store_prepare(b->c,
			       "SELECT id, direction, granted, at FROM consents WHERE case_id = $1 "
			       "ORDER BY id DESC",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, b->case_id);
	struct crow {
		int64_t id, at;
		bool to_jobcentre, granted;
	} *v = NULL;
	size_t n = 0, cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		ARENA_RESERVE(b->a, v, n, cap);
		v[n++] = (struct crow){store_col_int64(st, 0), store_col_int64(st, 3),
				       str_eq(store_col_text(st, 1, NULL), "health_to_jobcentre"),
				       store_col_int64(st, 2) != 0};
	}
	bool seen[2] = {false, false};
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		bool newest = !seen[v[i].to_jobcentre];
		seen[v[i].to_jobcentre] = true;
		json_t *prov = json_pack("{s:s}", "type", v[i].granted ? "permit" : "deny");
		json_t *to = org_of(b, v[i].to_jobcentre ? r->ec : r->cm);
		if (to)
			json_object_set_new(
				prov, "actor",
				json_pack("[{s:o, s:o}]", "role",
					  concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
						  "IRCP", "information recipient"),
					  "reference", to));
		add(b, "Consent", arena_printf(b->a, "consent-%lld", (long long)v[i].id),
		    json_pack("{s:s, s:o, s:[o], s:{s:s}, s:s, s:o, s:o}", "status",
			      newest && v[i].granted ? "active" : "inactive", "scope",
			      concept("http://terminology.hl7.org/CodeSystem/consentscope",
				      "patient-privacy", "Privacy Consent"),
			      "category", concept("http://loinc.org", "59284-0", "Consent Document"),
			      "patient", "reference", b->patient, "dateTime", instant(b->a, v[i].at),
			      "policyRule",
			      concept(V3_ACTCODE, v[i].granted ? "OPTIN" : "OPTOUT", NULL),
			      "provision", prov));
	}
	return rc < 0 ? rc : 0;
}

static const char *audit_action(const char *a)
{
	return str_eq(a, "viewed") || str_eq(a, "read") ? "R"
	       : str_eq(a, "create")			 ? "C"
	       : str_eq(a, "update")			 ? "U"
							 : "E";
}

static const char *interaction(const char *action)
{
	return str_eq(action, "R")   ? "read"
	       : str_eq(action, "C") ? "create"
	       : str_eq(action, "U") ? "update"
				     : "operation";
}

static int add_audit(struct fb *b)
{
	struct store_stmt *st;
	int rc = store_prepare(b->c,
			       "SELECT id, at, actor_name, actor_role, category, action, purpose "
			       "FROM audit_log WHERE case_id = $1 ORDER BY id DESC LIMIT $2",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, b->case_id);
	store_bind_int64(st, 2, FHIR_AUDIT_MAX);
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *agent = json_pack("{s:{s:s}, s:b, s:[{s:s}]}", "who", "display",
					  store_col_text(st, 2, NULL), "requestor", 1, "role", "text",
					  store_col_text(st, 3, NULL));
		json_t *ev = json_pack(
			"{s:o, s:[o], s:s, s:s, s:s, s:[o], s:{s:{s:s}}, s:[{s:{s:s}, s:s}]}", "type",
			coding("http://dicom.nema.org/resources/ontology/DCM", "110110",
			       "Patient Record"),
			"subtype",
			coding("http://hl7.org/fhir/restful-interaction",
			       interaction(audit_action(store_col_text(st, 5, NULL))), NULL),
			"action", audit_action(store_col_text(st, 5, NULL)), "recorded",
			instant(b->a, store_col_int64(st, 1)), "outcome", "0", "agent", agent,
			"source", "observer", "display", "IBBIS", "entity", "what", "reference",
			b->patient, "name", store_col_text(st, 4, NULL));
		const char *purpose = store_col_text(st, 6, NULL);
		if (purpose && *purpose)
			json_object_set_new(ev, "purposeOfEvent",
					    json_pack("[{s:s}]", "text", purpose));
		add(b, "AuditEvent", arena_printf(b->a, "audit-%lld", (long long)store_col_int64(st, 0)),
		    ev);
	}
	return rc < 0 ? rc : 0;
}

/* The Practitioners referred to so far, with their organisation's name. */
static int add_practitioners(struct fb *b)
{
	struct store_stmt *st;
	int rc = store_prepare(b->c,
			       "SELECT u.name, u.role, o.name FROM users u LEFT JOIN organisations o "
			       "ON o.id = u.organisation_id WHERE u.id = $1",
			       &st);
	for (size_t i = 0; !rc && i < b->npeople; i++) {
		store_bind_int64(st, 1, b->people[i]);
		rc = store_step(st);
		if (rc != STORE_ROW) {
			rc = rc < 0 ? rc : ERR_DB;
			break;
		}
		json_t *p = json_pack("{s:b, s:[{s:s}]}", "active", 1, "name", "text",
				      store_col_text(st, 0, NULL));
		json_t *q = json_pack("[{s:{s:s}}]", "code", "text", store_col_text(st, 1, NULL));
		if (!store_col_is_null(st, 2))
			json_object_set_new(json_array_get(q, 0), "issuer",
					    json_pack("{s:s}", "display", store_col_text(st, 2, NULL)));
		json_object_set_new(p, "qualification", q);
		store_reset(st);
		add(b, "Practitioner", practitioner_id(b->a, b->people[i]), p);
		rc = 0;
	}
	return rc;
}

int fhir_case_bundle(struct store_conn *c, struct arena *a, int64_t case_id,
		     const struct fhir_scope *scope, int64_t now, json_t **out)
{
	struct fb b = {.c = c, .a = a, .entries = json_array(), .case_id = case_id};
	struct case_row r;
	json_t *goals = json_array();
	int rc = read_case(&b, &r);
	if (!rc) {
		add_core(&b, &r);
		rc = add_consents(&b, &r);
	}
	if (!rc && scope->joint && !(rc = add_goals(&b, goals)))
		rc = add_plans(&b, goals, r.open);
	if (!rc)
		rc = add_meetings(&b, scope);
	if (!rc && scope->audit)
		rc = add_audit(&b);
	if (!rc)
		rc = add_practitioners(&b);
	json_decref(goals);
	if (rc) {
		json_decref(b.entries);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:o}", "resourceType", "Bundle", "type",
			 "collection", "identifier", "system", "urn:ietf:rfc:3986", "value",
			 full_url(a, "Bundle", arena_printf(a, "case-%lld-%lld", (long long)case_id,
							    (long long)now)),
			 "timestamp", instant(a, now), "entry", b.entries);
	return *out ? 0 : ERR_INTERNAL;
}
