-- 0012_research.sql: research built in (DESIGN.md section 9). A study has
-- its teams, period, granted researchers and a secret key of its own
-- (sealed with the database key, like other confidential text). Qualitative
-- documents are sealed at rest; offsets of coded segments count Unicode
-- code points. The category of everything here is `research`, except the
-- study's settings (docs/research.md).
CREATE TABLE studies (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	from_date TEXT NOT NULL,
	to_date TEXT NOT NULL,
	dates TEXT NOT NULL CHECK (dates IN ('shift', 'month')),
	key_sealed BLOB NOT NULL,
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	CHECK (to_date >= from_date)
);
CREATE TABLE study_teams (
	study_id INTEGER NOT NULL REFERENCES studies (id),
	team_id INTEGER NOT NULL REFERENCES teams (id),
	PRIMARY KEY (study_id, team_id)
);
CREATE TABLE study_researchers (
	study_id INTEGER NOT NULL REFERENCES studies (id),
	user_id INTEGER NOT NULL REFERENCES users (id),
	PRIMARY KEY (study_id, user_id)
);
CREATE INDEX study_researchers_user ON study_researchers (user_id);
CREATE TABLE qual_documents (
	id INTEGER PRIMARY KEY,
	study_id INTEGER NOT NULL REFERENCES studies (id),
	guid TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('observation', 'interview')),
	stakeholder TEXT NOT NULL CHECK (stakeholder IN ('service_user', 'care_manager',
		'employment_consultant', 'supervisor')),
	time_point TEXT NOT NULL DEFAULT '',
	site TEXT NOT NULL DEFAULT '',
	body BLOB NOT NULL,    -- the text, sealed (nonce || secretbox)
	chars INTEGER NOT NULL, -- its length in Unicode code points
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL
);
CREATE INDEX qual_documents_study ON qual_documents (study_id);
-- parent_id names another code of the same study (checked by the domain;
-- no self reference, so exports keep their parents-first order).
CREATE TABLE qual_codes (
	id INTEGER PRIMARY KEY,
	study_id INTEGER NOT NULL REFERENCES studies (id),
	guid TEXT NOT NULL UNIQUE,
	parent_id INTEGER,
	name TEXT NOT NULL,
	name_da TEXT,
	description TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE INDEX qual_codes_study ON qual_codes (study_id, parent_id);
CREATE TABLE qual_segments (
	id INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES qual_documents (id),
	code_id INTEGER NOT NULL REFERENCES qual_codes (id),
	guid TEXT NOT NULL UNIQUE,
	start_cp INTEGER NOT NULL CHECK (start_cp >= 0),
	end_cp INTEGER NOT NULL,
	memo TEXT NOT NULL DEFAULT '',
	condensed TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	CHECK (end_cp > start_cp)
);
CREATE INDEX qual_segments_document ON qual_segments (document_id, start_cp);
CREATE INDEX qual_segments_code ON qual_segments (code_id);
