import { describe, expect, it } from 'vitest';
import { TaskRevokedError } from '../../src/index.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

describe.each(brokerTargets)('scheduling on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('runs higher priorities first and FIFO within a priority', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const order: string[] = [];
    const log = app.task('log', { queue }, async (label: string) => {
      order.push(label);
    });
    const plan: [string, number][] = [
      ['low-1', 0],
      ['high-1', 200],
      ['mid-1', 50],
      ['low-2', 0],
      ['high-2', 200],
      ['top', 255],
      ['mid-2', 50],
    ];
    const results = [];
    for (const [label, priority] of plan) results.push(await log.applyAsync([label], { priority }));
    await app.worker({ queues: [queue], concurrency: 1, prefetch: 0 }).start();
    await Promise.all(results.map((r) => r.get({ timeout: '10s' })));
    expect(order).toEqual(['top', 'high-1', 'high-2', 'mid-1', 'mid-2', 'low-1', 'low-2']);
  });

  it('starts delayed tasks at their due time, never before', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const startedAt = new Map<string, number>();
    const stamp = app.task('stamp', { queue }, async (label: string) => {
      startedAt.set(label, Date.now());
    });
    await app.worker({ queues: [queue] }).start();
    const submitted = Date.now();
    const eta = new Date(submitted + 400);
    const results = [
      await stamp.applyAsync(['countdown'], { countdown: '250ms' }),
      await stamp.applyAsync(['eta'], { eta }),
      await stamp.applyAsync(['now'], {}),
    ];
    expect(await results[0]!.state()).toBe('PENDING');
    await Promise.all(results.map((r) => r.get({ timeout: '10s' })));
    expect(startedAt.get('countdown')!).toBeGreaterThanOrEqual(submitted + 250);
    expect(startedAt.get('eta')!).toBeGreaterThanOrEqual(eta.getTime());
    expect(startedAt.get('now')!).toBeLessThan(startedAt.get('countdown')!);
  });

  it('revokes a task not started by its expiry, without running it', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    let runs = 0;
    const stale = app.task('stale', { queue }, async () => {
      runs++;
    });
    const fresh = app.task('fresh', { queue }, async () => 'ran');
    const expired = await stale.applyAsync([], { expires: new Date(Date.now() - 1) });
    const later = await stale.applyAsync([], { expires: new Date(Date.now() + 60_000) });
    await app.worker({ queues: [queue] }).start();
    const error = await expired.get({ timeout: '10s' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskRevokedError);
    expect((error as TaskRevokedError).reason).toBe('expired');
    expect(await expired.state()).toBe('REVOKED');
    await later.get({ timeout: '10s' });
    expect(await (await fresh.delay()).get({ timeout: '10s' })).toBe('ran');
    expect(runs).toBe(1);
  });
});
