import type * as WorkerThreads from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { lazyRequire } from '../../util/lazy-require.js';

const loadWorkerThreads = lazyRequire<typeof WorkerThreads>('node:worker_threads');

/** Beside this module in src/, and beside the bundle in dist/ (scripts/build.mjs copies it). */
const THREAD_SCRIPT = new URL('./threads/checkpoint-thread.cjs', import.meta.url);

/** Commits a connection makes before it starts its thread: a busy worker or producer gets one, a CLI command never. */
export const COMMITS_BEFORE_THREAD = 256;

/** How long after a WAL write the thread looks at the WAL: it takes in the writes of that time. */
export const LOOK_DELAY_MS = 25;

/** SQLite's own threshold (WAL pages) for the checkpoint a commit runs itself: its default. */
export const COMMIT_CHECKPOINT_PAGES = 1_000;

/** The WAL pages not yet in the database file at which the thread checkpoints: SQLite's threshold. */
export const THREAD_CHECKPOINT_PAGES = COMMIT_CHECKPOINT_PAGES;

/**
 * The same threshold while the thread runs. The commit's checkpoint still restarts the WAL, which
 * a checkpoint beside busy writers cannot (new frames always follow it), but it then finds the
 * pages already copied, and comes a quarter as often.
 */
export const COMMIT_CHECKPOINT_PAGES_WITH_THREAD = 4_000;

export interface WalCheckpointerOptions {
  /** @defaultValue COMMITS_BEFORE_THREAD */
  commitsBeforeThread?: number;
  /** @defaultValue THREAD_CHECKPOINT_PAGES */
  threadCheckpointPages?: number;
}

/**
 * Moves the checkpoints of a busy connection's WAL onto a thread. SQLite checkpoints in the commit
 * that takes the WAL past 1,000 pages: the commit copies them into the database file and fsyncs
 * both files first, 3 to 5 ms that fell on one task in every ~75 sent one at a time across
 * processes, which made them the embedded broker's p99 (docs/performance.md). The thread looks at
 * the WAL `LOOK_DELAY_MS` after it is written and copies its pages once `THREAD_CHECKPOINT_PAGES`
 * wait, beside the writers, so a commit's own checkpoint (kept, rarer, as the fallback) finds
 * little left to do. A thread costs ~10 MB of RSS, so only a connection that has made
 * `COMMITS_BEFORE_THREAD` commits starts one. Should the thread fail, the connection checkpoints
 * as SQLite does by default.
 */
export class WalCheckpointer {
  private commits = 0;
  private thread: WorkerThreads.Worker | undefined;
  private closed = false;
  private readonly commitsBeforeThread: number;
  private readonly threadCheckpointPages: number;

  constructor(
    private readonly db: Database.Database,
    options: WalCheckpointerOptions = {},
  ) {
    this.commitsBeforeThread = options.commitsBeforeThread ?? COMMITS_BEFORE_THREAD;
    this.threadCheckpointPages = options.threadCheckpointPages ?? THREAD_CHECKPOINT_PAGES;
  }

  /** True while the thread runs: for tests. */
  get running(): boolean {
    return this.thread !== undefined;
  }

  /** Counts a commit of the connection; the `commitsBeforeThread`-th starts the thread. */
  committed(): void {
    if (++this.commits === this.commitsBeforeThread && !this.closed) this.start();
  }

  /** Stops the thread, after the checkpoint it may be running; call before closing the connection. */
  async close(): Promise<void> {
    this.closed = true;
    const thread = this.thread;
    if (!thread) return;
    const exited = new Promise((resolve) => thread.once('exit', resolve));
    // Held by the thread until it ends: an unreferenced one would let the process exit mid-await.
    thread.ref();
    thread.postMessage('stop');
    await exited;
  }

  private start(): void {
    try {
      const { Worker } = loadWorkerThreads();
      const thread = new Worker(THREAD_SCRIPT, {
        workerData: { path: this.db.name, delayMs: LOOK_DELAY_MS, minPages: this.threadCheckpointPages },
        // It holds one connection and a timer; V8's default limits cost ~0.5 MB more RSS.
        resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
      });
      // Never what keeps a process alive.
      thread.unref();
      // A thread that fails (no file watch on this file system, say) ends; its error is not the app's.
      thread.on('error', () => undefined);
      thread.once('exit', () => this.stopped(thread));
      this.thread = thread;
      this.db.pragma(`wal_autocheckpoint = ${COMMIT_CHECKPOINT_PAGES_WITH_THREAD}`);
    } catch {
      // No thread: the connection keeps checkpointing as SQLite does.
    }
  }

  private stopped(thread: WorkerThreads.Worker): void {
    if (this.thread !== thread) return;
    this.thread = undefined;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${COMMIT_CHECKPOINT_PAGES}`);
  }
}
