import type { BenchCase } from './types.js';

/**
 * Worker process memory: idle after start-up, and after N tasks have gone through it (each
 * sample after a settle pause and a forced GC, so it shows what is retained). The same process's
 * RSS before it loads any queue library is reported too: Node and tsx are part of every number.
 */
export const memoryCase: BenchCase = {
  id: 'memory',
  scenario: 'memory',
  title: 'worker memory, idle and after N tasks (concurrency 50)',
  metrics: [
    { key: 'rssBaselineMb', label: 'RSS harness only MB', better: 'lower', control: true },
    { key: 'rssIdleMb', label: 'RSS idle MB', better: 'lower' },
    { key: 'rssAfterMb', label: 'RSS after MB', better: 'lower' },
    { key: 'heapAfterMb', label: 'heap used after MB', better: 'lower' },
  ],
  async run(ctx) {
    const { tasks, timeoutMs, workerConcurrency, memorySettleMs } = ctx.scale;
    const worker = ctx.spawnWorker({ concurrency: workerConcurrency, expect: tasks, memorySettleMs });
    const ready = await worker.next('ready', timeoutMs);
    await ctx.fill(tasks);
    const finished = await worker.next('finished', timeoutMs);
    await worker.exit();
    return {
      rssBaselineMb: ready.baseline?.rssMb ?? Number.NaN,
      rssIdleMb: ready.memory?.rssMb ?? Number.NaN,
      rssAfterMb: finished.memory?.rssMb ?? Number.NaN,
      heapAfterMb: finished.memory?.heapUsedMb ?? Number.NaN,
    };
  },
};
