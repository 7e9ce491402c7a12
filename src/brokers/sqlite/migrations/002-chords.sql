-- Chord bookkeeping (the chord keys of the Redis broker): one row per chord whose members have
-- started to end. size is the number of header members (0 while only a failure has been seen);
-- done counts distinct members that joined; failed is 1 once a member failed for good, after which
-- the body never runs. Rows live until expires_at (ttlMs after the last write): invisible once it
-- has passed, deleted with their results by the periodic cleanup.
CREATE TABLE chords (
  id TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0 CHECK (failed IN (0, 1)),
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX chords_expiry ON chords (expires_at);

-- The result (JSON text) of header member idx of a chord; one row per member however often it
-- is redelivered, read in idx order to build the body's first argument.
CREATE TABLE chord_results (
  chord_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (chord_id, idx)
) WITHOUT ROWID;
