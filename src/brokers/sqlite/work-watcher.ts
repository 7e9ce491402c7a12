import type Database from 'better-sqlite3';
import { monotonicNow } from '../../util/monotonic-now.js';
import { watchWal } from './wal-watch.js';

/** How often an idle wait looks for commits by other connections: well inside the 50 ms promise, far from a spin. */
export const WORK_POLL_MS = 10;

/**
 * The first time between two looks brought forward by WAL writes, after one saw another
 * connection's commit with no work for the wait's queues. Each such look doubles it, up to the
 * poll's interval: peers busy with other queues write constantly, and an idle worker then looks
 * about as often as its poll alone would, while on a quiet machine the first write after a wait
 * began is looked at at once. Also the soonest follow-up after a look that saw no commit yet.
 */
const FIRST_WRITE_GAP_MS = 1;

export interface WorkWatcherOptions {
  /** @defaultValue WORK_POLL_MS */
  pollMs?: number;
  /** Reports writes to the database file by any connection; returns a function that stops it. @defaultValue watchWal */
  watchWrites?: (onWrite: () => void) => () => void;
}

/**
 * Serves `Broker.waitForWork` for the SQLite broker. Other processes are noticed through
 * `PRAGMA data_version`, which changes when another connection commits; this connection's own
 * enqueues and give-backs do not move it, so they wake local waiters directly. A wait looks every
 * `pollMs`, and at once when the WAL file is written (a cross-process wake-up in well under a
 * millisecond instead of half a poll, where the file system reports writes). A change only ends
 * a wait when one of its queues has claimable work before the deadline, so workers busy settling
 * elsewhere do not make idle workers claim for nothing.
 */
export class WorkWatcher {
  private readonly dataVersion: Database.Statement<[], number>;
  private readonly hasWork: Database.Statement<{ queue: string; before: number }, number>;
  private readonly waiters = new Set<() => void>();
  /** Version seen by the last claim: commits after it may have brought work. */
  private claimedVersion: number | undefined;
  private localWrites = 0;
  private claimedLocalWrites = 0;
  private readonly pollMs: number;
  private readonly watchWrites: (onWrite: () => void) => () => void;

  constructor(
    db: Database.Database,
    private readonly clock: () => number,
    options: WorkWatcherOptions = {},
  ) {
    this.pollMs = options.pollMs ?? WORK_POLL_MS;
    this.watchWrites = options.watchWrites ?? ((onWrite) => watchWal(db.name, onWrite));
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
    /** Whether the last look saw another connection's commit that brought these queues nothing. */
    let idleCommit = false;
    const changedWithWork = (): boolean => {
      const version = this.dataVersion.get()!;
      idleCommit = false;
      if (version === seenVersion) return false;
      seenVersion = version;
      if (!queues.some((queue) => this.hasWork.get({ queue, before: untilMs }) === 1)) {
        idleCommit = true;
        return false;
      }
      this.claimedVersion = version;
      return true;
    };
    if (changedWithWork()) return Promise.resolve();

    let lookedAt = monotonicNow();
    const endsAt = lookedAt + waitMs;
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let unwatch: (() => void) | undefined;
      let forWrite = false;
      let writeGapMs = 0;
      const finish = (error?: unknown): void => {
        clearTimeout(timer);
        unwatch?.();
        this.waiters.delete(finish);
        signal.removeEventListener('abort', onAbort);
        if (error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error(String(error)));
      };
      const onAbort = (): void => finish();
      const look = (): void => {
        try {
          lookedAt = monotonicNow();
          const remainingMs = endsAt - lookedAt;
          if (remainingMs <= 0 || this.clock() >= untilMs || changedWithWork()) return finish();
          let nextMs = this.pollMs;
          if (forWrite && idleCommit) {
            writeGapMs = Math.min(this.pollMs, Math.max(FIRST_WRITE_GAP_MS, writeGapMs * 2));
          } else if (forWrite) {
            // SQLite writes a commit to the WAL before it publishes it (in the WAL index, shared
            // memory no watch sees): a look right after the write can miss it, so one more
            // follows, as soon as the write gap allows.
            nextMs = Math.max(FIRST_WRITE_GAP_MS, writeGapMs);
          }
          forWrite = false;
          timer = setTimeout(look, Math.min(nextMs, remainingMs));
          unwatch ??= this.watchWrites(onWrite);
        } catch (error) {
          finish(error);
        }
      };
      // One report per look: a busy peer writes the WAL tens of thousands of times a second, and
      // each report costs this process a callback, so the watch stops at the first and the look
      // that follows starts it again.
      const onWrite = (): void => {
        unwatch?.();
        unwatch = undefined;
        forWrite = true;
        clearTimeout(timer);
        const gapLeftMs = lookedAt + writeGapMs - monotonicNow();
        if (gapLeftMs <= 0) look();
        else timer = setTimeout(look, gapLeftMs);
      };
      unwatch = this.watchWrites(onWrite);
      this.waiters.add(finish);
      signal.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(look, Math.min(this.pollMs, waitMs));
    });
  }
}
