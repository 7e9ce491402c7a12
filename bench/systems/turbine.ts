// src/index.ts is being written in parallel with this harness. Until it exists the import is
// untyped (and main.ts skips Turbine when it fails to load); once it lands, these two comment
// lines can go and the adapter is type-checked against the real API.
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore
import { Turbine } from '../../src/index.js';
import type { BenchSystem, CreateSystem, WorkerHooks } from './types.js';

/**
 * Turbine as SPEC §2 describes it, with defaults except `prefetch`, raised to the concurrency
 * when that is above the default 20 so a worker can keep all its slots busy.
 * `storeResult: true` is the default, stated so the comparison with BullMQ (jobs kept) is visible.
 */
export const createSystem: CreateSystem = async (redis) => {
  const app = new Turbine({ broker: redis.url });
  // Task bodies are registered in every process (producers need the handles, workers the bodies);
  // only a worker process sets the hooks.
  let hooks: WorkerHooks | undefined;
  const noop = app.task('noop', { storeResult: true }, async () => {
    hooks?.onStart(undefined);
    return null;
  });
  const stamp = app.task('stamp', { storeResult: true }, async (dueAt: number) => {
    hooks?.onStart(dueAt);
    return null;
  });
  let worker: ReturnType<typeof app.worker> | undefined;

  const system: BenchSystem = {
    async enqueueOne() {
      await noop.delay();
    },
    async enqueueBulk(count) {
      await noop.delayMany(Array.from({ length: count }, (): [] => []));
    },
    async enqueueAt(dueAt) {
      await stamp.applyAsync([dueAt], { eta: new Date(dueAt) });
    },
    async startWorker(workerHooks) {
      hooks = workerHooks;
      const { concurrency } = workerHooks;
      worker = app.worker({ queues: ['default'], concurrency, prefetch: Math.max(concurrency, 20) });
      worker.on('task:succeeded', () => workerHooks.onComplete());
      worker.on('task:failed', (event: unknown) => workerHooks.onError(event));
      await worker.start();
    },
    async close() {
      await worker?.stop();
      await app.close();
    },
  };
  return system;
};
