import type Database from 'better-sqlite3';
import { monotonicNow } from '../../util/monotonic-now.js';

/** How often an idle wait looks for commits by other connections: well inside the 50 ms promise, far from a spin. */
export const WORK_POLL_MS = 10;

/**
 * Serves `Broker.waitForWork` for the SQLite broker. Other processes are noticed through
 * `PRAGMA data_version`, which changes when another connection commits; this connection's own
 * enqueues and give-backs do not move it, so they wake local waiters directly. A change only
 * ends a wait when one of its queues has claimable work before the deadline, so workers busy
 * settling elsewhere do not make idle workers claim for nothing.
 */
export class WorkWatcher {
  private readonly dataVersion: Database.Statement<[], number>;
  private readonly hasWork: Database.Statement<{ queue: string; before: number }, number>;
  private readonly waiters = new Set<() => void>();
  /** Version seen by the last claim: commits after it may have brought work. */
  private claimedVersion: number | undefined;
  private localWrites = 0;
  private claimedLocalWrites = 0;

  constructor(
    db: Database.Database,
    private readonly clock: () => number,
  ) {
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.hasWork = db
      .prepare<{ queue: string; before: number }, number>(
        `SELECT EXISTS (SELECT 1 FROM messages WHERE queue = @queue AND state = 'ready')
             OR EXISTS (SELECT 1 FROM messages WHERE queue = @queue AND state = 'delayed' AND visible_at < @before)
             OR EXISTS (SELECT 1 FROM messages WHERE queue = @queue AND state = 'leased' AND visible_at < @before)`,
      )
      .pluck();
  }

  /** Notes what a claim saw (its `data_version`, read inside its transaction), like popping the Redis marker. */
  claimed(dataVersion: number): void {
    this.claimedVersion = dataVersion;
    this.claimedLocalWrites = this.localWrites;
  }

  /** This connection committed new work: wakes every local waiter at once. */
  notifyLocal(): void {
    this.localWrites++;
    if (this.waiters.size === 0) return;
    this.claimedLocalWrites = this.localWrites;
    for (const wake of [...this.waiters]) wake();
  }

  /** Ends every wait, for `close()`. */
  wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves when work may be claimable on `queues`, at `untilMs` (broker clock) at the latest, or on abort. */
  wait(queues: readonly string[], untilMs: number, signal: AbortSignal): Promise<void> {
    const waitMs = untilMs - this.clock();
    if (waitMs <= 0 || signal.aborted) return Promise.resolve();
    if (this.localWrites !== this.claimedLocalWrites) {
      // Work committed here since the last claim; like a Redis marker, it wakes one wait.
      this.claimedLocalWrites = this.localWrites;
      return Promise.resolve();
    }
    let seenVersion = this.claimedVersion;
    const changedWithWork = (): boolean => {
      const version = this.dataVersion.get()!;
      if (version === seenVersion) return false;
      seenVersion = version;
      if (!queues.some((queue) => this.hasWork.get({ queue, before: untilMs }) === 1)) return false;
      this.claimedVersion = version;
      return true;
    };
    if (changedWithWork()) return Promise.resolve();

    const endsAt = monotonicNow() + waitMs;
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (error?: unknown): void => {
        clearTimeout(timer);
        this.waiters.delete(finish);
        signal.removeEventListener('abort', onAbort);
        if (error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error(String(error)));
      };
      const onAbort = (): void => finish();
      const tick = (): void => {
        try {
          const remainingMs = endsAt - monotonicNow();
          if (remainingMs <= 0 || this.clock() >= untilMs || changedWithWork()) return finish();
          timer = setTimeout(tick, Math.min(WORK_POLL_MS, remainingMs));
        } catch (error) {
          finish(error);
        }
      };
      this.waiters.add(finish);
      signal.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(tick, Math.min(WORK_POLL_MS, waitMs));
    });
  }
}
