import { perSecond, type BenchCase } from './types.js';

const metrics = [{ key: 'tasksPerSec', label: 'tasks/s', better: 'higher' as const }];

/** Producer-side cost alone: how fast one process can hand tasks to Redis. */
export const enqueueCases: BenchCase[] = [
  {
    id: 'enqueue-one',
    scenario: 'enqueue',
    title: 'enqueue one at a time (each awaited)',
    metrics,
    chartMetric: 'tasksPerSec',
    async run(ctx) {
      const producer = ctx.spawnProducer({ mode: 'one', count: ctx.scale.tasks });
      const done = await producer.next('done', ctx.scale.timeoutMs);
      await producer.exit();
      return { tasksPerSec: perSecond(ctx.scale.tasks, done.endedAt - done.startedAt) };
    },
  },
  {
    id: 'enqueue-bulk',
    scenario: 'enqueue',
    title: 'enqueue bulk (addBulk / saveAll / delayMany, 1,000 per call)',
    metrics,
    chartMetric: 'tasksPerSec',
    async run(ctx) {
      const producer = ctx.spawnProducer({
        mode: 'bulk',
        count: ctx.scale.tasks,
        batch: ctx.scale.bulkBatch,
      });
      const done = await producer.next('done', ctx.scale.timeoutMs);
      await producer.exit();
      return { tasksPerSec: perSecond(ctx.scale.tasks, done.endedAt - done.startedAt) };
    },
  },
];
