// Checkpoints the WAL of one SQLite database, on a thread of its own, so that copying committed
// pages into the database file, and the fsyncs that go with it, no longer stall a task. Started by
// src/brokers/sqlite/wal-checkpointer.ts, which explains when and why. Plain CommonJS: a worker
// thread runs it without a TypeScript loader, and boots ~0.6 MB lighter than as an ES module.
// A message from the parent stops it.
'use strict';
const { closeSync, openSync, readSync, watch } = require('node:fs');
const { Buffer } = require('node:buffer');
const { endianness } = require('node:os');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

/** @type {{ path: string; delayMs: number; minPages: number }} */
const { path, delayMs, minPages } = workerData;
// Reads only: this connection never commits, so SQLite's own autocheckpoint never runs in it.
const db = new Database(path, { fileMustExist: true });
db.pragma('schema_version'); // A first read: it opens the WAL index, read below.
const walIndex = openSync(`${path}-shm`, 'r');
const walIndexHeader = Buffer.alloc(100);
const readU32 = endianness() === 'LE' ? 'readUInt32LE' : 'readUInt32BE';
/** @type {import('node:fs').FSWatcher | undefined} */
let watcher;
/** @type {NodeJS.Timeout | undefined} */
let timer;

/**
 * The WAL pages not yet copied into the database file, from the WAL index's header in the `-shm`
 * file (https://sqlite.org/walformat.html: `mxFrame` at byte 16, `nBackfill` at byte 96, in the
 * machine's byte order).
 */
function pendingPages() {
  readSync(walIndex, walIndexHeader, 0, walIndexHeader.length, 0);
  return walIndexHeader[readU32](16) - walIndexHeader[readU32](96);
}

// One report per look: busy connections write the WAL tens of thousands of times a second, so the
// watch stops at the first write, and the look `delayMs` later takes in all of them.
function watchWal() {
  watcher = watch(`${path}-wal`, () => {
    watcher?.close();
    watcher = undefined;
    timer = setTimeout(look, delayMs);
  });
}

// Checkpoints only once `minPages` wait: the first commit after a checkpoint that copied every page
// restarts the WAL and syncs its header, so checkpointing after every few writes would put that
// sync on nearly every task of a quiet queue.
function look() {
  timer = undefined;
  try {
    // PASSIVE: never waits for, nor blocks, the connections that read and write meanwhile.
    if (pendingPages() >= minPages) db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Another connection is checkpointing (SQLITE_BUSY): the next write brings another try.
  }
  watchWal();
}

parentPort?.once('message', () => {
  clearTimeout(timer);
  watcher?.close();
  closeSync(walIndex);
  db.close();
  parentPort?.close();
});
watchWal();
