-- Critter schema version 1: the tables of PostgreSQL durability (docs/durability.md, "Tables").
--
-- ${critter_schema} stands for the schema name (critter.durability.schema, default critter).
-- Critter replaces it itself; Flyway and Liquibase replace it from a placeholder / changelog
-- parameter named critter_schema. The script records its own version in the last statement, so
-- whichever tool runs it, Critter's start-up check sees it ran. Every statement is idempotent
-- (IF NOT EXISTS, ON CONFLICT DO NOTHING): running it again changes nothing.
--
-- Design notes:
-- * No foreign keys: a foreign key from a hot table to critter_nodes would lock the node row in
--   every inserting transaction. Ownership is released by the recovery agent instead.
-- * Bodies are bytea: the exact bytes the application's JSON mapper wrote (or a transport
--   delivered), copied to the wire and back without re-encoding; a body that is not valid JSON
--   can still be stored (and dead-lettered). Read one with convert_from(body, 'UTF8')::jsonb.
-- * Envelope ids are time-ordered (version 7) UUIDs. One envelope sent to several destinations
--   keeps its id, so envelope tables are keyed by (id, destination).
-- * Timestamps that nodes compare with each other (heartbeats, leases) come from the database
--   clock (now()), never from a node's clock.

DO $$
BEGIN
    -- CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege on the database even when the
    -- schema exists; checking first lets a user without it use a schema made by an administrator.
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = '${critter_schema}') THEN
        CREATE SCHEMA "${critter_schema}";
    END IF;
END
$$;

CREATE TABLE IF NOT EXISTS "${critter_schema}".critter_schema_version (
    version      integer     PRIMARY KEY,
    description  text        NOT NULL,
    installed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE "${critter_schema}".critter_schema_version IS
    'Critter: the schema versions applied (one row per script, written by the script itself)';

CREATE TABLE IF NOT EXISTS "${critter_schema}".critter_nodes (
    node_id      uuid        PRIMARY KEY,
    service_name text        NOT NULL,
    host_name    text,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE "${critter_schema}".critter_nodes IS
    'Critter: running application nodes and their last heartbeat (database clock)';

CREATE TABLE IF NOT EXISTS "${critter_schema}".critter_outgoing_envelopes (
    id              uuid        NOT NULL,
    destination     text        NOT NULL,
    sequence_number bigint      GENERATED ALWAYS AS IDENTITY,
    message_type    text        NOT NULL,
    body            bytea       NOT NULL,
    headers         jsonb,
    tenant_id       text,
    correlation_id  text,
    causation_id    uuid,
    sent_at         timestamptz NOT NULL,
    scheduled_at    timestamptz,
    deliver_by      timestamptz,
    attempts        integer     NOT NULL DEFAULT 0,
    source          text,
    reply_to        text,
    chain_id        text,
    owner_node_id   uuid,
    send_attempts   integer     NOT NULL DEFAULT 0,
    stored_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, destination)
);
COMMENT ON TABLE "${critter_schema}".critter_outgoing_envelopes IS
    'Critter: the transactional outbox, one row per message and destination until the destination accepted it';
-- The relay's claims: a node's own rows, or unowned rows (owner_node_id IS NULL), oldest first;
-- also how the rows of a dead node are found and released.
CREATE INDEX IF NOT EXISTS critter_outgoing_envelopes_owner_idx
    ON "${critter_schema}".critter_outgoing_envelopes (owner_node_id, sequence_number);

CREATE TABLE IF NOT EXISTS "${critter_schema}".critter_incoming_envelopes (
    id              uuid        NOT NULL,
    destination     text        NOT NULL,
    sequence_number bigint      GENERATED ALWAYS AS IDENTITY,
    status          text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'handled')),
    owner_node_id   uuid,
    partition_key   text,
    partition_slot  integer,
    message_type    text        NOT NULL,
    body            bytea       NOT NULL,
    headers         jsonb,
    tenant_id       text,
    correlation_id  text,
    causation_id    uuid,
    sent_at         timestamptz NOT NULL,
    scheduled_at    timestamptz,
    deliver_by      timestamptz,
    attempts        integer     NOT NULL DEFAULT 0,
    source          text,
    reply_to        text,
    chain_id        text,
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, destination)
);
COMMENT ON TABLE "${critter_schema}".critter_incoming_envelopes IS
    'Critter: the durable inbox of durable local queues and listeners, one row per message and destination';
-- Claims of unordered queues (owner_node_id IS NULL, in arrival order) and release of a dead
-- node's rows. Only queued rows: handled rows waiting for clean-up are never claimed.
CREATE INDEX IF NOT EXISTS critter_incoming_envelopes_owner_idx
    ON "${critter_schema}".critter_incoming_envelopes (owner_node_id, destination, sequence_number)
    WHERE status = 'queued';
-- Ordered (sequential and partitioned) queues: the queued rows of one slot in publish order.
CREATE INDEX IF NOT EXISTS critter_incoming_envelopes_partition_idx
    ON "${critter_schema}".critter_incoming_envelopes (destination, partition_slot, sequence_number)
    WHERE partition_slot IS NOT NULL AND status = 'queued';

CREATE TABLE IF NOT EXISTS "${critter_schema}".critter_partition_owners (
    destination    text        NOT NULL,
    partition_slot integer     NOT NULL,
    owner_node_id  uuid        NOT NULL,
    claimed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (destination, partition_slot)
);
COMMENT ON TABLE "${critter_schema}".critter_partition_owners IS
    'Critter: which node hands the messages of each slot of an ordered durable queue to handlers';
CREATE INDEX IF NOT EXISTS critter_partition_owners_owner_idx
    ON "${critter_schema}".critter_partition_owners (owner_node_id);

CREATE TABLE IF NOT EXISTS "${critter_schema}".critter_handled_messages (
    message_id  uuid        NOT NULL,
    destination text        NOT NULL,
    handled_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, destination)
);
COMMENT ON TABLE "${critter_schema}".critter_handled_messages IS
    'Critter: ids of messages handled per destination, kept for a window so a redelivery is not handled again';
-- Windowed cleanup deletes the oldest rows in batches.
CREATE INDEX IF NOT EXISTS critter_handled_messages_handled_at_idx
    ON "${critter_schema}".critter_handled_messages (handled_at);

CREATE TABLE IF NOT EXISTS "${critter_schema}".critter_scheduled_envelopes (
    id              uuid        NOT NULL,
    destination     text        NOT NULL,
    due_at          timestamptz NOT NULL,
    owner_node_id   uuid,
    claimed_at      timestamptz,
    message_type    text        NOT NULL,
    body            bytea       NOT NULL,
    headers         jsonb,
    tenant_id       text,
    correlation_id  text,
    causation_id    uuid,
    sent_at         timestamptz NOT NULL,
    scheduled_at    timestamptz,
    deliver_by      timestamptz,
    attempts        integer     NOT NULL DEFAULT 0,
    source          text,
    reply_to        text,
    chain_id        text,
    PRIMARY KEY (id, destination)
);
COMMENT ON TABLE "${critter_schema}".critter_scheduled_envelopes IS
    'Critter: messages waiting for their due time, one row per message and destination';
-- The poller's claim: UPDATE ... WHERE (id, destination) IN (SELECT ... WHERE owner_node_id IS NULL
-- AND due_at <= now() ORDER BY due_at FOR UPDATE SKIP LOCKED LIMIT n) RETURNING ...; claimed rows
-- leave this index, so it holds only the waiting ones.
CREATE INDEX IF NOT EXISTS critter_scheduled_envelopes_due_idx
    ON "${critter_schema}".critter_scheduled_envelopes (due_at)
    WHERE owner_node_id IS NULL;
-- Release of a dead node's claimed rows.
CREATE INDEX IF NOT EXISTS critter_scheduled_envelopes_owner_idx
    ON "${critter_schema}".critter_scheduled_envelopes (owner_node_id)
    WHERE owner_node_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS "${critter_schema}".critter_dead_letters (
    id                uuid        PRIMARY KEY,
    message_id        uuid        NOT NULL,
    destination       text        NOT NULL,
    chain_id          text,
    message_type      text        NOT NULL,
    body              bytea       NOT NULL,
    headers           jsonb,
    tenant_id         text,
    correlation_id    text,
    causation_id      uuid,
    sent_at           timestamptz NOT NULL,
    scheduled_at      timestamptz,
    deliver_by        timestamptz,
    attempts          integer     NOT NULL DEFAULT 0,
    source            text,
    reply_to          text,
    exception_type    text        NOT NULL,
    exception_message text        NOT NULL,
    stack_trace       text        NOT NULL,
    failed_at         timestamptz NOT NULL
);
COMMENT ON TABLE "${critter_schema}".critter_dead_letters IS
    'Critter: messages that failed for good, with why; listed, replayed and discarded through DeadLetters';
-- Listing newest first (paged by failed_at, id) and retention cleanup of the oldest.
CREATE INDEX IF NOT EXISTS critter_dead_letters_failed_at_idx
    ON "${critter_schema}".critter_dead_letters (failed_at, id);
-- Filtering by message type.
CREATE INDEX IF NOT EXISTS critter_dead_letters_message_type_idx
    ON "${critter_schema}".critter_dead_letters (message_type, failed_at);

INSERT INTO "${critter_schema}".critter_schema_version (version, description)
VALUES (1, 'durability tables')
ON CONFLICT (version) DO NOTHING;
