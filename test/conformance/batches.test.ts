import { describe, expect, it } from 'vitest';
import {
  BatchProcessor,
  Batcher,
  batchMap,
  currentTask,
  PermanentError,
  type BatchProgress,
} from '../../src/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

describe.each(brokerTargets)('batches on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('BatchProcessor.map sends one message per chunk and returns results in order', async () => {
    const app = makeApp();
    const queue = uniqueQueue('batch');
    const send = app.task('send', { queue }, async (to: string, subject: string) => `${subject} → ${to}`);
    const processor = new BatchProcessor(send, { chunkSize: 10 });
    const users = Array.from(
      { length: 35 },
      (_, i) => [`user${i}@example.com`, 'Newsletter'] as [string, string],
    );
    const mapping = processor.map(users);
    await waitFor(
      async () => (await app.queues()).find((q) => q.name === queue)?.waiting === 4,
      'four chunk messages',
    );
    await app.worker({ queues: [queue], concurrency: 4 }).start();
    const results = await mapping;
    expect(results).toHaveLength(35);
    expect(results[0]).toBe('Newsletter → user0@example.com');
    expect(results[34]).toBe('Newsletter → user34@example.com');
  });

  it('batchMap reports progress and returns results in order', async () => {
    const app = makeApp();
    const queue = uniqueQueue('batch');
    const square = app.task('square', { queue }, async (n: number) => n * n);
    await app.worker({ queues: [queue], concurrency: 2 }).start();
    const seen: BatchProgress[] = [];
    const results = await batchMap(
      square,
      Array.from({ length: 100 }, (_, i) => i),
      {
        batchSize: 20,
        onProgress: (progress) => seen.push(progress),
      },
    );
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i * i));
    expect(seen.at(-1)).toEqual({ completed: 100, total: 100 });
  });

  it('Batcher sends full batches, flushes the rest on dispose, and gives each call its own result', async () => {
    const app = makeApp();
    const queue = uniqueQueue('batch');
    const seenIds = new Set<string>();
    const record = app.task('record', { queue }, async (item: number) => {
      seenIds.add(currentTask().id);
      return item + 1;
    });
    const handles = [];
    {
      await using batcher = new Batcher(record, { batchSize: 4 });
      for (let i = 0; i < 10; i++) handles.push(batcher.add(i));
      expect(batcher.size).toBe(2);
    }
    expect((await app.queues()).find((q) => q.name === queue)?.waiting).toBe(3);
    await app.worker({ queues: [queue] }).start();
    const results = await Promise.all(handles);
    expect(await Promise.all(results.map((r) => r.get({ timeout: '10s' })))).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    expect(seenIds).toEqual(new Set(results.map((r) => r.id)));
    expect(await results[3]!.state()).toBe('SUCCESS');
  });

  it('retries failed items alone, and sends items that fail for good to the DLQ one by one', async () => {
    const app = makeApp();
    const queue = uniqueQueue('batch');
    const runs = new Map<number, number>();
    const flaky = app.task('flaky-item', { queue, maxRetries: 2, retryDelay: 20 }, async (n: number) => {
      runs.set(n, (runs.get(n) ?? 0) + 1);
      if (n === 13) throw new PermanentError(`item ${n} is invalid`);
      if (n % 5 === 0 && currentTask().attempt === 1) throw new Error(`item ${n} hit a transient error`);
      return n;
    });
    await app.worker({ queues: [queue], concurrency: 2 }).start();
    const batcher = new Batcher(flaky, { batchSize: 10 });
    // 20 calls fill exactly two batches, each sent as soon as it is full.
    const handles = await Promise.all(Array.from({ length: 20 }, (_, i) => batcher.add(i)));
    await batcher.close();
    const outcomes = await Promise.all(
      handles.map((r) =>
        r.get({ timeout: '10s' }).then(
          (v) => v,
          (e: Error) => e.message,
        ),
      ),
    );
    expect(outcomes[13]).toMatch(/item 13 is invalid/);
    expect(outcomes.filter((o, i) => i !== 13)).toEqual(
      Array.from({ length: 20 }, (_, i) => i).filter((i) => i !== 13),
    );
    for (const [n, count] of runs) expect(count).toBe(n % 5 === 0 ? 2 : 1);
    const dead = await app.dlq.list({ queue });
    expect(dead.map((entry) => entry.id)).toEqual([handles[13]!.id]);
    expect(dead[0]).toMatchObject({ name: 'flaky-item', args: [13], reason: 'permanent error', attempts: 1 });
  });
});
