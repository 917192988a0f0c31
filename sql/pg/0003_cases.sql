-- 0003_cases.sql: indexes for the cases module.
-- A new activation link deletes the person's older unused ones.
CREATE INDEX activations_user ON activations (user_id);
-- Handover history and the handover note read a case's assignments per role.
CREATE INDEX assignments_case_role ON assignments (case_id, role, to_date);
