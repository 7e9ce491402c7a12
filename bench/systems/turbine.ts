import type * as TurbineApi from '../../src/index.js';
import type { BenchSystem, CreateSystem, WorkerHooks } from './types.js';

// Measured as users run it: the compiled package in dist/ (`npm run bench` builds it first), not
// the TypeScript sources through a loader; types still come from src/. It is imported inside
// createSystem, as a chunk bundled by bench/child-bundle.ts cannot hold a top-level await.
const distEntry = '../../dist/index.js';

/** Turbine on the benchmark Redis. */
export const createSystem: CreateSystem = ({ redis }) => createTurbine(redis.url);

/**
 * Turbine on the broker `brokerUrl` names, as SPEC §2 describes it, with its defaults: `prefetch`
 * 20 (messages held beyond the running ones) and `storeResult: true`, stated so the parity with
 * BullMQ (jobs kept) is visible.
 */
export async function createTurbine(brokerUrl: string): Promise<BenchSystem> {
  const { Turbine } = (await import(distEntry)) as typeof TurbineApi;
  const app = new Turbine({ broker: brokerUrl });
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
      worker = app.worker({ queues: ['default'], concurrency: workerHooks.concurrency });
      worker.on('task:succeeded', () => workerHooks.onComplete());
      worker.on('task:failed', (event) =>
        workerHooks.onError(
          new Error(`${event.name} ${event.id} failed (${event.reason}): ${event.error.message}`),
        ),
      );
      worker.on('worker:error', (event) => workerHooks.onError(event.error));
      await worker.start();
    },
    async close() {
      await worker?.stop();
      await app.close();
    },
  };
  return system;
}
