-- grants.sql: a least-privilege database user for `ibbis serve` on
-- PostgreSQL (docs/operations.md, "PostgreSQL roles"). Run as the owner
-- role (ibbis_owner), in the ibbis database, after `ibbis migrate`:
--   psql -d ibbis -U ibbis_owner -f grants.sql
-- The owner runs migrations; the app role reads and writes rows, and
-- may only append to the audit log.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO ibbis_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ibbis_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ibbis_app;
-- Tables that later migrations add get the same grants.
ALTER DEFAULT PRIVILEGES FOR ROLE ibbis_owner IN SCHEMA public
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ibbis_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ibbis_owner IN SCHEMA public
	GRANT USAGE, SELECT ON SEQUENCES TO ibbis_app;
-- The audit log is append-only for the application.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ibbis_app;
