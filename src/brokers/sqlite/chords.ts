import type Database from 'better-sqlite3';
import type { ChordJoin } from '../broker.js';
import { expiresAt, type StoredMessage } from './message-writes.js';

/**
 * Chord bookkeeping inside the settle transaction, the twin of the chord part of `settle-1.lua`.
 * The caller stores what these return (the body, its DLQ entry), so every enqueue goes through
 * one path.
 */
export interface ChordBook {
  /**
   * Records header member `join.index` unless it was recorded before (a redelivered member counts
   * once). Returns the body to enqueue when this join was the last one of a chord that has not
   * failed, else undefined.
   */
  join(now: number, join: ChordJoin): StoredMessage | undefined;
  /**
   * Marks chord `chordId` failed. Returns true when the body must fail now: the chord was neither
   * failed already nor complete (its body enqueued) before.
   */
  fail(now: number, chordId: string, ttlMs: number): boolean;
}

interface ChordRow {
  size: number;
  done: number;
  failed: 0 | 1;
  expires_at: number;
}

/** Prepares the statements behind {@link ChordBook}; they run inside the caller's transaction. */
export function prepareChords(db: Database.Database): ChordBook {
  const chordRow = db.prepare<[string], ChordRow>(
    'SELECT size, done, failed, expires_at FROM chords WHERE id = ?',
  );
  const chordCreate = db.prepare<[string, number, number]>(
    'INSERT INTO chords (id, size, done, failed, expires_at) VALUES (?, ?, 0, 0, ?)',
  );
  // HSETNX of the member's result: no change when this index joined before.
  const chordAddResult = db.prepare<[string, number, string]>(
    'INSERT OR IGNORE INTO chord_results (chord_id, idx, result) VALUES (?, ?, ?)',
  );
  // HINCRBY of the count, with the PEXPIRE of the chord's keys.
  const chordCountDone = db.prepare<[number, string], { done: number; size: number }>(
    'UPDATE chords SET done = done + 1, expires_at = ? WHERE id = ? RETURNING done, size',
  );
  const chordResults = db
    .prepare<[string], string>('SELECT result FROM chord_results WHERE chord_id = ? ORDER BY idx')
    .pluck();
  const chordMarkFailed = db.prepare<[string, number]>(
    `INSERT INTO chords (id, size, done, failed, expires_at) VALUES (?, 0, 0, 1, ?)
     ON CONFLICT (id) DO UPDATE SET failed = 1, expires_at = excluded.expires_at`,
  );
  const chordForgetResults = db.prepare<[string]>('DELETE FROM chord_results WHERE chord_id = ?');
  const chordForget = db.prepare<[string]>('DELETE FROM chords WHERE id = ?');

  /** The live row of a chord; an expired one not yet cleaned up is deleted, as if Redis had expired its keys. */
  const liveChord = (now: number, id: string): ChordRow | undefined => {
    const row = chordRow.get(id);
    if (row === undefined || row.expires_at > now) return row;
    chordForgetResults.run(id);
    chordForget.run(id);
    return undefined;
  };

  return {
    join(now, join) {
      const { chordId, body } = join;
      const expires = expiresAt(now, join.ttlMs);
      const row = liveChord(now, chordId);
      if (row === undefined) chordCreate.run(chordId, join.size, expires);
      else if (row.failed === 1) return undefined;
      if (chordAddResult.run(chordId, join.index, join.resultJson).changes === 0) return undefined;
      const { done, size } = chordCountDone.get(expires, chordId)!;
      if (done !== size) return undefined;
      // An empty prefix counts as unset, as it must in Lua, where an argument cannot be absent.
      const envelope = body.prefix
        ? `${body.prefix}[${chordResults.all(chordId).join(',')}]${body.suffix ?? ''}`
        : body.envelope!;
      return { id: body.id, queue: body.queue, priority: body.priority, envelope, dueAt: body.dueAt };
    },
    fail(now, chordId, ttlMs) {
      const row = liveChord(now, chordId);
      if (row !== undefined && (row.failed === 1 || (row.size > 0 && row.done >= row.size))) return false;
      chordMarkFailed.run(chordId, expiresAt(now, ttlMs));
      return true;
    },
  };
}
