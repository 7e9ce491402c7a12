import { watch } from 'node:fs';

const unwatched = (): void => {};

/**
 * Calls `onWrite` whenever a connection, in any process, writes to the WAL file of the database at
 * `databasePath`: another process's commit shows there at once, where `PRAGMA data_version` only
 * shows it when polled. A hint, not a guarantee: where the file system does not report writes, or
 * the watch cannot be set up, nothing is called and the caller's poll still finds the commit.
 * Returns a function that stops watching.
 */
export function watchWal(databasePath: string, onWrite: () => void): () => void {
  try {
    // Not persistent: a watch must never keep a process alive.
    const watcher = watch(`${databasePath}-wal`, { persistent: false }, onWrite);
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  } catch {
    return unwatched;
  }
}
