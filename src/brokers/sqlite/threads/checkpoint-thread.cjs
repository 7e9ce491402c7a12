// Checkpoints the WAL of one SQLite database, on a thread of its own, so that copying committed
// pages into the database file, and the fsyncs that go with it, no longer stall a task. Started by
// src/brokers/sqlite/wal-checkpointer.ts, which explains when and why. Plain CommonJS: a worker
// thread runs it without a TypeScript loader, and boots ~0.6 MB lighter than as an ES module.
// A message from the parent stops it.
'use strict';
const { watch } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

/** @type {{ path: string; delayMs: number }} */
const { path, delayMs } = workerData;
// Reads only: this connection never commits, so SQLite's own autocheckpoint never runs in it.
const db = new Database(path, { fileMustExist: true });
/** @type {import('node:fs').FSWatcher | undefined} */
let watcher;
/** @type {NodeJS.Timeout | undefined} */
let timer;

// One report per checkpoint: busy connections write the WAL tens of thousands of times a second,
// so the watch stops at the first write, and the checkpoint `delayMs` later takes in all of them.
function watchWal() {
  watcher = watch(`${path}-wal`, () => {
    watcher?.close();
    watcher = undefined;
    timer = setTimeout(checkpoint, delayMs);
  });
}

function checkpoint() {
  timer = undefined;
  try {
    // PASSIVE: never waits for, nor blocks, the connections that read and write meanwhile.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Another connection is checkpointing (SQLITE_BUSY): the next write brings another try.
  }
  watchWal();
}

parentPort?.once('message', () => {
  clearTimeout(timer);
  watcher?.close();
  db.close();
  parentPort?.close();
});
watchWal();
