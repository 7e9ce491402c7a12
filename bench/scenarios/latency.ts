import type { Child } from '../children.js';
import { percentile } from '../stats.js';
import type { BenchCase } from './types.js';

/**
 * Enqueue→complete time on an idle worker, one task at a time: the producer enqueues, waits for
 * the worker's completion (relayed through the orchestrator), then enqueues the next. Both ends
 * are stamped where they happen, so the relay hop is not part of the sample.
 */
export const latencyCase: BenchCase = {
  id: 'latency',
  scenario: 'latency',
  title: 'latency enqueue→complete, idle worker (concurrency 1), sequential',
  metrics: [
    { key: 'p50Ms', label: 'p50 ms', better: 'lower' },
    { key: 'p95Ms', label: 'p95 ms', better: 'lower' },
    { key: 'p99Ms', label: 'p99 ms', better: 'lower' },
  ],
  async run(ctx) {
    const { latencySamples, latencyWarmup, timeoutMs } = ctx.scale;
    // The producer starts only once the worker is ready; completions reach it through this slot.
    const relay: { to?: Child } = {};
    const worker = ctx.spawnWorker({
      concurrency: 1,
      expect: latencyWarmup + latencySamples,
      relayCompletions: true,
    });
    worker.onMessage('completed', (message) => relay.to?.send(message));
    await worker.next('ready', timeoutMs);
    const producer = ctx.spawnProducer({ mode: 'latency', count: latencySamples, warmup: latencyWarmup });
    relay.to = producer;
    const [done] = await Promise.all([producer.next('done', timeoutMs), worker.next('finished', timeoutMs)]);
    await Promise.all([producer.exit(), worker.exit()]);
    return {
      p50Ms: percentile(done.samples, 50),
      p95Ms: percentile(done.samples, 95),
      p99Ms: percentile(done.samples, 99),
    };
  },
};
