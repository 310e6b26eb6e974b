-- Test script: creates its table but does not record its version, so the migration must fail and
-- roll the table back with it.
CREATE SCHEMA IF NOT EXISTS "${critter_schema}";
CREATE TABLE IF NOT EXISTS "${critter_schema}".critter_schema_version (
    version      integer     PRIMARY KEY,
    description  text        NOT NULL,
    installed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE "${critter_schema}".half_done (id integer);
