import type Database from 'better-sqlite3';
import type { ControlMessage, Unsubscribe } from '../broker.js';

/** How often a subscriber looks for new control messages; revocations need not be instant. */
export const CONTROL_POLL_MS = 50;
const BATCH = 1_000;

/**
 * Serves `Broker.subscribeControl` for the SQLite broker: revoke appends to the `control` table
 * (in its transaction), and each subscription polls for rows above the last id it saw. Rows stay a
 * minute (see cleanup.ts), far longer than a poll, so a subscriber never misses one.
 */
export class ControlFeed {
  private readonly lastId: Database.Statement<[], number>;
  private readonly since: Database.Statement<[number], { id: number; message: string }>;
  private readonly stops = new Set<() => void>();

  constructor(db: Database.Database) {
    this.lastId = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM control').pluck();
    // The batch in the SQL text, not bound: a bound LIMIT re-prepares the statement (bound-limit.ts).
    this.since = db.prepare<[number], { id: number; message: string }>(
      `SELECT id, message FROM control WHERE id > ? ORDER BY id LIMIT ${BATCH}`,
    );
  }

  /** Delivers control messages appended from now on to `handler`, until the returned function is called. */
  subscribe(handler: (message: ControlMessage) => void): Unsubscribe {
    let seen = this.lastId.get()!;
    const poll = (): void => {
      let rows: { id: number; message: string }[];
      try {
        rows = this.since.all(seen);
      } catch {
        // The database was closed under us: the subscription ends with it.
        stop();
        return;
      }
      for (const row of rows) {
        seen = row.id;
        deliver(handler, row.message);
      }
    };
    // Polling keeps no process alive on its own: a worker stays up for its consumer loop.
    const timer = setInterval(poll, CONTROL_POLL_MS).unref();
    const stop = (): void => {
      clearInterval(timer);
      this.stops.delete(stop);
    };
    this.stops.add(stop);
    return async () => stop();
  }

  /** Stops every subscription, for `close()`. */
  stopAll(): void {
    for (const stop of [...this.stops]) stop();
  }
}

function deliver(handler: (message: ControlMessage) => void, text: string): void {
  try {
    handler(JSON.parse(text) as ControlMessage);
  } catch {
    // A malformed control message carries no task, and a failing handler must not end the
    // subscription (or crash the process from a timer): both are ignored, as in the Redis broker.
  }
}
