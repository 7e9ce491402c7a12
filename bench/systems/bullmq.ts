import { Queue, Worker } from 'bullmq';
import { QUEUE_NAME, type BenchSystem, type CreateSystem } from './types.js';

interface Payload {
  dueAt?: number;
}

/**
 * BullMQ with its defaults, as its users typically run it: completed and failed jobs are kept
 * (no `removeOnComplete` / `removeOnFail`), so it stores every result like Turbine's
 * `storeResult: true` and bee-queue's `removeOnSuccess: false`.
 */
export const createSystem: CreateSystem = async ({ redis }) => {
  const connection = { host: redis.host, port: redis.port };
  // Created on first enqueue so a worker process holds only what a BullMQ worker needs.
  let queue: Queue<Payload> | undefined;
  let worker: Worker<Payload> | undefined;

  const getQueue = async (): Promise<Queue<Payload>> => {
    if (!queue) {
      queue = new Queue<Payload>(QUEUE_NAME, { connection });
      await queue.waitUntilReady();
    }
    return queue;
  };

  const system: BenchSystem = {
    async enqueueOne() {
      await (await getQueue()).add('noop', {});
    },
    async enqueueBulk(count) {
      await (await getQueue()).addBulk(Array.from({ length: count }, () => ({ name: 'noop', data: {} })));
    },
    async enqueueAt(dueAt) {
      const q = await getQueue();
      // BullMQ takes a relative delay; computed at the last moment so it lines up with `dueAt`.
      await q.add('stamp', { dueAt }, { delay: Math.max(0, dueAt - Date.now()) });
    },
    async startWorker(hooks) {
      const processor = async (job: { data: Payload }): Promise<null> => {
        hooks.onStart(job.data.dueAt);
        return null;
      };
      worker = new Worker<Payload>(QUEUE_NAME, processor, { connection, concurrency: hooks.concurrency });
      worker.on('completed', () => hooks.onComplete());
      worker.on('failed', (_job, error) => hooks.onError(error));
      worker.on('error', (error) => hooks.onError(error));
      await worker.waitUntilReady();
    },
    async close() {
      await worker?.close();
      await queue?.close();
    },
  };
  return system;
};
