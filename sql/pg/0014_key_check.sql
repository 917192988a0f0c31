-- 0014_key_check.sql: a check value derived from the key file (seal.c).
-- A command given another key than the one the database was set up with
-- is refused by name, before it can write an audit entry whose MAC breaks
-- the chain or seal text the real key cannot open. One row, id 1; rekey
-- replaces it in the transaction that re-seals everything.
CREATE TABLE key_check (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	mac TEXT NOT NULL
);
