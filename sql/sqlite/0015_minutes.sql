-- 0015_minutes.sql: minutes with structure (issue 15). Beside the free
-- text, a meeting's minutes hold the agreements reached (short texts), the
-- action items (who does what by when; each is a task of its case, written
-- in the same transaction) and the next meeting (a time, and the planned
-- meeting it is when one was made or chosen). Agreement texts and what an
-- action asks are sealed like the minutes (seal.c); who and when are not.
-- Rewriting the minutes replaces both lists; an action kept as it was keeps
-- its task, an open task of a dropped action goes, a done one stays done.
CREATE TABLE minutes_points (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER NOT NULL REFERENCES meetings (id),
	position INTEGER NOT NULL,
	text_sealed BLOB NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX minutes_points_meeting ON minutes_points (meeting_id, position);

CREATE TABLE minutes_actions (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER NOT NULL REFERENCES meetings (id),
	position INTEGER NOT NULL,
	assignee_id INTEGER NOT NULL REFERENCES users (id),
	what_sealed BLOB NOT NULL,
	due TEXT NOT NULL,
	task_id INTEGER REFERENCES tasks (id),
	created_at INTEGER NOT NULL
);
CREATE INDEX minutes_actions_meeting ON minutes_actions (meeting_id, position);
CREATE INDEX minutes_actions_task ON minutes_actions (task_id);

-- The next meeting: its start (unix seconds), and the meeting itself when
-- the minutes made it or named a planned one. actions_seq numbers the
-- meeting's actions for their tasks' keys ('minutes:<meeting>:<n>'), never
-- reused, so a done task of a dropped action keeps its own key.
-- next_meeting_id names a row of the same table without a foreign key, so
-- an export (rows in id order) imports whatever order the meetings came in.
ALTER TABLE meetings ADD COLUMN next_start INTEGER;
ALTER TABLE meetings ADD COLUMN next_meeting_id INTEGER;
ALTER TABLE meetings ADD COLUMN actions_seq INTEGER NOT NULL DEFAULT 0;
