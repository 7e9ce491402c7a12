import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import type { ClaimRequest, OutgoingMessage } from '../../src/brokers/broker.js';
import { SqliteBroker, type SqliteBrokerOptions } from '../../src/brokers/sqlite/sqlite-broker.js';
import { backOfLevelSql } from '../../src/brokers/sqlite/sequence.js';
import { ENVELOPE_VERSION, type Envelope } from '../../src/protocol/envelope.js';
import type { ResultRecord } from '../../src/protocol/result-record.js';

/** Something a test opened and the kit closes after it (the leak guard). */
interface Closable {
  close(): unknown;
}

/**
 * A fresh directory for one test's database files. Everything registered with {@link track} is
 * closed when the test ends; the directory is removed when it passed and kept, with its path
 * printed, when it failed, so the database can be inspected.
 */
export function tempDir(): {
  dir: string;
  file: (name?: string) => string;
  track: <T extends Closable>(item: T) => T;
} {
  const dir = mkdtempSync(join(tmpdir(), 'turbine-sqlite-'));
  const opened: Closable[] = [];
  onTestFinished(async ({ task }) => {
    for (const item of opened.reverse()) await item.close();
    if (task.result?.state === 'fail')
      console.error(`kept SQLite files of failed test '${task.name}' in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    file: (name = 'turbine.db') => join(dir, name),
    track: (item) => {
      opened.push(item);
      return item;
    },
  };
}

/** A claim of up to 10 messages of `default` by worker `w1`, with a 30 s lease. */
export const defaultClaim: ClaimRequest = {
  queues: ['default'],
  max: 10,
  workerId: 'w1',
  leaseMs: 30_000,
  maxDeliveries: 5,
};

/** A broker on a fresh file, closed after the test. */
export function useBroker(options: Partial<SqliteBrokerOptions> = {}): {
  broker: SqliteBroker;
  path: string;
  /** Another broker on the same file: a second connection, as a second process would have. */
  peer: (peerOptions?: Partial<SqliteBrokerOptions>) => SqliteBroker;
  track: <T extends Closable>(item: T) => T;
} {
  const { file, track } = tempDir();
  const path = options.path ?? file();
  const broker = track(new SqliteBroker({ ...options, path }));
  return {
    broker,
    path,
    peer: (peerOptions = {}) => track(new SqliteBroker({ ...options, ...peerOptions, path })),
    track,
  };
}

/** A clock a test moves by hand. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

let counter = 0;

/** An envelope with sensible defaults and a unique id. */
export function envelope(overrides: Partial<Envelope> = {}): Envelope {
  counter += 1;
  return {
    v: ENVELOPE_VERSION,
    id: `task-${process.pid}-${counter}`,
    name: 'add',
    args: [1, 2],
    queue: 'default',
    priority: 0,
    attempt: 1,
    maxRetries: 3,
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

/** A ready message (or a delayed one when `dueAt` is given). */
export function message(overrides: Partial<Envelope> = {}, dueAt?: number): OutgoingMessage {
  return dueAt === undefined ? { envelope: envelope(overrides) } : { envelope: envelope(overrides), dueAt };
}

/** A result record for task `id`. */
export function record(id: string, overrides: Partial<ResultRecord> = {}): ResultRecord {
  return {
    id,
    name: 'add',
    queue: 'default',
    state: 'SUCCESS',
    attempts: 1,
    createdAt: 1,
    result: 3,
    ttlMs: 60_000,
    ...overrides,
  };
}

/**
 * Writes a ready message straight into the file, bypassing the broker; `bytes: null` leaves the
 * envelope out. For tests of undecodable and missing messages (and the conformance suite).
 */
export function injectRaw(path: string, queue: string, id: string, bytes: string | null): void {
  const db = new Database(path, { timeout: 5_000 });
  try {
    db.prepare('INSERT OR IGNORE INTO queues (name) VALUES (?)').run(queue);
    db.prepare(
      `INSERT INTO messages (id, queue, state, priority, seq, envelope)
       VALUES (?, ?, 'ready', 0, ${backOfLevelSql('?', '0')}, ?)`,
    ).run(id, queue, queue, bytes);
  } finally {
    db.close();
  }
}

/** Counts rows of a table, to see what a cleanup removed. */
export function countRows(db: Database.Database, table: string): number {
  return db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!;
}
