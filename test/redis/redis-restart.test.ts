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

  it('a busy worker of several queues stores every outcome once Redis is back, losing no task', async () => {
    // A claim that Redis ran but whose reply the kill cut off leaves its messages leased to no one
    // until the lease ends: a short one keeps the test short.
    const app = new Turbine({ broker: redis.url, visibilityTimeout: '2s' });
    try {
      const queues = ['first', 'second'];
      const seen = new Set<number>();
      const steps = queues.map((queue) =>
        app.task(`note-${queue}`, { queue }, async (n: number) => {
          seen.add(n);
          // Long enough that the kill below lands while outcomes and claims are on their way.
          await new Promise((resolve) => setTimeout(resolve, 1));
          return n;
        }),
      );
      const inputs = Array.from({ length: 2_000 }, (_, n) => n);
      const results = await Promise.all(
        steps.map((step, q) => step.delayMany(inputs.filter((n) => n % 2 === q).map((n) => [n]))),
      );
      await app.worker({ queues, concurrency: 4 }).start();
      await waitFor(() => seen.size >= 100, 'the drain to be under way');
      await redis.kill();
      // What this test is about: the outage came with tasks still to run (2,000 take over 0.5 s).
      expect(seen.size).toBeLessThan(inputs.length);
      await redis.restart();

      const values = await Promise.all(results.flat().map((result) => result.get({ timeout: '30s' })));
      expect(values.sort((a, b) => a - b)).toEqual(inputs);
      expect(seen.size).toBe(inputs.length);
    } finally {
      await app.close();
    }
  });
});
