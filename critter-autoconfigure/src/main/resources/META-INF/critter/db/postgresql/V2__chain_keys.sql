-- Critter schema version 2: envelope rows of one message kept per handler chain as well.
--
-- A message handled by several handler chains on one durable queue can have, at the same time,
-- its first delivery (for every chain) and one scheduled retry or requeued copy per chain, each
-- an envelope with the message's id that names its chain (column chain_id). Keyed by
-- (id, destination) alone, one chain's retry replaced another's scheduled row, and a retry
-- arriving in the inbox took over the row of a delivery whose other chains still ran: both lost
-- messages. chain_key is coalesce(chain_id, ''), the chain the row is for ('' = every chain),
-- written by Critter with each row and never changed afterwards; it joins the primary keys.
--
-- ${critter_schema} as in version 1. Idempotent: running it again changes nothing. Rewrites both
-- tables' primary key index: run it while they are small (at a deployment with empty queues,
-- ideally), and stop Critter nodes of the previous version first (they would write rows without
-- a chain key, which then default to '').

ALTER TABLE "${critter_schema}".critter_scheduled_envelopes
    ADD COLUMN IF NOT EXISTS chain_key text NOT NULL DEFAULT '';
ALTER TABLE "${critter_schema}".critter_incoming_envelopes
    ADD COLUMN IF NOT EXISTS chain_key text NOT NULL DEFAULT '';

DO $$
BEGIN
    -- Only while the primary key is still the version-1 one: rows written since carry their key.
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                   JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
                   JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
                   WHERE n.nspname = '${critter_schema}' AND t.relname = 'critter_scheduled_envelopes'
                     AND c.contype = 'p' AND array_length(c.conkey, 1) = 3) THEN
        UPDATE "${critter_schema}".critter_scheduled_envelopes SET chain_key = coalesce(chain_id, '');
        ALTER TABLE "${critter_schema}".critter_scheduled_envelopes
            DROP CONSTRAINT IF EXISTS critter_scheduled_envelopes_pkey;
        ALTER TABLE "${critter_schema}".critter_scheduled_envelopes
            ADD CONSTRAINT critter_scheduled_envelopes_pkey PRIMARY KEY (id, destination, chain_key);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                   JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
                   JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
                   WHERE n.nspname = '${critter_schema}' AND t.relname = 'critter_incoming_envelopes'
                     AND c.contype = 'p' AND array_length(c.conkey, 1) = 3) THEN
        UPDATE "${critter_schema}".critter_incoming_envelopes SET chain_key = coalesce(chain_id, '');
        ALTER TABLE "${critter_schema}".critter_incoming_envelopes
            DROP CONSTRAINT IF EXISTS critter_incoming_envelopes_pkey;
        ALTER TABLE "${critter_schema}".critter_incoming_envelopes
            ADD CONSTRAINT critter_incoming_envelopes_pkey PRIMARY KEY (id, destination, chain_key);
    END IF;
END
$$;

COMMENT ON COLUMN "${critter_schema}".critter_scheduled_envelopes.chain_key IS
    'Critter: the handler chain the row is for, '''' for every chain (part of the key)';
COMMENT ON COLUMN "${critter_schema}".critter_incoming_envelopes.chain_key IS
    'Critter: the handler chain the row is for, '''' for every chain (part of the key); never changes';

INSERT INTO "${critter_schema}".critter_schema_version (version, description)
VALUES (2, 'chain keys')
ON CONFLICT (version) DO NOTHING;
