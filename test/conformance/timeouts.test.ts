import { describe, expect, it } from 'vitest';
import { currentTask, SoftTimeLimitExceeded, TaskFailedError } from '../../src/index.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

describe.each(brokerTargets)('timeouts on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('fails an attempt at its hard timeout with TaskTimeoutError and frees the slot', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    let signalReason: unknown;
    const hang = app.task('hang', { queue, timeout: '200ms', maxRetries: 0 }, async () => {
      const { signal } = currentTask();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      signalReason = signal.reason;
      return new Promise(() => {}); // ignores the abort and never ends
    });
    const quick = app.task('quick', { queue }, async () => 'done');
    await app.worker({ queues: [queue], concurrency: 1 }).start();
    const stuck = await hang.delay();
    const next = await quick.delay();
    const failure = (await stuck.get({ timeout: '10s' }).catch((e: unknown) => e)) as TaskFailedError;
    expect(failure).toBeInstanceOf(TaskFailedError);
    expect(failure.remote.name).toBe('TaskTimeoutError');
    expect((signalReason as Error).name).toBe('TaskTimeoutError');
    // the only slot was freed although the hung function never returned
    expect(await next.get({ timeout: '10s' })).toBe('done');
    expect(await app.dlq.get(stuck.id)).toMatchObject({ reason: 'retries exhausted' });
  });

  it('aborts the signal at the soft timeout so the task can save its state', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const crunch = app.task('crunch', { queue, softTimeout: '100ms', timeout: '10s' }, async () => {
      const { signal } = currentTask();
      let processed = 0;
      while (!signal.aborted) {
        processed++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return {
        saved: processed > 0,
        reason: (signal.reason as Error).name,
        soft: signal.reason instanceof SoftTimeLimitExceeded,
      };
    });
    await app.worker({ queues: [queue] }).start();
    const r = await crunch.delay();
    expect(await r.get({ timeout: '10s' })).toEqual({
      saved: true,
      reason: 'SoftTimeLimitExceeded',
      soft: true,
    });
  });
});
