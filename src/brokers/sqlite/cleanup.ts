import type Database from 'better-sqlite3';

/** Cleanup runs at most this often per connection; expired rows are invisible to reads meanwhile. */
export const CLEANUP_INTERVAL_MS = 5_000;
/** Control messages older than this are pruned; subscribers poll far more often. */
export const CONTROL_RETENTION_MS = 60_000;
/** Rows deleted per table and run, so one cleanup never holds the write lock for long. */
const CLEANUP_BATCH = 5_000;

/** Deletes expired rows when due; call it freely, it does the work at most once per interval. */
export type Cleanup = (now: number) => void;

/**
 * Prepares the periodic cleanup (what Redis does with key TTLs): expired result records,
 * idempotency keys, revocations and chords (with their members' results), and control messages
 * older than a minute, in one immediate transaction.
 */
export function prepareCleanup(db: Database.Database, intervalMs = CLEANUP_INTERVAL_MS): Cleanup {
  type Bounds = { before: number };
  // The batch in the SQL text, not bound: a bound LIMIT re-prepares the statement (bound-limit.ts).
  const batch = `LIMIT ${CLEANUP_BATCH}`;
  const results = db.prepare<Bounds>(
    `DELETE FROM results WHERE id IN (SELECT id FROM results WHERE expires_at <= @before ${batch})`,
  );
  const keys = db.prepare<Bounds>(
    `DELETE FROM idempotency WHERE key IN (SELECT key FROM idempotency WHERE expires_at <= @before ${batch})`,
  );
  const revoked = db.prepare<Bounds>(
    `DELETE FROM revoked WHERE id IN (SELECT id FROM revoked WHERE until <= @before ${batch})`,
  );
  // A batch of expired chords, the same one for both deletes (ordered by the expiry index).
  const expiredChords = `SELECT id FROM chords WHERE expires_at <= @before ORDER BY expires_at, id ${batch}`;
  const chordResults = db.prepare<Bounds>(`DELETE FROM chord_results WHERE chord_id IN (${expiredChords})`);
  const chords = db.prepare<Bounds>(`DELETE FROM chords WHERE id IN (${expiredChords})`);
  // The table only ever holds about a minute of revocations, so a scan is cheap.
  const control = db.prepare<Bounds>(
    `DELETE FROM control WHERE id IN (SELECT id FROM control WHERE created_at <= @before ${batch})`,
  );
  const run = db.transaction((now: number) => {
    results.run({ before: now });
    keys.run({ before: now });
    revoked.run({ before: now });
    chordResults.run({ before: now });
    chords.run({ before: now });
    control.run({ before: now - CONTROL_RETENTION_MS });
  });
  let lastRunAt = Number.NEGATIVE_INFINITY;
  return (now) => {
    if (now - lastRunAt < intervalMs && now >= lastRunAt) return;
    lastRunAt = now;
    run.immediate(now);
  };
}
