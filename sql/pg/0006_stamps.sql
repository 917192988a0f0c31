-- 0006_stamps.sql (PostgreSQL twin of sql/sqlite/0006_stamps.sql): change stamps for the case-read cache (docs/cache.md).
-- cases.rev goes up with every change to a case or to a row of it that a
-- case answer shows (notes, meeting participants, agendas and minutes have
-- pages of their own and are left out: demo-data writes millions of them);
-- cache_gen.gen goes up with every change to the shared rows a case page
-- shows (organisations, sites, teams, memberships, people's names). A cached
-- page is served only while both still match. Triggers keep them, so no
-- writer (web, sweep, CLI, import) can forget. Neither is exported: they
-- describe this database's history, not its data.
-- Every bump first takes the audit chain's advisory lock, so locks are
-- always taken in one order (chain, then rows) and two writers to one case
-- cannot deadlock.
ALTER TABLE cases ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;
CREATE TABLE cache_gen (id BIGINT PRIMARY KEY CHECK (id = 1), gen BIGINT NOT NULL);
CREATE INDEX audit_log_case_changes ON audit_log (case_id, id) WHERE action NOT IN ('viewed', 'read');

CREATE FUNCTION ibbis_case_rev_self() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.rev = OLD.rev THEN
		NEW.rev := OLD.rev + 1;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER cases_rev BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_self();

-- ibbis_case_rev_bump(): for a table with case_id; with an argument (parent
-- table, foreign key column), for a row that belongs to a case through it.
CREATE FUNCTION ibbis_case_rev_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	r RECORD;
	cid BIGINT;
	fk BIGINT;
BEGIN
	IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
	IF TG_NARGS = 0 THEN
		cid := r.case_id;
	ELSE
		EXECUTE format('SELECT ($1).%I', TG_ARGV[1]) INTO fk USING r;
		EXECUTE format('SELECT case_id FROM %I WHERE id = $1', TG_ARGV[0]) INTO cid USING fk;
	END IF;
	IF cid IS NOT NULL THEN
		PERFORM pg_advisory_xact_lock(7310451);
		UPDATE cases SET rev = rev + 1 WHERE id = cid;
	END IF;
	RETURN NULL;
END $$;

CREATE FUNCTION ibbis_cache_gen_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(7310451);
	INSERT INTO cache_gen (id, gen) VALUES (1, 1)
		ON CONFLICT (id) DO UPDATE SET gen = cache_gen.gen + 1;
	RETURN NULL;
END $$;

CREATE TRIGGER case_absences_rev AFTER INSERT OR UPDATE OR DELETE ON case_absences FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER case_earlier_benefit_rev AFTER INSERT OR UPDATE OR DELETE ON case_earlier_benefit FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER case_events_rev AFTER INSERT OR UPDATE OR DELETE ON case_events FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER assignments_rev AFTER INSERT OR UPDATE OR DELETE ON assignments FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER assessments_rev AFTER INSERT OR UPDATE OR DELETE ON assessments FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER meetings_rev AFTER INSERT OR UPDATE OR DELETE ON meetings FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER goals_rev AFTER INSERT OR UPDATE OR DELETE ON goals FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER plan_versions_rev AFTER INSERT OR UPDATE OR DELETE ON plan_versions FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER tasks_rev AFTER INSERT OR UPDATE OR DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER evidence_rev AFTER INSERT OR UPDATE OR DELETE ON evidence FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER decisions_rev AFTER INSERT OR UPDATE OR DELETE ON decisions FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER consents_rev AFTER INSERT OR UPDATE OR DELETE ON consents FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump();
CREATE TRIGGER plan_steps_rev AFTER INSERT OR UPDATE OR DELETE ON plan_steps FOR EACH ROW EXECUTE FUNCTION ibbis_case_rev_bump('plan_versions', 'plan_version_id');
CREATE TRIGGER organisations_gen AFTER INSERT OR UPDATE OR DELETE ON organisations FOR EACH STATEMENT EXECUTE FUNCTION ibbis_cache_gen_bump();
CREATE TRIGGER sites_gen AFTER INSERT OR UPDATE OR DELETE ON sites FOR EACH STATEMENT EXECUTE FUNCTION ibbis_cache_gen_bump();
CREATE TRIGGER teams_gen AFTER INSERT OR UPDATE OR DELETE ON teams FOR EACH STATEMENT EXECUTE FUNCTION ibbis_cache_gen_bump();
CREATE TRIGGER memberships_gen AFTER INSERT OR UPDATE OR DELETE ON memberships FOR EACH STATEMENT EXECUTE FUNCTION ibbis_cache_gen_bump();
CREATE TRIGGER users_gen AFTER UPDATE OF name, username ON users FOR EACH STATEMENT EXECUTE FUNCTION ibbis_cache_gen_bump();
