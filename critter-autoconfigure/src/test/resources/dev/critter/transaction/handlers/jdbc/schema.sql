-- No primary keys: a row written twice must show up as two rows.
CREATE TABLE orders (id TEXT NOT NULL, attempt INT NOT NULL, tx BIGINT NOT NULL);
CREATE TABLE ledger (id TEXT NOT NULL);
CREATE TABLE audit (id TEXT NOT NULL);
