import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Turbine, currentTask } from '../../src/index.js';
import { consistentHashRouter } from '../../src/routing/consistent-hash-router.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

let redis: RedisServer;
let app: Turbine | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(async () => {
  await redis.stop();
});

describe('partition queues chosen by consistentHashRouter', () => {
  it('run each call on the routed queue, only on the worker that owns that partition', async () => {
    app = new Turbine({ broker: redis.url });
    const whereAmI = app.task('where-am-i', async (_userId: number) => currentTask().queue);

    const calls = await Promise.all(
      Array.from({ length: 40 }, async (_, userId) => {
        const queue = consistentHashRouter(whereAmI, { partitionKey: `user:${userId}`, numQueues: 4 });
        const result = await whereAmI.applyAsync([userId], { queue });
        return { queue, result };
      }),
    );
    // Routing is deterministic, so this only guards the test's premise: every partition has work.
    expect(new Set(calls.map((call) => call.queue))).toEqual(
      new Set(['partition-0', 'partition-1', 'partition-2', 'partition-3']),
    );

    const owners = [
      { queues: ['partition-0', 'partition-1'], ran: new Map<string, string>() },
      { queues: ['partition-2', 'partition-3'], ran: new Map<string, string>() },
    ];
    for (const owner of owners) {
      const worker = app.worker({ queues: owner.queues, concurrency: 4 });
      worker.on('task:succeeded', (event) => owner.ran.set(event.id, event.queue));
      await worker.start();
    }

    for (const { queue, result } of calls) {
      expect(await result.get({ timeout: '15s' })).toBe(queue);
    }

    // A worker emits task:succeeded once the outcome is settled, which may trail the stored result.
    const eventCount = (): number => owners.reduce((sum, owner) => sum + owner.ran.size, 0);
    await waitFor(() => eventCount() >= calls.length, `${calls.length} task:succeeded events`);

    for (const owner of owners) {
      expect(owner.ran.size).toBeGreaterThan(0);
      for (const queue of owner.ran.values()) expect(owner.queues).toContain(queue);
    }
    // Together the two workers ran every call exactly once, each on the queue it was routed to.
    const ranBy = new Map<string, string>();
    for (const owner of owners) {
      for (const [id, queue] of owner.ran) {
        expect(ranBy.has(id)).toBe(false);
        ranBy.set(id, queue);
      }
    }
    expect(ranBy).toEqual(new Map(calls.map(({ queue, result }) => [result.id, queue])));
  });
});
