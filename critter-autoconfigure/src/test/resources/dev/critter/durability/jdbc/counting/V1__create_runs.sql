-- Test script: not idempotent on purpose (a second run fails on CREATE TABLE or adds a row), and
-- slow enough that a second node starting at once arrives while it runs.
CREATE SCHEMA IF NOT EXISTS "${critter_schema}";
CREATE TABLE IF NOT EXISTS "${critter_schema}".critter_schema_version (
    version      integer     PRIMARY KEY,
    description  text        NOT NULL,
    installed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE "${critter_schema}".runs (script integer NOT NULL, ran_at timestamptz NOT NULL DEFAULT clock_timestamp());
INSERT INTO "${critter_schema}".runs (script) VALUES (1);
SELECT pg_sleep(0.5);
INSERT INTO "${critter_schema}".critter_schema_version (version, description) VALUES (1, 'create runs');
