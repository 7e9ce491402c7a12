import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Turbine } from '../../src/index.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer({ persist: true });
});
afterAll(async () => {
  await redis.stop();
});

describe('Redis restarted under a running worker', () => {
  it('resumes by itself, losing nothing that was stored', async () => {
    const app = new Turbine({ broker: redis.url });
    try {
      const echo = app.task('echo', async (text: string) => text);
      const worker = app.worker({ concurrency: 2 });
      await worker.start();
      expect(await (await echo.delay('before')).get({ timeout: '10s' })).toBe('before');

      await redis.kill();
      await waitFor(() => !worker.isHealthy(), 'the worker to notice the outage');
      await redis.restart();
      await waitFor(() => worker.isHealthy(), 'the worker to reconnect', 15_000);

      const after = await echo.delay('after');
      expect(await after.get({ timeout: '15s' })).toBe('after');
      expect(worker.isHealthy()).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('loads its functions again when Redis comes back without its data', async () => {
    const bare = await startRedisServer();
    const app = new Turbine({ broker: bare.url });
    try {
      const echo = app.task('echo', async (text: string) => text);
      const worker = app.worker({ concurrency: 2 });
      await worker.start();
      expect(await (await echo.delay('before')).get({ timeout: '10s' })).toBe('before');

      // Without persistence the restarted server has neither the queues nor the function library.
      await bare.kill();
      await waitFor(() => !worker.isHealthy(), 'the worker to notice the outage');
      await bare.restart();
      await waitFor(() => worker.isHealthy(), 'the worker to reconnect', 15_000);

      const after = await echo.delay('after');
      expect(await after.get({ timeout: '15s' })).toBe('after');
    } finally {
      await app.close();
      await bare.stop();
    }
  });

  it('stop() returns while Redis is down', async () => {
    const app = new Turbine({ broker: redis.url });
    const worker = app.worker();
    await worker.start();
    await redis.kill();
    try {
      await worker.stop();
      await app.close();
      expect(worker.isHealthy()).toBe(false);
    } finally {
      await redis.restart();
    }
  });
});
