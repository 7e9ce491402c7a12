import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations } from '../../src/brokers/sqlite/migrations.js';
import {
  BUSY_TIMEOUT_MS,
  PAGE_CACHE_KIB,
  openSqliteDatabase,
} from '../../src/brokers/sqlite/open-database.js';
import { SqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.js';
import { sqlitePathFromUrl } from '../../src/brokers/sqlite/sqlite-path.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { defaultClaim, envelope, message, tempDir } from './sqlite-test-kit.js';

describe('openSqliteDatabase', () => {
  it('creates the file and its folder in WAL mode, with a busy timeout, a page cache and the latest schema', () => {
    const { file, track } = tempDir();
    const path = file('deep/er/turbine.db');
    const db = track(openSqliteDatabase(path));
    expect(existsSync(path)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    // Negative: KiB rather than pages. better-sqlite3's build would give -16000.
    expect(db.pragma('cache_size', { simple: true })).toBe(-PAGE_CACHE_KIB);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining(['messages', 'results', 'dlq', 'control', 'revoked', 'idempotency', 'queues']),
    );
  });

  it('reopens an existing file without running migrations again', async () => {
    const { file, track } = tempDir();
    const first = new SqliteBroker({ path: file() });
    await first.enqueue([message({ id: 'kept' })]);
    await first.close();
    const second = track(new SqliteBroker({ path: file() }));
    expect(await second.locate('kept')).toMatchObject({ state: 'PENDING' });
  });

  it('applies only the migrations above the recorded version, in one transaction', () => {
    const { file, track } = tempDir();
    const db = track(new Database(file()));
    const steps = [
      { version: 1, name: '001-a.sql', sql: 'CREATE TABLE a (x);' },
      { version: 2, name: '002-b.sql', sql: 'CREATE TABLE b (x);' },
    ];
    expect(applyMigrations(db, steps.slice(0, 1))).toBe(1);
    expect(applyMigrations(db, steps)).toBe(2);
    expect(applyMigrations(db, steps)).toBe(2);
    const broken = [
      ...steps,
      { version: 3, name: '003-c.sql', sql: 'CREATE TABLE c (x); CREATE TABLE a (x);' },
    ];
    expect(() => applyMigrations(db, broken)).toThrow(/already exists/);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'c'").pluck().get()).toBe(0);
  });

  it('moves a file of schema version 2 to the partial message indexes, keeping its messages', async () => {
    const { file, track } = tempDir();
    const old = new Database(file());
    applyMigrations(old, loadMigrations().slice(0, 2));
    const insert = old.prepare(
      'INSERT INTO messages (id, queue, state, priority, seq, visible_at, envelope) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('waiting', 'default', 'ready', 0, 1, null, JSON.stringify(envelope({ id: 'waiting' })));
    insert.run(
      'later',
      'default',
      'delayed',
      0,
      0,
      Date.now() + 60_000,
      JSON.stringify(envelope({ id: 'later' })),
    );
    old.prepare("INSERT INTO queues (name) VALUES ('default')").run();
    old.close();

    const broker = track(new SqliteBroker({ path: file() }));
    const indexes = track(new Database(file(), { readonly: true }))
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY name",
      )
      .all();
    expect(indexes).toEqual([
      { name: 'messages_claim', sql: expect.stringContaining("WHERE state = 'ready'") },
      { name: 'messages_visible', sql: expect.stringContaining('WHERE visible_at IS NOT NULL') },
    ]);
    expect((await broker.claim(defaultClaim)).deliveries.map((d) => d.id)).toEqual(['waiting']);
    expect(await broker.queueStats()).toEqual([
      { name: 'default', waiting: 0, delayed: 1, active: 1, dlq: 0 },
    ]);
    expect(await broker.purge('default')).toBe(1);
  });

  it('moves a file of schema version 3 off the sequence counter, keeping FIFO across the upgrade', async () => {
    const { file, track } = tempDir();
    const old = new Database(file());
    applyMigrations(old, loadMigrations().slice(0, 3));
    // A release with the counter had handed out seq 1 … 41 and kept two messages ready.
    old.prepare("UPDATE counters SET value = 41 WHERE name = 'seq'").run();
    const insert = old.prepare(
      "INSERT INTO messages (id, queue, state, priority, seq, envelope) VALUES (?, 'default', 'ready', 0, ?, ?)",
    );
    insert.run('first', 40, JSON.stringify(envelope({ id: 'first' })));
    insert.run('second', 41, JSON.stringify(envelope({ id: 'second' })));
    old.prepare("INSERT INTO queues (name) VALUES ('default')").run();
    old.close();

    const broker = track(new SqliteBroker({ path: file() }));
    await broker.enqueue([message({ id: 'third' })]);
    const tables = track(new Database(file(), { readonly: true }))
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'counters'")
      .pluck()
      .get();
    expect(tables).toBe(0);
    const claimed = await broker.claim({ ...defaultClaim, max: 10 });
    expect(claimed.deliveries.map((d) => d.id)).toEqual(['first', 'second', 'third']);
  });

  it('refuses a file written by a newer release', () => {
    const { file, track } = tempDir();
    const db = track(new Database(file()));
    db.pragma('user_version = 99');
    expect(() => applyMigrations(db)).toThrow(/schema version 99.*upgrade turbine-queue/);
  });
});

describe('sqlitePathFromUrl', () => {
  it('maps no URL to .turbine/turbine.db under the working directory', () => {
    expect(sqlitePathFromUrl(undefined, '/srv/app')).toBe(join('/srv/app', '.turbine', 'turbine.db'));
    expect(sqlitePathFromUrl('', '/srv/app')).toBe(join('/srv/app', '.turbine', 'turbine.db'));
  });

  it('maps sqlite:///abs and sqlite://relative paths, decoding escapes', () => {
    expect(sqlitePathFromUrl('sqlite:///var/lib/q.db', '/srv/app')).toBe('/var/lib/q.db');
    expect(sqlitePathFromUrl('sqlite://data/q.db', '/srv/app')).toBe('/srv/app/data/q.db');
    expect(sqlitePathFromUrl('sqlite://./q.db', '/srv/app')).toBe('/srv/app/q.db');
    expect(sqlitePathFromUrl('sqlite:///tmp/my%20queue.db', '/srv/app')).toBe('/tmp/my queue.db');
  });

  it('rejects other schemes and URLs that name no file', () => {
    expect(() => sqlitePathFromUrl('redis://localhost', '/srv')).toThrow(ConfigError);
    expect(() => sqlitePathFromUrl('sqlite://', '/srv')).toThrow(/names no file/);
    expect(() => sqlitePathFromUrl('sqlite:///', '/srv')).toThrow(/names no file/);
    expect(() => sqlitePathFromUrl('sqlite:///bad%zz', '/srv')).toThrow(/percent-escape/);
  });
});
