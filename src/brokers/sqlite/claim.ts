import type Database from 'better-sqlite3';
import { boundLimit } from './bound-limit.js';
import { backOfLevelSql } from './sequence.js';

/** Delayed messages promoted per queue and claim, as in `claim-2.lua`. */
const PROMOTE_BATCH = 1_000;

/** One leased message as the claim transition hands it out. */
export interface ClaimedRow {
  id: string;
  queue: string;
  /** The stored envelope, or null when it is missing. */
  envelope: string | null;
  /** Deliveries without an outcome, this one included. */
  deliveries: number;
  poisoned: boolean;
  revoked: boolean;
}

/** What one claim transition returns. */
export interface ClaimOutcome {
  rows: ClaimedRow[];
  /** Earliest due time or lease deadline of the queues not drained to `max`, if any. */
  nextWakeAt: number | undefined;
  /** `PRAGMA data_version` read inside the transaction, so a commit right after it is noticed by waitForWork. */
  dataVersion: number;
}

/** The claim transition's body: leases up to `max` messages from `queues`, in that order. */
export type ClaimBody = (
  now: number,
  queues: readonly string[],
  max: number,
  leaseMs: number,
  maxDeliveries: number,
) => ClaimOutcome;

interface LeasedRow {
  id: string;
  envelope: string | null;
  redeliveries: number;
  revoked: 0 | 1;
  priority: number;
  seq: number;
}

/**
 * Prepares the body of the claim transition, the twin of `claim-2.lua`: per queue in the given
 * order, promote due delayed messages, take back expired leases first (they have waited longest,
 * and each counts a redelivery), then lease ready messages, highest priority first and FIFO
 * within a priority. Runs inside the caller's transaction.
 */
export function prepareClaim(db: Database.Database): ClaimBody {
  const dueIds = db
    .prepare<[string, number], string>(
      `SELECT id FROM messages WHERE queue = ? AND state = 'delayed' AND visible_at <= ?
       ORDER BY visible_at LIMIT ${PROMOTE_BATCH}`,
    )
    .pluck();
  const promote = db.prepare<[string]>(
    `UPDATE messages SET state = 'ready', visible_at = NULL,
       seq = ${backOfLevelSql('messages.queue', 'messages.priority')}
     WHERE id = ?`,
  );
  const expiredIds = db
    .prepare<[string, number, number], string>(
      `SELECT id FROM messages WHERE queue = ? AND state = 'leased' AND visible_at <= ?
       ORDER BY visible_at LIMIT ${boundLimit('?')}`,
    )
    .pluck();
  const revokedColumn =
    'EXISTS (SELECT 1 FROM revoked WHERE revoked.id = messages.id AND revoked.until > @now)';
  const retake = db.prepare<{ id: string; deadline: number; now: number }, LeasedRow>(
    `UPDATE messages SET visible_at = @deadline, redeliveries = redeliveries + 1, worker_id = NULL, started_at = NULL
     WHERE id = @id
     RETURNING id, envelope, redeliveries, ${revokedColumn} AS revoked, priority, seq`,
  );
  const lease = db.prepare<{ queue: string; want: number; deadline: number; now: number }, LeasedRow>(
    `UPDATE messages SET state = 'leased', visible_at = @deadline
     WHERE id IN (SELECT id FROM messages WHERE queue = @queue AND state = 'ready' ORDER BY priority DESC, seq LIMIT ${boundLimit('@want')})
     RETURNING id, envelope, redeliveries, ${revokedColumn} AS revoked, priority, seq`,
  );
  // `visible_at IS NOT NULL` names the condition of the partial index that holds these messages
  // (003-partial-indexes.sql); without it SQLite cannot use that index for min().
  const nextWake = db.prepare<{ queue: string }, { due: number | null; expiry: number | null }>(
    `SELECT (SELECT min(visible_at) FROM messages WHERE queue = @queue AND state = 'delayed' AND visible_at IS NOT NULL) AS due,
            (SELECT min(visible_at) FROM messages WHERE queue = @queue AND state = 'leased' AND visible_at IS NOT NULL) AS expiry`,
  );
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();

  const claimQueue = (queue: string, now: number, max: number, leaseMs: number, maxDeliveries: number) => {
    const due = dueIds.all(queue, now);
    for (const id of due) promote.run(id);
    const deadline = now + leaseMs;
    const taken = expiredIds.all(queue, now, max).map((id) => retake.get({ id, deadline, now })!);
    const fresh = taken.length < max ? lease.all({ queue, want: max - taken.length, deadline, now }) : [];
    // RETURNING yields rows in no set order: restore the order they were chosen in.
    fresh.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
    const rows = [...taken, ...fresh].map((row): ClaimedRow => {
      const expiredCount = row.redeliveries;
      return {
        id: row.id,
        queue,
        envelope: row.envelope,
        deliveries: expiredCount + 1,
        poisoned: expiredCount >= maxDeliveries,
        revoked: row.revoked === 1,
      };
    });
    let wakeAt: number | undefined;
    if (rows.length < max) {
      const { due: nextDue, expiry } = nextWake.get({ queue })!;
      wakeAt = earliest(nextDue ?? undefined, expiry ?? undefined);
    }
    return { rows, wakeAt };
  };

  return (now, queues, max, leaseMs, maxDeliveries) => {
    const rows: ClaimedRow[] = [];
    let nextWakeAt: number | undefined;
    for (const queue of queues) {
      if (rows.length >= max) break;
      const claimed = claimQueue(queue, now, max - rows.length, leaseMs, maxDeliveries);
      rows.push(...claimed.rows);
      nextWakeAt = earliest(nextWakeAt, claimed.wakeAt);
    }
    return { rows, nextWakeAt, dataVersion: dataVersion.get()! };
  };
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
