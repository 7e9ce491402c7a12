import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/loaded-drivers.ts', import.meta.url));

/** Runs the fixture app on `broker` in a fresh process; returns what it reports. */
async function runApp(broker: string) {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', FIXTURE, broker], {
    timeout: 30_000,
  });
  return JSON.parse(stdout) as {
    result: number;
    ioredis: boolean;
    betterSqlite3: boolean;
    sqliteBroker: boolean;
  };
}

describe('each broker loads only its own driver and code', () => {
  let redis: RedisServer;
  let dir: string;
  beforeAll(async () => {
    redis = await startRedisServer();
    dir = mkdtempSync(join(tmpdir(), 'turbine-drivers-'));
  });
  afterAll(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an app on the embedded SQLite broker never loads ioredis', async () => {
    const report = await runApp(`sqlite://${join(dir, 'app.db')}`);
    expect(report).toEqual({ result: 42, ioredis: false, betterSqlite3: true, sqliteBroker: true });
  });

  it('an app on Redis never loads better-sqlite3 nor the SQLite broker', async () => {
    const report = await runApp(redis.url);
    expect(report).toEqual({ result: 42, ioredis: true, betterSqlite3: false, sqliteBroker: false });
  });
});
