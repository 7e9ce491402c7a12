import BeeQueue from 'bee-queue';
import { QUEUE_NAME, type BenchSystem, type CreateSystem } from './types.js';

interface Payload {
  dueAt?: number;
}

/**
 * bee-queue with its defaults, except:
 * - `removeOnSuccess: false` stated explicitly (it is the default) so results are kept, as in
 *   the other systems;
 * - `activateDelayedJobs: true` on workers, without which delayed jobs never run at all.
 *   Its default `delayedDebounce` (1 s) batches delayed activations, which shows in lateness.
 */
export const createSystem: CreateSystem = async ({ redis }, role) => {
  const queue = new BeeQueue<Payload>(QUEUE_NAME, {
    redis: { host: redis.host, port: redis.port },
    isWorker: role === 'worker',
    removeOnSuccess: false,
    activateDelayedJobs: role === 'worker',
  });
  await queue.ready();

  const system: BenchSystem = {
    async enqueueOne() {
      await queue.createJob({}).save();
    },
    async enqueueBulk(count) {
      const jobs = Array.from({ length: count }, () => queue.createJob({}));
      // saveAll reports per-job failures in a map instead of rejecting.
      const errors = await queue.saveAll(jobs);
      const first = errors.values().next();
      if (!first.done) throw first.value;
    },
    async enqueueAt(dueAt) {
      await queue.createJob({ dueAt }).delayUntil(dueAt).save();
    },
    async startWorker(hooks) {
      queue.on('succeeded', () => hooks.onComplete());
      queue.on('failed', (_job, error) => hooks.onError(error));
      queue.on('error', (error) => hooks.onError(error));
      queue.process(hooks.concurrency, async (job) => {
        hooks.onStart(job.data.dueAt);
        return null;
      });
      await queue.ready();
    },
    async close() {
      await queue.close();
    },
  };
  return system;
};
