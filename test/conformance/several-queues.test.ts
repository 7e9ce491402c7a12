import { describe, expect, it } from 'vitest';
import { chain, currentTask } from '../../src/index.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

describe.each(brokerTargets)('a worker of several queues on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('runs every task of each queue once to its end while busy, retries and workflow steps included', async () => {
    const app = makeApp();
    const queues = [uniqueQueue('first'), uniqueQueue('second'), uniqueQueue('third')];
    const runs = new Map<string, number>();
    const steps = queues.map((queue, q) =>
      app.task(`step${q}`, { queue, maxRetries: 2, retryDelay: 1 }, async (n: number) => {
        const { id, attempt } = currentTask();
        runs.set(id, (runs.get(id) ?? 0) + 1);
        // One task in seven fails its first attempt: retries settle beside successes.
        if (n % 7 === 0 && attempt === 1) throw new Error(`first try of ${n}`);
        return n + 1;
      }),
    );
    const inputs = Array.from({ length: 100 }, (_, i) => i);
    // Queued before the worker starts, so it claims full batches and settles as it claims.
    const results = await Promise.all(steps.map((step) => step.delayMany(inputs.map((n) => [n]))));
    const chains = await Promise.all(
      inputs.slice(0, 10).map((n) => chain(steps[0]!.s(n), steps[1]!.s(), steps[2]!.s()).delay()),
    );
    await app.worker({ queues, concurrency: 8 }).start();

    for (const perQueue of results) {
      expect(await Promise.all(perQueue.map((result) => result.get({ timeout: '20s' })))).toEqual(
        inputs.map((n) => n + 1),
      );
    }
    expect(await Promise.all(chains.map((result) => result.get({ timeout: '20s' })))).toEqual(
      inputs.slice(0, 10).map((n) => n + 3),
    );
    for (const perQueue of results) {
      perQueue.forEach((result, n) => expect(runs.get(result.id)).toBe(n % 7 === 0 ? 2 : 1));
    }
    const stats = (await app.queues()).filter((queue) => queues.includes(queue.name));
    expect(stats.map(({ waiting, delayed, active, dlq }) => waiting + delayed + active + dlq)).toEqual([
      0, 0, 0,
    ]);
  });
});
