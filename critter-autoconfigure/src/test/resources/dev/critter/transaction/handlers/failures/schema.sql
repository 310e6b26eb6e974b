-- No primary keys: a row written twice must show up as two rows.
CREATE TABLE reservations (id TEXT NOT NULL);
CREATE TABLE stock (id TEXT NOT NULL);
CREATE TABLE payments (id TEXT NOT NULL);
CREATE TABLE shipments (id TEXT NOT NULL);
