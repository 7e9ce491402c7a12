import { copyFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../src/brokers/sqlite/open-database.js';
import {
  COMMITS_BEFORE_THREAD,
  COMMIT_CHECKPOINT_PAGES,
  COMMIT_CHECKPOINT_PAGES_WITH_THREAD,
  WalCheckpointer,
} from '../../src/brokers/sqlite/wal-checkpointer.js';
import { runModule } from '../helpers/run-module.js';
import { waitFor } from '../helpers/wait-for.js';
import { message, tempDir, useBroker } from './sqlite-test-kit.js';

/**
 * A database with a table to write to, and a checkpointer that starts its thread at the third
 * commit and checkpoints from `threadCheckpointPages` WAL pages (a commit here writes one or two).
 */
function useCheckpointed(threadCheckpointPages = 4): {
  db: Database.Database;
  checkpointer: WalCheckpointer;
  file: (name?: string) => string;
  commit: () => void;
} {
  const { file, track } = tempDir();
  const db = track(openSqliteDatabase(file()));
  db.exec('CREATE TABLE notes (n INTEGER)');
  const insert = db.prepare('INSERT INTO notes (n) VALUES (1)');
  const checkpointer = new WalCheckpointer(db, { commitsBeforeThread: 3, threadCheckpointPages });
  // Closed before the database, as the broker does (tracked items close in reverse).
  track(checkpointer);
  return {
    db,
    checkpointer,
    file,
    commit: () => {
      insert.run();
      checkpointer.committed();
    },
  };
}

/** Rows of `notes` in the database file alone, as a copy without its WAL reads it. */
function notesInDatabaseFile(path: string, copy: string): number {
  for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
  copyFileSync(path, copy);
  const reader = new Database(copy, { readonly: true });
  try {
    return reader.prepare('SELECT count(*) FROM notes').pluck().get() as number;
  } catch {
    return 0; // Copied while the thread was writing a page, or before the table reached the file.
  } finally {
    reader.close();
  }
}

const autocheckpoint = (db: Database.Database): unknown => db.pragma('wal_autocheckpoint', { simple: true });

describe('WalCheckpointer', () => {
  it('starts its thread at the set commit, which copies WAL pages into the database file', async () => {
    const { db, checkpointer, file, commit } = useCheckpointed();
    commit();
    commit();
    expect(checkpointer.running).toBe(false);
    expect(autocheckpoint(db)).toBe(COMMIT_CHECKPOINT_PAGES);

    commit();
    expect(checkpointer.running).toBe(true);
    expect(autocheckpoint(db)).toBe(COMMIT_CHECKPOINT_PAGES_WITH_THREAD);
    // A handful of pages is far below either threshold, so only the thread copies them. It watches
    // the WAL only once it has booted, so every poll here commits once more to wake it.
    const copied = await waitFor(() => {
      commit();
      return notesInDatabaseFile(file(), file('copy.db'));
    }, 'the thread to checkpoint');
    expect(copied).toBeGreaterThanOrEqual(3);
  });

  it('leaves the pages in the WAL until the set number wait there', async () => {
    const { file, commit } = useCheckpointed(200);
    let commits = 0;
    await waitFor(() => {
      commit();
      commits += 1;
      return notesInDatabaseFile(file(), file('copy.db'));
    }, 'the thread to checkpoint');
    // At most two pages a commit: 200 pages take 100 commits or more.
    expect(commits).toBeGreaterThanOrEqual(100);
  });

  it('stops its thread on close, and starts none after', async () => {
    const { checkpointer, commit } = useCheckpointed();
    for (let i = 0; i < 3; i++) commit();
    expect(checkpointer.running).toBe(true);
    await checkpointer.close();
    expect(checkpointer.running).toBe(false);
    for (let i = 0; i < 3; i++) commit();
    expect(checkpointer.running).toBe(false);
  });

  it('leaves the connection checkpointing as SQLite does when the thread fails', async () => {
    const { db, checkpointer, file, commit } = useCheckpointed();
    // The open connection keeps working; the thread cannot open a file that is gone.
    for (const suffix of ['', '-wal', '-shm']) rmSync(file() + suffix);
    for (let i = 0; i < 3; i++) commit();
    await waitFor(() => !checkpointer.running, 'the failed thread to end');
    expect(autocheckpoint(db)).toBe(COMMIT_CHECKPOINT_PAGES);
  });
});

describe('SqliteBroker checkpoints', () => {
  it('moves them onto a thread once the connection is busy', async () => {
    const { broker } = useBroker();
    for (let i = 0; i < COMMITS_BEFORE_THREAD - 1; i++) await broker.enqueue([message()]);
    expect(autocheckpoint(broker.database)).toBe(COMMIT_CHECKPOINT_PAGES);
    await broker.enqueue([message()]);
    expect(autocheckpoint(broker.database)).toBe(COMMIT_CHECKPOINT_PAGES_WITH_THREAD);
  });

  it('lets a process whose last step is closing the broker finish that step', async () => {
    // The thread never keeps a process alive, so while close() waits for it something else must.
    // One message enqueued again and again: every enqueue is a commit all the same.
    const { file } = tempDir();
    const broker = new URL('../../src/brokers/sqlite/sqlite-broker.ts', import.meta.url).href;
    const script = [
      `const { SqliteBroker } = await import(${JSON.stringify(broker)});`,
      `const broker = new SqliteBroker({ path: ${JSON.stringify(file())} });`,
      `for (let i = 0; i < ${COMMITS_BEFORE_THREAD}; i++) await broker.enqueue([{ envelope: ${JSON.stringify(message().envelope)} }]);`,
      `await broker.close();`,
      `console.log('closed');`,
    ].join('\n');
    expect((await runModule(script)).trim()).toBe('closed');
  });
});
