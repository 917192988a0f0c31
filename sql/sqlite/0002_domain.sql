-- 0002_domain.sql: the domain of DESIGN.md section 2.
-- Calendar dates are TEXT 'YYYY-MM-DD' (they compare correctly as text);
-- instants are unix seconds (INTEGER). Every table that holds case content
-- has a category column or a fixed category (see docs/schema.md).

CREATE TABLE sites (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	address TEXT NOT NULL DEFAULT ''
);

CREATE TABLE teams (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	site_id INTEGER REFERENCES sites (id),
	created_at INTEGER NOT NULL
);

-- A person in a team with a role and a part-time fraction, for a period.
CREATE TABLE memberships (
	id INTEGER PRIMARY KEY,
	team_id INTEGER NOT NULL REFERENCES teams (id),
	user_id INTEGER NOT NULL REFERENCES users (id),
	role TEXT NOT NULL CHECK (role IN ('care_manager', 'employment_consultant', 'supervisor')),
	fraction REAL NOT NULL DEFAULT 1.0 CHECK (fraction > 0 AND fraction <= 1),
	from_date TEXT NOT NULL,
	to_date TEXT,
	CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX memberships_team ON memberships (team_id);
CREATE INDEX memberships_user ON memberships (user_id);

-- One person's course in the intervention. person_id is the service user's
-- account, created at referral. The assigned CM and EC are the current ones;
-- assignments keeps the history.
CREATE TABLE cases (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES users (id),
	name TEXT NOT NULL,
	cpr TEXT NOT NULL,
	contact TEXT NOT NULL DEFAULT '',
	first_absence_day TEXT NOT NULL,
	employment TEXT NOT NULL DEFAULT 'employee'
		CHECK (employment IN ('employee', 'self_employed', 'unemployed')),
	team_id INTEGER NOT NULL REFERENCES teams (id),
	care_manager_id INTEGER REFERENCES users (id),
	employment_consultant_id INTEGER REFERENCES users (id),
	referred_by INTEGER REFERENCES users (id),
	referred_on TEXT NOT NULL,
	fast_track_requested TEXT,
	fast_track_refused INTEGER NOT NULL DEFAULT 0,
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	outcome_kind TEXT CHECK (outcome_kind IN ('returned_full', 'returned_partial',
		'returned_graded', 'other_benefit', 'education', 'ended_other')),
	outcome_on TEXT,
	outcome_note TEXT,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX cases_team ON cases (team_id, status);
CREATE INDEX cases_cm ON cases (care_manager_id, status);
CREATE INDEX cases_ec ON cases (employment_consultant_id, status);
CREATE INDEX cases_person ON cases (person_id);

CREATE TABLE case_absences (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	from_date TEXT NOT NULL,
	to_date TEXT,
	partial INTEGER NOT NULL DEFAULT 0,
	CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX case_absences_case ON case_absences (case_id);

CREATE TABLE case_earlier_benefit (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	from_date TEXT NOT NULL,
	to_date TEXT NOT NULL,
	CHECK (to_date >= from_date)
);
CREATE INDEX case_earlier_benefit_case ON case_earlier_benefit (case_id);

-- Events of the timeline contract (rehabilitation_started, ...).
CREATE TABLE case_events (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	kind TEXT NOT NULL CHECK (kind IN ('rehabilitation_started', 'rehab_team_decision',
		'work_injury_decision', 'pension_decision', 'returned_to_work')),
	on_date TEXT NOT NULL,
	created_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id);

-- Handovers are first-class: one row per period of responsibility.
CREATE TABLE assignments (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	role TEXT NOT NULL CHECK (role IN ('care_manager', 'employment_consultant')),
	user_id INTEGER NOT NULL REFERENCES users (id),
	from_date TEXT NOT NULL,
	to_date TEXT,
	reason TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL
);
CREATE INDEX assignments_case ON assignments (case_id);

-- The separate assessments before the first roundtable. The CM's is
-- clinical; the EC's (with category 1-3 and reason) is employment.
CREATE TABLE assessments (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	author_id INTEGER NOT NULL REFERENCES users (id),
	role TEXT NOT NULL CHECK (role IN ('care_manager', 'employment_consultant')),
	category INTEGER CHECK (category IS NULL OR category IN (1, 2, 3)),
	reason TEXT NOT NULL DEFAULT '',
	body BLOB,             -- clinical text: encrypted (nonce || secretbox)
	body_plain TEXT,       -- employment text: not encrypted
	on_date TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX assessments_case ON assessments (case_id);

-- Meetings: case meetings (roundtable, followup, therapy) have a case_id;
-- supervision has a team_id and no case.
CREATE TABLE meetings (
	id INTEGER PRIMARY KEY,
	case_id INTEGER REFERENCES cases (id),
	team_id INTEGER NOT NULL REFERENCES teams (id),
	kind TEXT NOT NULL CHECK (kind IN ('roundtable', 'followup', 'therapy', 'supervision')),
	starts_at INTEGER NOT NULL,
	ends_at INTEGER NOT NULL,
	site_id INTEGER REFERENCES sites (id),
	remote_link TEXT,
	mode TEXT NOT NULL DEFAULT 'in_person'
		CHECK (mode IN ('in_person', 'phone', 'video', 'email', 'letter')),
	mode_reason TEXT,
	status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled',
		'late_cancellation', 'no_show')),
	status_by INTEGER REFERENCES users (id),
	status_reason TEXT,
	minutes TEXT,
	minutes_by INTEGER REFERENCES users (id),
	minutes_at INTEGER,
	created_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL,
	CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_case ON meetings (case_id, starts_at);
CREATE INDEX meetings_team ON meetings (team_id, starts_at);

CREATE TABLE meeting_participants (
	meeting_id INTEGER NOT NULL REFERENCES meetings (id),
	user_id INTEGER NOT NULL REFERENCES users (id),
	role TEXT NOT NULL,
	attended INTEGER,
	PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_participants_user ON meeting_participants (user_id);

-- Agenda items; a service user's own question is private (encrypted) until
-- they share it with the meeting.
CREATE TABLE agenda_items (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER NOT NULL REFERENCES meetings (id),
	author_id INTEGER NOT NULL REFERENCES users (id),
	body BLOB,        -- private: encrypted
	body_plain TEXT,  -- shared or joint
	private INTEGER NOT NULL DEFAULT 0,
	shared_at INTEGER,
	created_at INTEGER NOT NULL
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id);

CREATE TABLE minutes_agreements (
	meeting_id INTEGER NOT NULL REFERENCES meetings (id),
	user_id INTEGER NOT NULL REFERENCES users (id),
	agreed INTEGER NOT NULL,
	comment TEXT NOT NULL DEFAULT '',
	at INTEGER NOT NULL,
	PRIMARY KEY (meeting_id, user_id)
);

-- Goals, in the person's own words; every edit keeps the old text.
CREATE TABLE goals (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	text TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'reached', 'dropped')),
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	updated_by INTEGER REFERENCES users (id),
	updated_at INTEGER NOT NULL
);
CREATE INDEX goals_case ON goals (case_id);

CREATE TABLE goal_versions (
	id INTEGER PRIMARY KEY,
	goal_id INTEGER NOT NULL REFERENCES goals (id),
	text TEXT NOT NULL,
	status TEXT NOT NULL,
	by_user INTEGER NOT NULL REFERENCES users (id),
	at INTEGER NOT NULL
);

-- The plan: every change makes a new version holding all its steps.
CREATE TABLE plan_versions (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	version INTEGER NOT NULL,
	author_id INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	UNIQUE (case_id, version)
);

CREATE TABLE plan_steps (
	id INTEGER PRIMARY KEY,
	plan_version_id INTEGER NOT NULL REFERENCES plan_versions (id),
	position INTEGER NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('treatment', 'return_to_work')),
	text TEXT NOT NULL,
	responsible_id INTEGER REFERENCES users (id),
	due TEXT,
	status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress',
		'done', 'dropped')),
	hours_per_week REAL
);
CREATE INDEX plan_steps_version ON plan_steps (plan_version_id);

-- Tasks: from the timeline sweep, plan steps and meetings. (source, source_key)
-- makes the sweep idempotent.
CREATE TABLE tasks (
	id INTEGER PRIMARY KEY,
	user_id INTEGER REFERENCES users (id),
	case_id INTEGER REFERENCES cases (id),
	kind TEXT NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('timeline', 'plan', 'meeting', 'manual')),
	source_key TEXT NOT NULL,
	due TEXT,
	done INTEGER NOT NULL DEFAULT 0,
	done_at INTEGER,
	done_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (case_id, source, source_key)
);
CREATE INDEX tasks_user ON tasks (user_id, done, due);

-- Notes of every category; clinical and private text is encrypted.
CREATE TABLE notes (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	category TEXT NOT NULL CHECK (category IN ('clinical', 'health_shared', 'employment',
		'joint', 'private')),
	author_id INTEGER NOT NULL REFERENCES users (id),
	body BLOB,
	body_plain TEXT,
	meeting_id INTEGER REFERENCES meetings (id),
	created_at INTEGER NOT NULL
);
CREATE INDEX notes_case ON notes (case_id, category);

-- Evidence for the benefit case: who supplied it, when, for which ground.
CREATE TABLE evidence (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	kind TEXT NOT NULL CHECK (kind IN ('medical_statement', 'health_summary', 'le285',
		'le265', 'employer_statement', 'municipal_assessment', 'other')),
	category TEXT NOT NULL CHECK (category IN ('health_shared', 'employment')),
	ground INTEGER CHECK (ground IS NULL OR ground BETWEEN 1 AND 7),
	supplied_by INTEGER NOT NULL REFERENCES users (id),
	supplied_on TEXT NOT NULL,
	text TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE INDEX evidence_case ON evidence (case_id);

-- Decisions by the assigned EC. A decision without a hearing is refused by
-- the application; the column still allows NULL for imported data.
CREATE TABLE decisions (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	kind TEXT NOT NULL CHECK (kind IN ('category', 'extension', 'job_clarification', 'lapse')),
	ground INTEGER CHECK (ground IS NULL OR ground BETWEEN 1 AND 7),
	category INTEGER CHECK (category IS NULL OR category IN (1, 2, 3)),
	hearing TEXT,
	on_date TEXT NOT NULL,
	lapse_from TEXT,
	lapse_to TEXT,
	legal_basis TEXT NOT NULL DEFAULT '',
	reasons TEXT NOT NULL,
	complaint TEXT NOT NULL DEFAULT '',
	author_id INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL
);
CREATE INDEX decisions_case ON decisions (case_id, on_date);

-- Consent history: the newest row per (case, direction) is the state.
CREATE TABLE consents (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	direction TEXT NOT NULL CHECK (direction IN ('health_to_jobcentre', 'jobcentre_to_health')),
	granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
	purpose TEXT NOT NULL DEFAULT '',
	by_user INTEGER NOT NULL REFERENCES users (id),
	at INTEGER NOT NULL
);
CREATE INDEX consents_case ON consents (case_id, direction, id);

-- The audit log: append-only and hash-chained (BLAKE2b of the previous
-- hash and this entry). Triggers refuse UPDATE and DELETE.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	actor_id INTEGER,
	actor_role TEXT NOT NULL,
	actor_name TEXT NOT NULL DEFAULT '',
	actor_org TEXT NOT NULL DEFAULT '',
	case_id INTEGER,
	item TEXT NOT NULL DEFAULT '',
	category TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	purpose TEXT NOT NULL DEFAULT '',
	break_glass INTEGER NOT NULL DEFAULT 0,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- iCalendar feed secrets (hashed); posting a new one revokes the old.
CREATE TABLE calendar_feeds (
	user_id INTEGER PRIMARY KEY REFERENCES users (id),
	secret_hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
);

-- One-time activation links for service users (hashed token).
CREATE TABLE activations (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id),
	created_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at INTEGER
);

-- Surveys: the team-coordination survey and the service user's trust pulse.
CREATE TABLE survey_responses (
	id INTEGER PRIMARY KEY,
	instrument TEXT NOT NULL,
	respondent_id INTEGER NOT NULL REFERENCES users (id),
	case_id INTEGER REFERENCES cases (id),
	meeting_id INTEGER REFERENCES meetings (id),
	team_id INTEGER REFERENCES teams (id),
	created_at INTEGER NOT NULL,
	UNIQUE (instrument, respondent_id, meeting_id)
);

CREATE TABLE survey_answers (
	response_id INTEGER NOT NULL REFERENCES survey_responses (id),
	item TEXT NOT NULL,
	value INTEGER,
	text TEXT,
	PRIMARY KEY (response_id, item)
);
