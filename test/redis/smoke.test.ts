import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Turbine } from '../../src/index.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

describe('smoke', () => {
  it('round trips a result', async () => {
    const app = new Turbine({ broker: redis.url });
    const add = app.task('add', async (x: number, y: number) => x + y);
    const worker = app.worker({ concurrency: 2 });
    await worker.start();
    const r = await add.delay(1, 2);
    expect(await r.get({ timeout: '5s' })).toBe(3);
    expect(await r.state()).toBe('SUCCESS');
    const info = await r.info();
    expect(info).toMatchObject({
      id: r.id,
      name: 'add',
      queue: 'default',
      attempts: 1,
      state: 'SUCCESS',
      result: 3,
    });
    await app.close();
  });
});
