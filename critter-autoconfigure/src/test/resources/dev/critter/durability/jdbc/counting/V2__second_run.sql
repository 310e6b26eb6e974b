-- Test script: adds a row each time it runs.
INSERT INTO "${critter_schema}".runs (script) VALUES (2);
SELECT pg_sleep(0.2);
INSERT INTO "${critter_schema}".critter_schema_version (version, description) VALUES (2, 'second run');
