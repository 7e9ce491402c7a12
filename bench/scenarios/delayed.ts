import { percentile } from '../stats.js';
import type { BenchCase } from './types.js';

/**
 * How late delayed tasks start: each is due 200–500 ms after it is sent, sends are paced so the
 * worker is mostly idle, and lateness = first line of the task body − due time.
 */
export const delayedCase: BenchCase = {
  id: 'delayed',
  scenario: 'delayed',
  title: 'delayed tasks (due in 200–500 ms), lateness = start − due',
  metrics: [
    { key: 'p50Ms', label: 'p50 ms late', better: 'lower' },
    { key: 'p99Ms', label: 'p99 ms late', better: 'lower' },
  ],
  async run(ctx) {
    const { delayedSamples, timeoutMs, workerConcurrency } = ctx.scale;
    const worker = ctx.spawnWorker({ concurrency: workerConcurrency, expect: delayedSamples });
    await worker.next('ready', timeoutMs);
    const producer = ctx.spawnProducer({
      mode: 'delayed',
      count: delayedSamples,
      minDelayMs: ctx.scale.delayMinMs,
      maxDelayMs: ctx.scale.delayMaxMs,
      ratePerSec: ctx.scale.delayedRatePerSec,
    });
    const [, finished] = await Promise.all([producer.next('done', timeoutMs), worker.next('finished', timeoutMs)]);
    await Promise.all([producer.exit(), worker.exit()]);
    return { p50Ms: percentile(finished.lateness, 50), p99Ms: percentile(finished.lateness, 99) };
  },
};
