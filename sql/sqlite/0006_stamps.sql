-- 0006_stamps.sql: change stamps for the case-read cache (docs/cache.md).
-- cases.rev goes up with every change to a case or to a row of it that a
-- case answer shows (notes, meeting participants, agendas and minutes have
-- pages of their own and are left out: demo-data writes millions of them);
-- cache_gen.gen goes up with every change to the shared rows a case page
-- shows (organisations, sites, teams, memberships, people's names). A cached
-- page is served only while both still match. Triggers keep them, so no
-- writer (web, sweep, CLI, import) can forget. Neither is exported: they
-- describe this database's history, not its data.
ALTER TABLE cases ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
CREATE TABLE cache_gen (id INTEGER PRIMARY KEY CHECK (id = 1), gen INTEGER NOT NULL);
-- The case page's recent activity: changes, newest first (not look-ups).
CREATE INDEX audit_log_case_changes ON audit_log (case_id, id) WHERE action NOT IN ('viewed', 'read');

CREATE TRIGGER cases_rev AFTER UPDATE ON cases WHEN NEW.rev = OLD.rev BEGIN
	UPDATE cases SET rev = OLD.rev + 1 WHERE id = NEW.id;
END;
CREATE TRIGGER case_absences_rev_insert AFTER INSERT ON case_absences WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_absences_rev_update AFTER UPDATE ON case_absences WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_absences_rev_delete AFTER DELETE ON case_absences WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER case_earlier_benefit_rev_insert AFTER INSERT ON case_earlier_benefit WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_earlier_benefit_rev_update AFTER UPDATE ON case_earlier_benefit WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_earlier_benefit_rev_delete AFTER DELETE ON case_earlier_benefit WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER case_events_rev_insert AFTER INSERT ON case_events WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_events_rev_update AFTER UPDATE ON case_events WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_events_rev_delete AFTER DELETE ON case_events WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER assignments_rev_insert AFTER INSERT ON assignments WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER assignments_rev_update AFTER UPDATE ON assignments WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER assignments_rev_delete AFTER DELETE ON assignments WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER assessments_rev_insert AFTER INSERT ON assessments WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER assessments_rev_update AFTER UPDATE ON assessments WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER assessments_rev_delete AFTER DELETE ON assessments WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER meetings_rev_insert AFTER INSERT ON meetings WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER meetings_rev_update AFTER UPDATE ON meetings WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER meetings_rev_delete AFTER DELETE ON meetings WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER goals_rev_insert AFTER INSERT ON goals WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER goals_rev_update AFTER UPDATE ON goals WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER goals_rev_delete AFTER DELETE ON goals WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER plan_versions_rev_insert AFTER INSERT ON plan_versions WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER plan_versions_rev_update AFTER UPDATE ON plan_versions WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER plan_versions_rev_delete AFTER DELETE ON plan_versions WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER tasks_rev_insert AFTER INSERT ON tasks WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER tasks_rev_update AFTER UPDATE ON tasks WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER tasks_rev_delete AFTER DELETE ON tasks WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER evidence_rev_insert AFTER INSERT ON evidence WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER evidence_rev_update AFTER UPDATE ON evidence WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER evidence_rev_delete AFTER DELETE ON evidence WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER decisions_rev_insert AFTER INSERT ON decisions WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER decisions_rev_update AFTER UPDATE ON decisions WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER decisions_rev_delete AFTER DELETE ON decisions WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER consents_rev_insert AFTER INSERT ON consents WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER consents_rev_update AFTER UPDATE ON consents WHEN NEW.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER consents_rev_delete AFTER DELETE ON consents WHEN OLD.case_id IS NOT NULL BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER plan_steps_rev_insert AFTER INSERT ON plan_steps BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = (SELECT case_id FROM plan_versions WHERE id = NEW.plan_version_id);
END;
CREATE TRIGGER plan_steps_rev_update AFTER UPDATE ON plan_steps BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = (SELECT case_id FROM plan_versions WHERE id = NEW.plan_version_id);
END;
CREATE TRIGGER plan_steps_rev_delete AFTER DELETE ON plan_steps BEGIN
	UPDATE cases SET rev = rev + 1 WHERE id = (SELECT case_id FROM plan_versions WHERE id = OLD.plan_version_id);
END;
CREATE TRIGGER organisations_gen_insert AFTER INSERT ON organisations BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER organisations_gen_update AFTER UPDATE ON organisations BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER organisations_gen_delete AFTER DELETE ON organisations BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER sites_gen_insert AFTER INSERT ON sites BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER sites_gen_update AFTER UPDATE ON sites BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER sites_gen_delete AFTER DELETE ON sites BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER teams_gen_insert AFTER INSERT ON teams BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER teams_gen_update AFTER UPDATE ON teams BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER teams_gen_delete AFTER DELETE ON teams BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER memberships_gen_insert AFTER INSERT ON memberships BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER memberships_gen_update AFTER UPDATE ON memberships BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER memberships_gen_delete AFTER DELETE ON memberships BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER users_gen_update AFTER UPDATE ON users
WHEN NEW.name IS NOT OLD.name OR NEW.username IS NOT OLD.username BEGIN
	INSERT INTO cache_gen (id, gen) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET gen = gen + 1;
END;
