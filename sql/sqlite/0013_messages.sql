-- 0013_messages.sql: messages to people (DESIGN.md section 10).
-- Each account may keep an e-mail address and choose what it is told; a
-- change that should tell someone writes a row to the outbox in the same
-- transaction, and a sender delivers it over SMTP.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN notify_meetings INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN notify_reminders INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN notify_digest INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN notify_decisions INTEGER NOT NULL DEFAULT 1;

-- A meeting's iCalendar SEQUENCE: raised by every change after the invitation.
ALTER TABLE meetings ADD COLUMN ical_sequence INTEGER NOT NULL DEFAULT 0;

-- status: queued -> sent | failed. A sender claims a queued row by setting
-- lease_owner and lease_until; another node skips it until the lease ends.
-- params: the facts the text is written from (JSON; never note text,
-- health information or a CPR number). dedupe_key keeps a scheduled
-- message (reminder, digest) to one row however many nodes produce it.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	user_id INTEGER REFERENCES users (id),
	to_addr TEXT NOT NULL,
	lang TEXT NOT NULL CHECK (lang IN ('en', 'da')),
	kind TEXT NOT NULL,
	params TEXT NOT NULL DEFAULT '{}',
	dedupe_key TEXT UNIQUE,
	status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL,
	lease_owner TEXT,
	lease_until INTEGER,
	last_error TEXT,
	created_at INTEGER NOT NULL,
	sent_at INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_at);

-- One-time password-reset links (hashed token, one hour).
CREATE TABLE password_resets (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at INTEGER
);
CREATE INDEX password_resets_user ON password_resets (user_id);
