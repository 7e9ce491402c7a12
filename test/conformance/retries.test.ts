import { describe, expect, it } from 'vitest';
import { PermanentError, TaskFailedError, type WorkerEvents } from '../../src/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

describe.each(brokerTargets)('retries and the DLQ on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('retries with exponential backoff, then succeeds with the right attempt count', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const attempts: number[] = [];
    const failedAt: number[] = [];
    const flaky = app.task('flaky', { queue, maxRetries: 3, retryDelay: '40ms' }, async () => {
      const { currentTask } = await import('../../src/index.js');
      attempts.push(currentTask().attempt);
      if (attempts.length < 3) {
        failedAt.push(Date.now());
        throw new Error(`boom ${attempts.length}`);
      }
      return 'ok';
    });
    const retried: WorkerEvents['task:retried'][] = [];
    const worker = app.worker({ queues: [queue] });
    worker.on('task:retried', (event) => retried.push(event));
    await worker.start();
    const r = await flaky.delay();
    expect(await r.get({ timeout: '10s' })).toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    expect((await r.info()).attempts).toBe(3);
    expect(retried.map((e) => e.error.message)).toEqual(['boom 1', 'boom 2']);
    // retry n is scheduled retryDelay × 2^(n−1) after the failure (40 ms, then 80 ms), jitter
    // taking off up to half; `failedAt` is stamped just before the throw, so never later.
    const scheduled = retried.map((e) => e.retryAt);
    expect(scheduled[0]! - failedAt[0]!).toBeGreaterThanOrEqual(20);
    expect(scheduled[1]! - failedAt[1]!).toBeGreaterThanOrEqual(40);
  });

  it('sends a task whose retries are exhausted to the DLQ, and replay runs it again', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    let healthy = false;
    const fragile = app.task('fragile', { queue, maxRetries: 2, retryDelay: 10 }, async (n: number) => {
      if (!healthy) throw new Error('upstream down');
      return n + 1;
    });
    await app.worker({ queues: [queue] }).start();
    const r = await fragile.applyAsync([41], { headers: { source: 'test' } });
    const failure = await r.get({ timeout: '10s' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TaskFailedError);
    expect((failure as TaskFailedError).remote).toMatchObject({ name: 'Error', message: 'upstream down' });
    expect((failure as TaskFailedError).remote.stack).toContain('upstream down');
    expect(await r.state()).toBe('FAILURE');

    const entry = await app.dlq.get(r.id);
    expect(entry).toMatchObject({
      id: r.id,
      name: 'fragile',
      queue,
      args: [41],
      attempts: 3,
      reason: 'retries exhausted',
      headers: { source: 'test' },
      error: { name: 'Error', message: 'upstream down' },
    });
    expect((await app.dlq.list({ queue })).map((e) => e.id)).toEqual([r.id]);
    expect((await app.dlq.stats())[queue]).toBe(1);

    healthy = true;
    const replayed = await app.dlq.replay(r.id);
    expect(replayed.id).toBe(r.id);
    expect(await replayed.get({ timeout: '10s' })).toBe(42);
    expect((await replayed.info()).attempts).toBe(1);
    expect(await app.dlq.get(r.id)).toBeUndefined();
    expect((await app.dlq.stats())[queue]).toBeUndefined();
  });

  it('sends PermanentError and dontRetryOn classes to the DLQ after one attempt', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    class ValidationError extends Error {}
    let runs = 0;
    const strict = app.task('strict', { queue, maxRetries: 5, retryDelay: 10 }, async (kind: string) => {
      runs++;
      if (kind === 'permanent') throw new PermanentError('bad input');
      throw new ValidationError('invalid email');
    });
    const picky = app.task(
      'picky',
      { queue, maxRetries: 5, retryDelay: 10, dontRetryOn: [ValidationError] },
      async () => {
        runs++;
        throw new ValidationError('invalid email');
      },
    );
    await app.worker({ queues: [queue] }).start();
    const a = await strict.delay('permanent');
    const b = await picky.delay();
    const permanent = await a.get({ timeout: '10s' }).catch((error: unknown) => error);
    expect(permanent).toBeInstanceOf(TaskFailedError);
    // The remote error is rebuilt as its own class across the process boundary.
    expect((permanent as TaskFailedError).cause).toBeInstanceOf(PermanentError);
    await expect(b.get({ timeout: '10s' })).rejects.toThrow(/invalid email/);
    expect(runs).toBe(2);
    expect(await app.dlq.get(a.id)).toMatchObject({ reason: 'permanent error', attempts: 1 });
    expect(await app.dlq.get(b.id)).toMatchObject({ reason: 'dontRetryOn: ValidationError', attempts: 1 });
  });

  it('removes and purges DLQ entries', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const doomed = app.task('doomed', { queue }, async () => {
      throw new PermanentError('no');
    });
    await app.worker({ queues: [queue] }).start();
    const results = await doomed.delayMany([[], [], []]);
    await Promise.all(results.map((r) => r.get({ timeout: '10s' }).catch(() => undefined)));
    await waitFor(async () => (await app.dlq.stats())[queue] === 3, 'three DLQ entries');
    expect(await app.dlq.remove(results[0]!.id)).toBe(true);
    expect(await app.dlq.remove(results[0]!.id)).toBe(false);
    expect(await app.dlq.list({ queue, limit: 1, offset: 1 })).toHaveLength(1);
    expect(await app.dlq.purge({ queue })).toBe(2);
    expect(await app.dlq.list({ queue })).toEqual([]);
  });
});
