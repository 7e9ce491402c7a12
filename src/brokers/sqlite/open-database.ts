import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { lazyRequire } from '../../util/lazy-require.js';
import { makeDirectories } from '../../util/make-directories.js';
import { applyMigrations } from './migrations.js';

/**
 * better-sqlite3 is loaded on first use, so an app on Redis never pays its memory (~7 MB RSS).
 * It is a CommonJS package, so a synchronous require keeps `new Turbine()` synchronous.
 */
const loadDriver = lazyRequire<typeof Database>('better-sqlite3');

/** How long a connection waits for another process's write lock before failing (SQLITE_BUSY). */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * Page cache per connection, in KiB: SQLite's own default. better-sqlite3 builds SQLite with 16 MB,
 * which a worker filled in one 50,000-task drain (RSS 90 MB after it, 74 MB with 2 MB) without
 * draining faster: missed pages come from the OS's file cache (docs/performance.md).
 */
export const PAGE_CACHE_KIB = 2_000;

/**
 * Opens (creating it and its folder when needed) the database file shared by the SQLite broker
 * and result backend: WAL so readers never block the writer; `synchronous=NORMAL`, so a commit
 * costs no fsync yet survives a process crash (a power loss may undo the last commits, never
 * corrupt the file); a busy timeout so processes queue for the write lock; a page cache of
 * `PAGE_CACHE_KIB`; and the schema migrated to the latest version.
 * @throws the folder's `mkdir` error when it cannot be made (see makeDirectories), or SQLite's when
 * the file cannot be opened or migrated.
 */
export function openSqliteDatabase(path: string): Database.Database {
  makeDirectories(dirname(path));
  const Driver = loadDriver();
  const db = new Driver(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    enableWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    applyMigrations(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Switching a new file to WAL needs an exclusive lock. SQLite does not promise to call the busy
 * handler for every lock (it returns SQLITE_BUSY at once where waiting could deadlock), so
 * processes opening a fresh file together retry here rather than fail at start.
 */
function enableWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20);
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
