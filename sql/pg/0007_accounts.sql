-- 0007_accounts.sql (PostgreSQL twin of sql/sqlite/0007_accounts.sql): what the account rules of issue 14 need.
-- sessions.n numbers one account's sessions in the order they began (the
-- oldest ends when a 21st begins; the person ends one by its number on
-- /my/data); sessions.agent is the browser's User-Agent, cut to 200
-- characters, so the person can tell their sessions apart. cases_cpr finds
-- the person a new referral's CPR number already belongs to.
ALTER TABLE sessions ADD COLUMN n BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN agent TEXT;
CREATE INDEX sessions_user_n ON sessions (user_id, n);
CREATE INDEX cases_cpr ON cases (cpr);
-- The case page offers staff the activation link only until the person has
-- chosen a password, so a kept case page is stale once they do.
CREATE TRIGGER users_gen_activated AFTER UPDATE OF password_hash ON users FOR EACH ROW
WHEN (OLD.password_hash = '!' AND NEW.password_hash <> '!') EXECUTE FUNCTION ibbis_cache_gen_bump();
