import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { consistentHashRouter } from '../src/index.js';
import { brokerTargets, type BrokerHandle } from '../test/conformance/broker-targets.js';
import { uniqueQueue, useBroker } from '../test/conformance/use-broker.js';
import { processManyItems } from './batch-map.js';
import { sendNewsletter } from './batch-processor.js';
import { sendBatchedNewsletter } from './batch-task.js';
import { batchCalls } from './batcher.js';
import { buildReport, largeReportRoundTrip } from './large-results.js';
import { partitionByUser } from './partition-routing.js';
import { separateQueues } from './queue-separation.js';
import { fireAndForget } from './store-result-false.js';

const users = Array.from({ length: 250 }, (_, i) => ({ email: `user${i}@example.com` }));

/** Size of a task's result record as stored (the storage layout of docs/protocol.md). */
async function storedResultBytes(handle: BrokerHandle, id: string): Promise<number> {
  if (handle.url.startsWith('sqlite://')) {
    const db = new Database(handle.url.slice('sqlite://'.length), { readonly: true });
    try {
      return db.prepare<[string], number>('SELECT length(record) FROM results WHERE id = ?').pluck().get(id)!;
    } finally {
      db.close();
    }
  }
  const redis = new Redis(handle.url);
  try {
    return await redis.strlen(`turbine:result:${id}`);
  } finally {
    redis.disconnect();
  }
}

describe.each(brokerTargets)('examples: performance and scaling on $name', (target) => {
  const { makeApp, handle } = useBroker(target);

  it('queue-separation: each task runs on its own queue, served by that queue’s worker', async () => {
    const prefix = `${uniqueQueue('sep')}-`;
    const out = await separateQueues(makeApp(), prefix);
    expect(out.map((run) => [run.name, run.queue])).toEqual([
      ['quick_task', `${prefix}fast`],
      ['long_running_task', `${prefix}slow`],
      ['download_file', `${prefix}io-bound`],
      ['process_image', `${prefix}cpu-bound`],
    ]);
    for (const run of out) expect(run.workerId).toBe(run.queueWorkerId);
    expect(new Set(out.map((run) => run.workerId)).size).toBe(4);
    expect(out[2]!.value).toBe('downloaded https://example.com/a.zip');
  });

  it('batch-processor: 250 newsletter emails in chunks of 100, results in order', async () => {
    const out = await sendNewsletter(makeApp(), users, uniqueQueue());
    expect(out.results).toHaveLength(250);
    expect(out.results[0]).toBe('Newsletter → user0@example.com');
    expect(out.results[249]).toBe('Newsletter → user249@example.com');
    expect(out.sent.sort()).toEqual(users.map((u) => u.email).sort());
  });

  it('batch-task: send_batch_emails runs once per 100 addresses', async () => {
    const out = await sendBatchedNewsletter(makeApp(), users, uniqueQueue());
    expect(out.tasks).toBe(3);
    expect(out.perTask).toEqual([100, 100, 50]);
    expect(out.sent.sort()).toEqual(users.map((u) => u.email).sort());
  });

  it('batcher: 250 calls become 3 messages, each call keeps its own result', async () => {
    const dataset = Array.from({ length: 250 }, (_, i) => i);
    const out = await batchCalls(makeApp(), dataset, uniqueQueue());
    expect(out.messages).toBe(3);
    expect(out.values).toEqual(dataset.map((i) => i * 2));
    expect(out.distinctIds).toBe(250);
  });

  it('large-results: a 1 MB report round trips intact and is stored compressed', async () => {
    const out = await largeReportRoundTrip(makeApp(), uniqueQueue('reports'));
    expect(out.jsonBytes).toBeGreaterThan(1_000_000);
    expect(out.report).toEqual(buildReport(7));
    expect(await storedResultBytes(handle(), out.taskId)).toBeLessThan(out.jsonBytes / 4);
  });

  it('store-result-false: state is kept, values are not, side effects happen', async () => {
    const out = await fireAndForget(makeApp(), uniqueQueue());
    expect(out.values).toEqual([undefined, undefined]);
    expect(out.infos.map((info) => [info.name, info.state, 'result' in info])).toEqual([
      ['send_notification', 'SUCCESS', false],
      ['cleanup_old_data', 'SUCCESS', false],
    ]);
    expect(out.notified).toEqual(['7: Your export is ready']);
    expect(out.deleted).toBe(120);
  });

  it('batch-map: 100 items in batches of 20 instead of a 100-step chain', async () => {
    const out = await processManyItems(makeApp(), uniqueQueue());
    expect(out.results).toEqual(Array.from({ length: 100 }, (_, i) => i * i));
    expect(out.lastProgress).toEqual({ completed: 100, total: 100 });
  });

  it('partition-routing: a user always lands on one partition, run by the worker owning it', async () => {
    const prefix = uniqueQueue('part');
    const userIds = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = await partitionByUser(makeApp(), userIds, prefix);
    expect(out.runs).toHaveLength(16);
    const sameTask = makeApp().task('my_task', async (_userId: number, _data: string) => null);
    const queueOf = new Map<number, string>();
    for (const run of out.runs) {
      const expected = consistentHashRouter(sameTask, {
        partitionKey: `user:${run.userId}`,
        numQueues: 4,
        prefix,
      });
      expect(run.queue).toBe(expected);
      expect(queueOf.get(run.userId) ?? run.queue).toBe(run.queue);
      queueOf.set(run.userId, run.queue);
      expect(run.workerId).toBe(out.ownerOf[run.queue]);
    }
    expect(new Set(queueOf.values()).size).toBeGreaterThan(1);
  });
});
