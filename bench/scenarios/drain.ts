import type { Scale } from '../scale.js';
import { perSecond, type BenchCase } from './types.js';

/**
 * Consumer-side throughput alone: N no-op tasks wait in Redis before the worker starts, and the
 * clock runs from the first task body to the last recorded completion (start-up excluded).
 */
function drainCase(concurrency: number): BenchCase {
  return {
    id: `drain-c${concurrency}`,
    scenario: 'drain',
    title: `drain pre-filled queue, concurrency ${concurrency}`,
    metrics: [{ key: 'tasksPerSec', label: 'tasks/s', better: 'higher' }],
    chartMetric: 'tasksPerSec',
    async run(ctx) {
      await ctx.fill(ctx.scale.tasks);
      const worker = ctx.spawnWorker({ concurrency, expect: ctx.scale.tasks });
      const finished = await worker.next('finished', ctx.scale.timeoutMs);
      await worker.exit();
      return { tasksPerSec: perSecond(finished.count, finished.lastCompleteAt - finished.firstStartAt) };
    },
  };
}

export function drainCases(scale: Scale): BenchCase[] {
  return scale.drainConcurrencies.map(drainCase);
}
