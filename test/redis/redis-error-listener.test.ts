import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueKeys } from '../../src/brokers/redis/keys.js';
import { Turbine } from '../../src/index.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

let redis: RedisServer;
let client: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

describe('a worker:error listener that throws', () => {
  it('never breaks the worker: broker errors are reported, and the worker serves once they pass', async () => {
    const app = new Turbine({ broker: redis.url });
    try {
      const echo = app.task('echo', { queue: 'broken' }, async (text: string) => text);
      // A key of the wrong type makes every claim fail in Redis (WRONGTYPE).
      await client.set(queueKeys('broken').leases, 'not a sorted set');
      const worker = app.worker({ queues: ['broken'] });
      const reported: string[] = [];
      worker.on('worker:error', ({ error }) => {
        reported.push(error.message);
        throw new Error('a careless error listener');
      });
      await worker.start();
      const r = await echo.delay('after the repair');
      await waitFor(async () => reported.length >= 2, 'claim errors reported');
      expect(reported[0]).toMatch(/WRONGTYPE/);
      await client.del(queueKeys('broken').leases);
      expect(await r.get({ timeout: '10s' })).toBe('after the repair');
      expect(worker.isHealthy()).toBe(true);
    } finally {
      await app.close();
    }
  });
});
