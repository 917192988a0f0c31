-- 0001_init.sql: organisations, accounts, sessions and the login rate limit.
-- Times are unix seconds (INTEGER). Kept close to portable SQL; the
-- PostgreSQL twin (sql/pg/) differs only in identity columns and BIGINT.

CREATE TABLE organisations (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('health', 'jobcentre'))
);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('service_user', 'care_manager',
		'employment_consultant', 'supervisor', 'researcher', 'admin')),
	organisation_id INTEGER REFERENCES organisations (id),
	language TEXT CHECK (language IN ('en', 'da')),
	created_at INTEGER NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);
CREATE INDEX users_organisation ON users (organisation_id);

-- token_hash: hex BLAKE2b-256 of the cookie's token; the token itself is
-- never stored.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	ip TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- key: 'user:NAME' or 'ip:ADDRESS'; a fixed window from the first failure.
CREATE TABLE login_failures (
	key TEXT PRIMARY KEY,
	count INTEGER NOT NULL,
	window_start INTEGER NOT NULL
);
