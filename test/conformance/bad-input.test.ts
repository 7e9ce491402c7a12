import { describe, expect, it } from 'vitest';
import type { TaskFailedError } from '../../src/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

describe.each(brokerTargets)('bad input on $name', (target) => {
  const { makeApp, handle } = useBroker(target);

  it('sends an unknown task name to the DLQ and keeps serving', async () => {
    const producer = makeApp();
    const consumer = makeApp();
    const queue = uniqueQueue();
    const ghost = producer.task('ghost', { queue }, async () => 'never');
    const known = consumer.task('known', { queue }, async () => 'served');
    await consumer.worker({ queues: [queue] }).start();
    const r = await ghost.delay();
    const failure = (await r.get({ timeout: '10s' }).catch((e: unknown) => e)) as TaskFailedError;
    expect(failure.remote.name).toBe('UnknownTaskError');
    expect(await consumer.dlq.get(r.id)).toMatchObject({ name: 'ghost', reason: 'unknown task' });
    expect(await (await known.delay()).get({ timeout: '10s' })).toBe('served');
  });

  it('fails a task whose result cannot be stored, naming the culprit, and keeps serving', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const odd = app.task('odd', { queue, maxRetries: 0 }, async () => ({ total: 10n }) as unknown as number);
    const fine = app.task('fine', { queue }, async () => 'fine');
    await app.worker({ queues: [queue] }).start();
    const r = await odd.delay();
    const failure = (await r.get({ timeout: '10s' }).catch((e: unknown) => e)) as TaskFailedError;
    expect(failure.remote.name).toBe('SerializationError');
    expect(failure.remote.message).toMatch(/^result\.total: a bigint cannot be serialised/);
    expect(await (await fine.delay()).get({ timeout: '10s' })).toBe('fine');
  });

  it('reports an event listener that throws as worker:error and keeps serving', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const echo = app.task('echo', { queue }, async (text: string) => text);
    const worker = app.worker({ queues: [queue] });
    const reported: string[] = [];
    worker.on('task:succeeded', () => {
      throw new Error('listener bug');
    });
    worker.on('worker:error', ({ error }) => {
      reported.push(error.message);
      throw new Error('and the error listener too');
    });
    await worker.start();
    expect(await (await echo.delay('one')).get({ timeout: '10s' })).toBe('one');
    expect(await (await echo.delay('two')).get({ timeout: '10s' })).toBe('two');
    await waitFor(async () => reported.length >= 2, 'both listener errors reported');
    expect(reported.slice(0, 2)).toEqual(['listener bug', 'listener bug']);
    expect(worker.isHealthy()).toBe(true);
  });

  it('sends garbage written straight into the queue to the DLQ and keeps serving', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    const echo = app.task('echo', { queue }, async (text: string) => text);
    await app.worker({ queues: [queue] }).start();
    await handle().injectRaw(queue, 'garbage-1', '\u0000\u00ff{not json');
    await handle().injectRaw(queue, 'garbage-2', '{"v":1,"id":"garbage-2"}');
    await handle().injectRaw(queue, 'orphan-id', null);
    await waitFor(async () => (await app.dlq.stats())[queue] === 3, 'three DLQ entries');
    const entries = await app.dlq.list({ queue });
    expect(entries.map((e) => e.reason)).toEqual([
      'undecodable message',
      'undecodable message',
      'undecodable message',
    ]);
    expect(entries.find((e) => e.id === 'garbage-1')!.raw).toContain('{not json');
    expect(entries.find((e) => e.id === 'orphan-id')!.error.message).toMatch(/no envelope/);
    expect(await (await echo.delay('still here')).get({ timeout: '10s' })).toBe('still here');
  });
});
