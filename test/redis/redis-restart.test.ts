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

/**
 * Runs a task, kills and restarts `server` under the running worker, then runs another; returns
 * the worker's health at the end.
 */
async function taskAcrossRestart(server: RedisServer): Promise<boolean> {
  const app = new Turbine({ broker: server.url });
  try {
    const echo = app.task('echo', async (text: string) => text);
    const worker = app.worker({ concurrency: 2 });
    await worker.start();
    expect(await (await echo.delay('before')).get({ timeout: '10s' })).toBe('before');

    await server.kill();
    await waitFor(() => !worker.isHealthy(), 'the worker to notice the outage');
    await server.restart();
    await waitFor(() => worker.isHealthy(), 'the worker to reconnect', 15_000);

    const after = await echo.delay('after');
    expect(await after.get({ timeout: '15s' })).toBe('after');
    return worker.isHealthy();
  } finally {
    await app.close();
  }
}

describe('Redis restarted under a running worker', () => {
  it('resumes by itself, losing nothing that was stored', async () => {
    expect(await taskAcrossRestart(redis)).toBe(true);
  });

  it('loads its functions again when Redis comes back without its data', async () => {
    // Without persistence the restarted server has neither the queues nor the function library.
    const bare = await startRedisServer();
    try {
      await taskAcrossRestart(bare);
    } finally {
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

  it('stop() returns while an outcome cannot be stored, the worker waiting on it before it blocks again', async () => {
    const app = new Turbine({ broker: redis.url });
    let started = false;
    let finish!: () => void;
    const gate = app.task('gate', async () => {
      started = true;
      await new Promise<void>((resolve) => (finish = resolve));
    });
    const worker = app.worker({ concurrency: 1 });
    await worker.start();
    await gate.delay();
    await waitFor(() => started, 'the task to start');
    await redis.kill();
    try {
      finish(); // Its outcome cannot be stored now: the client holds it until Redis answers.
      await waitFor(() => worker.activeCount === 0, 'the task to end');
      await worker.stop();
      await app.close();
      expect(worker.isHealthy()).toBe(false);
    } finally {
      await redis.restart();
    }
  });
});
