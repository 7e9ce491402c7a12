-- The embedded broker and result backend in one file. Each table mirrors a group of Redis keys
-- (src/brokers/redis/keys.ts); times are epoch ms from the writer's clock.

-- Every queue name ever used (turbine:queues), for stats and admin reads.
CREATE TABLE queues (
  name TEXT PRIMARY KEY
) WITHOUT ROWID;

-- Every message not yet settled for good, in one of three states:
--   ready    waiting to be claimed, ordered by priority (higher first) then seq (turbine:{q}:ready/prio)
--   delayed  not before visible_at: countdown, eta or retry backoff (turbine:{q}:delayed)
--   leased   held by a worker until visible_at, its lease deadline (turbine:{q}:leases)
-- visible_at is the one moment a message becomes claimable again, so promotion and lease
-- recovery share an index. seq is FIFO order; a message given back gets a negative seq so it
-- goes to the front of its priority level. envelope is NULL when its bytes are missing.
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  queue TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('ready', 'delayed', 'leased')),
  priority INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  visible_at INTEGER,
  -- leases that expired without an outcome (turbine:{q}:redeliveries)
  redeliveries INTEGER NOT NULL DEFAULT 0,
  -- set by markStarted while leased (turbine:{q}:started)
  worker_id TEXT,
  started_at INTEGER,
  envelope TEXT
);
-- claim: the next ready messages of a queue.
CREATE INDEX messages_claim ON messages (queue, state, priority DESC, seq);
-- claim: due delayed messages to promote and expired leases to take back; nextWakeAt.
CREATE INDEX messages_visible ON messages (queue, state, visible_at);

-- Sequence numbers handed out in blocks (turbine:{q}:seq, one for all queues here).
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('seq', 0);

-- Idempotency keys: the first task id submitted with a key, until expires_at (turbine:idem:*).
CREATE TABLE idempotency (
  key TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX idempotency_expiry ON idempotency (expires_at);

-- Revoked task ids, remembered until `until` for messages still in flight (turbine:revoked).
CREATE TABLE revoked (
  id TEXT PRIMARY KEY,
  until INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX revoked_expiry ON revoked (until);

-- Control messages to workers (the turbine:control channel): appended by revoke, polled by
-- subscribers for ids above the last one they saw, pruned after a minute.
CREATE TABLE control (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- Dead-letter entries (turbine:{q}:dlq and dlq:entries): kept until removed.
CREATE TABLE dlq (
  id TEXT PRIMARY KEY,
  queue TEXT NOT NULL,
  failed_at INTEGER NOT NULL,
  entry TEXT NOT NULL
);
CREATE INDEX dlq_queue ON dlq (queue, failed_at, id);
CREATE INDEX dlq_failed ON dlq (failed_at, id);

-- Result records (turbine:result:*): invisible once expires_at has passed, deleted by a periodic cleanup.
CREATE TABLE results (
  id TEXT PRIMARY KEY,
  record TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX results_expiry ON results (expires_at);
