import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

describe.each(brokerTargets)('leases on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('never hands a long task to a second worker while its worker is alive (heartbeats extend the lease)', async () => {
    const app = makeApp({ visibilityTimeout: 300 });
    const queue = uniqueQueue('lease');
    let runs = 0;
    const long = app.task('long', { queue }, async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 1_200)); // four visibility timeouts
      return 'done';
    });
    const first = app.worker({ queues: [queue], concurrency: 1, prefetch: 0 });
    await first.start();
    const r = await long.delay();
    await waitFor(() => runs === 1, 'the first worker to start the task');
    await app.worker({ queues: [queue], concurrency: 1, prefetch: 0 }).start();
    expect(await r.get({ timeout: '10s' })).toBe('done');
    expect(runs).toBe(1);
  });

  it('sends a message whose worker died maxDeliveries times to the DLQ instead of running it', async () => {
    const app = makeApp({ visibilityTimeout: 50, maxDeliveries: 2 });
    const queue = uniqueQueue('poison');
    let runs = 0;
    const poison = app.task('poison', { queue }, async () => {
      runs++;
    });
    const r = await poison.delay();
    const { broker } = app.transport;
    // Two deliveries whose "worker" dies: claimed, never settled, left to expire.
    for (let delivery = 1; delivery <= 2; delivery++) {
      const claimed = await waitFor(
        async () =>
          (await broker.claim({ queues: [queue], max: 1, workerId: 'doomed', leaseMs: 50, maxDeliveries: 2 }))
            .deliveries[0],
        `delivery ${delivery}`,
      );
      expect(claimed.id).toBe(r.id);
      expect(claimed.poisoned).toBe(false);
    }
    await app.worker({ queues: [queue] }).start();
    await waitFor(
      async () => (await app.dlq.get(r.id))?.reason === 'max deliveries exceeded',
      'the DLQ entry',
    );
    expect(runs).toBe(0);
    expect(await r.state()).toBe('FAILURE');
  });
});
