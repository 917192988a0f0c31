-- 0011_insight.sql: insight and the team's records (DESIGN.md section 8,
-- docs/insight.md). Survey rounds of the team-coordination survey with
-- each professional's ratings (category survey_answer: only they read
-- them; aggregates go through the minimum group size); the integration
-- log and the glossary (category team_record), each versioned; agreed
-- supervision actions; and the person's choice to share a pulse comment.

CREATE TABLE survey_rounds (
	id INTEGER PRIMARY KEY,
	team_id INTEGER NOT NULL REFERENCES teams (id),
	instrument TEXT NOT NULL,
	opens TEXT NOT NULL,
	closes TEXT NOT NULL,
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	CHECK (closes >= opens)
);
CREATE INDEX survey_rounds_team ON survey_rounds (team_id, opens);

-- One professional's answer to a round; rater_role is their role in the
-- team when they answered (a supervisor's side from their organisation).
CREATE TABLE round_responses (
	id INTEGER PRIMARY KEY,
	round_id INTEGER NOT NULL REFERENCES survey_rounds (id),
	respondent_id INTEGER NOT NULL REFERENCES users (id),
	rater_role TEXT NOT NULL CHECK (rater_role IN ('care_manager', 'employment_consultant',
		'supervisor_health', 'supervisor_jobcentre')),
	updated_at INTEGER NOT NULL,
	UNIQUE (round_id, respondent_id)
);

-- The dimension is copied from the instrument so results group in SQL.
CREATE TABLE round_ratings (
	response_id INTEGER NOT NULL REFERENCES round_responses (id),
	rated_role TEXT NOT NULL CHECK (rated_role IN ('care_manager', 'employment_consultant',
		'supervisor_health', 'supervisor_jobcentre')),
	item TEXT NOT NULL,
	dimension TEXT NOT NULL,
	value INTEGER NOT NULL,
	PRIMARY KEY (response_id, rated_role, item)
);

-- The integration log: the current version of each entry, and every
-- version (the current one included) in integration_log_versions.
CREATE TABLE integration_log (
	id INTEGER PRIMARY KEY,
	team_id INTEGER NOT NULL REFERENCES teams (id),
	version INTEGER NOT NULL DEFAULT 1,
	dimension TEXT NOT NULL CHECK (dimension IN ('shared_culture', 'shared_norms',
		'shared_goals')),
	barrier TEXT NOT NULL,
	strategy TEXT NOT NULL DEFAULT '',
	strategy_type TEXT CHECK (strategy_type IS NULL OR strategy_type IN ('macro_legislation',
		'meso_negotiation', 'organisational_change', 'person_based', 'top_down', 'bottom_up')),
	implications TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'addressed')),
	author_id INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	updated_by INTEGER NOT NULL REFERENCES users (id),
	updated_at INTEGER NOT NULL
);
CREATE INDEX integration_log_team ON integration_log (team_id, dimension);

CREATE TABLE integration_log_versions (
	entry_id INTEGER NOT NULL REFERENCES integration_log (id),
	version INTEGER NOT NULL,
	dimension TEXT NOT NULL,
	barrier TEXT NOT NULL,
	strategy TEXT NOT NULL,
	strategy_type TEXT,
	implications TEXT NOT NULL,
	status TEXT NOT NULL,
	by_user INTEGER NOT NULL REFERENCES users (id),
	at INTEGER NOT NULL,
	PRIMARY KEY (entry_id, version)
);

-- The glossary: agreed terms in both languages and the terms to avoid.
CREATE TABLE glossary (
	id INTEGER PRIMARY KEY,
	team_id INTEGER NOT NULL REFERENCES teams (id),
	version INTEGER NOT NULL DEFAULT 1,
	term_en TEXT NOT NULL,
	term_da TEXT NOT NULL,
	meaning_en TEXT NOT NULL DEFAULT '',
	meaning_da TEXT NOT NULL DEFAULT '',
	avoid TEXT NOT NULL DEFAULT '',
	decided_by TEXT NOT NULL DEFAULT '',
	decided_on TEXT,
	decided_how TEXT CHECK (decided_how IS NULL OR decided_how IN ('top_down', 'bottom_up',
		'negotiated')),
	author_id INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	updated_by INTEGER NOT NULL REFERENCES users (id),
	updated_at INTEGER NOT NULL
);
CREATE INDEX glossary_team ON glossary (team_id);

CREATE TABLE glossary_versions (
	entry_id INTEGER NOT NULL REFERENCES glossary (id),
	version INTEGER NOT NULL,
	term_en TEXT NOT NULL,
	term_da TEXT NOT NULL,
	meaning_en TEXT NOT NULL,
	meaning_da TEXT NOT NULL,
	avoid TEXT NOT NULL,
	decided_by TEXT NOT NULL,
	decided_on TEXT,
	decided_how TEXT,
	by_user INTEGER NOT NULL REFERENCES users (id),
	at INTEGER NOT NULL,
	PRIMARY KEY (entry_id, version)
);

-- Actions agreed at a supervision meeting; case_ref is a team-internal
-- reference, never a name or CPR number.
CREATE TABLE supervision_actions (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER NOT NULL REFERENCES meetings (id),
	team_id INTEGER NOT NULL REFERENCES teams (id),
	case_ref TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	assignee_id INTEGER NOT NULL REFERENCES users (id),
	due TEXT,
	task_id INTEGER REFERENCES tasks (id),
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL
);
CREATE INDEX supervision_actions_meeting ON supervision_actions (meeting_id);

-- The person may share their pulse comment, anonymously, with the team.
ALTER TABLE survey_responses ADD COLUMN share_text INTEGER NOT NULL DEFAULT 0;

-- The team pulse aggregates read by team and period.
CREATE INDEX survey_responses_team ON survey_responses (team_id, instrument, created_at);
