-- The sample's own table (Critter creates its tables itself, in schema "critter").
-- Run at every start-up (spring.sql.init.mode: always), so written to be run again.
CREATE SCHEMA IF NOT EXISTS sample;

CREATE SEQUENCE IF NOT EXISTS sample.order_numbers START WITH 1001;

CREATE TABLE IF NOT EXISTS sample.orders (
    id          text        PRIMARY KEY,                -- o-1001, o-1002, ...
    sku         text        NOT NULL,
    quantity    integer     NOT NULL CHECK (quantity BETWEEN 1 AND 100),
    total_cents bigint      NOT NULL,
    card_ending char(4)     NOT NULL,                   -- never more of the card
    status      text        NOT NULL CHECK (status IN ('PLACED', 'PAID', 'CANCELLED')),
    placed_at   timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL                    -- when the status last changed
);
