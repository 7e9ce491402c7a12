import type { Child, MessageOf } from '../children.js';
import { percentile } from '../stats.js';
import type { BenchCase, RunContext } from './types.js';

/**
 * Enqueue→complete time on an idle worker, one task at a time: the producer enqueues, waits for
 * the worker's completion (relayed through the orchestrator), then enqueues the next. Both ends
 * are stamped where they happen, so the relay hop is not part of the sample. A fresh worker's first
 * `latencyWarmup` tasks (the warm-up) run while V8 still compiles the hot path: their p99 is
 * reported apart, and p50/p95/p99 describe the worker after them.
 */
export const latencyCase: BenchCase = {
  id: 'latency',
  scenario: 'latency',
  title: 'latency enqueue→complete, idle worker (concurrency 1), sequential',
  metrics: [
    { key: 'p50Ms', label: 'p50 ms', better: 'lower' },
    { key: 'p95Ms', label: 'p95 ms', better: 'lower' },
    { key: 'p99Ms', label: 'p99 ms', better: 'lower' },
    { key: 'warmupP99Ms', label: 'p99 ms, warm-up', better: 'lower' },
  ],
  async run(ctx) {
    const { latencySamples, latencyWarmup, timeoutMs } = ctx.scale;
    const { done } = await runOneAtATime(ctx, { warmup: latencyWarmup, count: latencySamples }, timeoutMs);
    const warmup = done.samples.slice(0, latencyWarmup);
    const steady = done.samples.slice(latencyWarmup);
    return {
      p50Ms: percentile(steady, 50),
      p95Ms: percentile(steady, 95),
      p99Ms: percentile(steady, 99),
      warmupP99Ms: percentile(warmup, 99),
    };
  },
};

/**
 * A fresh worker at concurrency 1 and a producer that sends `warmup + count` tasks, each once the
 * worker reported the one before complete (relayed through the orchestrator). Resolves with the
 * producer's samples and the worker's report, once both processes have exited.
 */
export async function runOneAtATime(
  spawn: Pick<RunContext, 'spawnWorker' | 'spawnProducer'>,
  tasks: { warmup: number; count: number; measureThreadCpu?: boolean },
  timeoutMs: number,
): Promise<{ done: MessageOf<'done'>; finished: MessageOf<'finished'> }> {
  const { warmup, count, measureThreadCpu } = tasks;
  // The producer starts only once the worker is ready; completions reach it through this slot.
  const relay: { to?: Child } = {};
  const worker = spawn.spawnWorker({
    concurrency: 1,
    expect: warmup + count,
    relayCompletions: true,
    measureThreadCpu,
  });
  worker.onMessage('completed', (message) => relay.to?.send(message));
  await worker.next('ready', timeoutMs);
  const producer = spawn.spawnProducer({ mode: 'latency', count, warmup, measureThreadCpu });
  relay.to = producer;
  const [done, finished] = await Promise.all([
    producer.next('done', timeoutMs),
    worker.next('finished', timeoutMs),
  ]);
  await Promise.all([producer.exit(), worker.exit()]);
  return { done, finished };
}
