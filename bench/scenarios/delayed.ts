import { percentile } from '../stats.js';
import type { BenchCase, RunContext } from './types.js';

const metrics = [
  { key: 'p50Ms', label: 'p50 ms late', better: 'lower' as const },
  { key: 'p99Ms', label: 'p99 ms late', better: 'lower' as const },
];

/** Runs a worker (concurrency 50) against a producer of delayed tasks, one at a time or a stream. */
async function measureLateness(ctx: RunContext, sequential: boolean) {
  const { timeoutMs, workerConcurrency, delayedRatePerSec } = ctx.scale;
  const count = sequential ? ctx.scale.delayedIdleSamples : ctx.scale.delayedSamples;
  const delay = sequential ? ctx.scale.idleDelayMs : ctx.scale.streamDelayMs;
  const tasks = { count, minDelayMs: delay.min, maxDelayMs: delay.max };
  const worker = ctx.spawnWorker({
    concurrency: workerConcurrency,
    expect: count,
    relayCompletions: sequential,
  });
  await worker.next('ready', timeoutMs);
  const producer = sequential
    ? ctx.spawnProducer({ mode: 'delayed-sequential', ...tasks })
    : ctx.spawnProducer({ mode: 'delayed-stream', ...tasks, ratePerSec: delayedRatePerSec });
  if (sequential) worker.onMessage('completed', (message) => producer.send(message));
  const [, finished] = await Promise.all([
    producer.next('done', timeoutMs),
    worker.next('finished', timeoutMs),
  ]);
  await Promise.all([producer.exit(), worker.exit()]);
  return { p50Ms: percentile(finished.lateness, 50), p99Ms: percentile(finished.lateness, 99) };
}

/**
 * How late delayed tasks start (first line of the task body − due time). Two situations,
 * because a worker that is woken by other traffic often promotes due tasks on the way:
 * - idle: each task due 50–150 ms after sending, the next sent only after the previous one
 *   completed, so nothing but the system's own timer can start it (what "starts within 50 ms on
 *   an idle worker" is about);
 * - stream: a steady 500 tasks/s, each due 200–500 ms later, as a busy producer would send them.
 */
export const delayedCases: BenchCase[] = [
  {
    id: 'delayed-idle',
    scenario: 'delayed',
    title: 'delayed tasks, one at a time on an idle worker: start − due',
    metrics,
    run: (ctx) => measureLateness(ctx, true),
  },
  {
    id: 'delayed-load',
    scenario: 'delayed',
    title: 'delayed tasks, a stream of 500/s: start − due',
    metrics,
    run: (ctx) => measureLateness(ctx, false),
  },
];
