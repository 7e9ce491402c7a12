import { describe, expect, it } from 'vitest';
import { SerializationError, TimeoutError } from '../../src/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

describe.each(brokerTargets)('results on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('round trips a value, with state and info', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const add = app.task('add', { queue }, async (x: number, y: number) => x + y);
    await app.worker({ queues: [queue], concurrency: 2 }).start();
    const r = await add.delay(2, 3);
    expect(await r.get({ timeout: '10s' })).toBe(5);
    expect(await r.state()).toBe('SUCCESS');
    const info = await app.getTaskStatus(r.id);
    expect(info).toMatchObject({ id: r.id, name: 'add', queue, state: 'SUCCESS', attempts: 1, result: 5 });
    expect(info.finishedAt).toBeGreaterThanOrEqual(info.startedAt!);
    expect(info.workerId).toBeTruthy();
    // A version 7 UUID whose first 48 bits are the time it was made, or a little later when the
    // process made more than 4,096 ids in a millisecond (src/protocol/task-id.ts).
    expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const idTime = Number.parseInt(r.id.slice(0, 8) + r.id.slice(9, 13), 16);
    expect(idTime).toBeGreaterThanOrEqual(info.createdAt);
    expect(idTime).toBeLessThan(info.createdAt + 1_000);
  });

  it('reports PENDING before a worker runs it, and get() times out', async () => {
    const app = makeApp();
    const task = app.task('idle', { queue: uniqueQueue() }, async () => 1);
    const r = await task.delay();
    expect(await r.state()).toBe('PENDING');
    expect((await r.info()).name).toBe('idle');
    await expect(r.get({ timeout: 50 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('submits many in one call, results in order', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const double = app.task('double', { queue }, async (x: number) => x * 2);
    await app.worker({ queues: [queue], concurrency: 8 }).start();
    const results = await double.delayMany(Array.from({ length: 200 }, (_, i) => [i] as [number]));
    const values = await Promise.all(results.map((r) => r.get({ timeout: '10s' })));
    expect(values).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
  });

  it('keeps the state but not the value when storeResult is false', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const fire = app.task('fire', { queue, storeResult: false }, async () => 'secret');
    await app.worker({ queues: [queue] }).start();
    const r = await fire.delay();
    expect(await r.get({ timeout: '10s' })).toBeUndefined();
    expect(await r.state()).toBe('SUCCESS');
    expect((await r.info()).result).toBeUndefined();
  });

  it('forgets results after resultTtl', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const brief = app.task('brief', { queue, resultTtl: '300ms' }, async () => 'x');
    await app.worker({ queues: [queue] }).start();
    const r = await brief.delay();
    expect(await r.get({ timeout: '10s' })).toBe('x');
    await waitFor(async () => (await r.state()) === 'PENDING', 'the result to expire');
    expect((await r.info()).name).toBe('');
  });

  it('round trips large results (compressed in storage)', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const report = app.task('report', { queue }, async (rows: number) =>
      Array.from({ length: rows }, (_, i) => ({ row: i, label: `line ${i}` })),
    );
    await app.worker({ queues: [queue] }).start();
    const value = await (await report.delay(5_000)).get({ timeout: '10s' });
    expect(value).toHaveLength(5_000);
    expect(value[4_999]).toEqual({ row: 4_999, label: 'line 4999' });
  });

  it('returns the first task for a repeated idempotency key and runs it once', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    let runs = 0;
    const charge = app.task('charge', { queue }, async (amount: number) => {
      runs++;
      return amount;
    });
    const first = await charge.applyAsync([10], { idempotencyKey: 'order-42' });
    const second = await charge.applyAsync([99], { idempotencyKey: 'order-42' });
    expect(second.id).toBe(first.id);
    await app.worker({ queues: [queue] }).start();
    expect(await second.get({ timeout: '10s' })).toBe(10);
    const other = await charge.applyAsync([7], { idempotencyKey: 'order-43' });
    expect(await other.get({ timeout: '10s' })).toBe(7);
    expect(runs).toBe(2);
  });

  it('never stores two copies of one task id', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    let runs = 0;
    const once = app.task('once', { queue }, async (label: string) => {
      runs++;
      return label;
    });
    const first = await once.applyAsync(['first'], { taskId: 'fixed-id' });
    const second = await once.applyAsync(['second'], { taskId: 'fixed-id' });
    expect(second.id).toBe(first.id);
    await app.worker({ queues: [queue] }).start();
    expect(await first.get({ timeout: '10s' })).toBe('first');
    await (await once.delay('marker')).get({ timeout: '10s' });
    expect(runs).toBe(2);
  });

  it('rejects non-serialisable arguments at submit time, naming the path', async () => {
    const app = makeApp();
    const task = app.task('store', { queue: uniqueQueue() }, async (_data: unknown) => null);
    await expect(task.delay({ when: new Date() })).rejects.toThrow(SerializationError);
    await expect(task.delay({ list: [1, () => 2] })).rejects.toThrow(/args\[0\]\.list\[1\]/);
  });

  it('carries headers and tenant to the task context', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const { currentTask } = await import('../../src/index.js');
    const whoami = app.task('whoami', { queue }, async () => {
      const ctx = currentTask();
      return {
        tenant: ctx.tenantId,
        trace: ctx.headers.traceparent,
        attempt: ctx.attempt,
        retries: ctx.retries,
      };
    });
    await app.worker({ queues: [queue] }).start();
    const r = await whoami.applyAsync([], { tenantId: 'acme', headers: { traceparent: '00-abc-01' } });
    expect(await r.get({ timeout: '10s' })).toEqual({
      tenant: 'acme',
      trace: '00-abc-01',
      attempt: 1,
      retries: 0,
    });
    expect((await r.info()).tenantId).toBe('acme');
  });
});
