import { perSecond, type BenchCase } from './types.js';

/**
 * Producer and worker in separate processes at the same time, as in production: the clock runs
 * from the producer's first enqueue to the worker's last completion.
 */
export const endToEndCase: BenchCase = {
  id: 'end-to-end',
  scenario: 'end-to-end',
  title: 'end-to-end, producer (50 in flight) + worker (concurrency 50) together',
  metrics: [
    { key: 'tasksPerSec', label: 'tasks/s', better: 'higher' },
    { key: 'producerTasksPerSec', label: 'producer tasks/s', better: 'higher' },
  ],
  chartMetric: 'tasksPerSec',
  async run(ctx) {
    const { tasks, timeoutMs } = ctx.scale;
    const worker = ctx.spawnWorker({ concurrency: ctx.scale.workerConcurrency, expect: tasks });
    await worker.next('ready', timeoutMs);
    const producer = ctx.spawnProducer({ mode: 'window', count: tasks, window: ctx.scale.producerWindow });
    const [done, finished] = await Promise.all([
      producer.next('done', timeoutMs),
      worker.next('finished', timeoutMs),
    ]);
    await Promise.all([producer.exit(), worker.exit()]);
    return {
      tasksPerSec: perSecond(finished.count, finished.lastCompleteAt - done.startedAt),
      producerTasksPerSec: perSecond(tasks, done.endedAt - done.startedAt),
    };
  },
};
