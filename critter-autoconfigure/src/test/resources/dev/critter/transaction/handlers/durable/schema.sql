-- The test durable endpoint's handled marks, and the handler's side effect (no key: duplicates show).
CREATE TABLE test_handled (message_id UUID NOT NULL, chain_id TEXT NOT NULL, PRIMARY KEY (message_id, chain_id));
CREATE TABLE deposit (id TEXT NOT NULL, amount INT NOT NULL);
