import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Turbine } from '../../src/index.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

// An app on the embedded broker loads its SQLite code after `new Turbine()` returns (a process on
// Redis never loads it); the broker and backend take calls meanwhile.
describe('an app on the embedded broker', () => {
  let dir: string;
  let notAFolder: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'turbine-open-'));
    notAFolder = join(dir, 'file');
    writeFileSync(notAFolder, 'a file where the database folder should be');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves calls made before its broker has loaded', async () => {
    const app = new Turbine({ broker: `sqlite://${join(dir, 'early.db')}` });
    try {
      const double = app.task('double', async (n: number) => n * 2);
      // Sent in the same turn as the constructor: the SQLite module cannot have loaded yet.
      const sent = double.delay(21);
      const stats = app.queues();
      const worker = app.worker({ queues: ['default'], handleSignals: false });
      await worker.start();
      expect(await (await sent).get({ timeout: '10s' })).toBe(42);
      expect(await stats).toEqual(expect.any(Array));
      expect(app.isHealthy()).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('reports a file it cannot open on every use, naming broker.url and the file, and closes', async () => {
    const file = join(notAFolder, 'queue.db');
    const app = new Turbine({ broker: `sqlite://${file}` });
    const task = app.task('never', async () => 'never');
    const sent = task.delay();
    await expect(sent).rejects.toThrow(ConfigError);
    await expect(sent).rejects.toThrow(`broker.url: cannot open the SQLite database ${file} (`);
    await expect(app.dlq.list()).rejects.toThrow(/^broker\.url: cannot open the SQLite database/);
    await expect(app.worker({ handleSignals: false }).start()).rejects.toThrow(ConfigError);
    expect(app.isHealthy()).toBe(false);
    await app.close();
  });

  // Where Node 20's own recursive mkdir never returns (src/util/make-directories.ts).
  it.runIf(existsSync('/proc/self'))('reports a folder that cannot be made under /proc', async () => {
    const app = new Turbine({ broker: 'sqlite:///proc/turbine-no-such/queue.db' });
    await expect(app.task('never', async () => 'never').delay()).rejects.toThrow(
      'broker.url: cannot open the SQLite database /proc/turbine-no-such/queue.db (ENOENT',
    );
    await app.close();
  });

  describe('as the result backend of an app on Redis', () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(() => redis.stop());

    it('reports a file it cannot open, naming backend.url', async () => {
      const file = join(notAFolder, 'results.db');
      const app = new Turbine({ broker: redis.url, backend: `sqlite://${file}` });
      try {
        const echo = app.task('echo', async (text: string) => text);
        const result = await echo.delay('hi');
        await expect(result.get({ timeout: '5s' })).rejects.toThrow(
          `backend.url: cannot open the SQLite database ${file} (`,
        );
      } finally {
        await app.close();
      }
    });
  });
});
