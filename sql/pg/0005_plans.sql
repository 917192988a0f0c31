-- 0005_plans.sql (PostgreSQL twin of sql/sqlite/0005_plans.sql): goals,
-- the versioned plan and plan-step tasks.
-- A plan step keeps one key across versions, so versions can be compared
-- step by step and a step's task (tasks.source_key 'step:<key>') follows it.
ALTER TABLE plan_steps ADD COLUMN step_key BIGINT;
CREATE INDEX plan_steps_key ON plan_steps (plan_version_id, step_key);
CREATE INDEX goal_versions_goal ON goal_versions (goal_id, id);
CREATE INDEX tasks_case_source ON tasks (case_id, source);
