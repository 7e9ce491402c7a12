/** How big each scenario runs; everything scales from the task count N. */
/** A delayed task is due a random time in [min, max] ms after it is sent. */
export interface DelayRange {
  min: number;
  max: number;
}

export interface Scale {
  quick: boolean;
  /** N: tasks per throughput, cost and memory run. */
  tasks: number;
  reps: number;
  /** Tasks per bulk call (enqueue-bulk and pre-filling); the size a batching producer would use. */
  bulkBatch: number;
  /** One-at-a-time enqueues in flight in the end-to-end and cost producers. */
  producerWindow: number;
  drainConcurrencies: number[];
  /** Concurrency of the worker in the end-to-end, delayed, cost and memory scenarios. */
  workerConcurrency: number;
  latencySamples: number;
  /** Tasks a fresh latency worker runs before the steady-state samples; reported apart. */
  latencyWarmup: number;
  /** Tasks in the delayed stream. */
  delayedSamples: number;
  /**
   * Tasks sent one after another to an idle worker. Enough for a p99 that is not just the slowest
   * task (at 40 it was: one late timer decided it), so their delay is short.
   */
  delayedIdleSamples: number;
  /** How far ahead the idle tasks are due. */
  idleDelayMs: DelayRange;
  delayedRatePerSec: number;
  /** How far ahead the streamed tasks are due. */
  streamDelayMs: DelayRange;
  /** Idle time before each memory sample, so start-up work and timers have settled. */
  memorySettleMs: number;
  /** Deadline for any one message from a child: generous, it only catches a hung system. */
  timeoutMs: number;
  /** Requests per `redis-benchmark` test for the ceiling line. */
  ceilingRequests: number;
}

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

export function resolveScale(options: { quick: boolean; tasks?: number; reps?: number }): Scale {
  const tasks = options.tasks ?? (options.quick ? 500 : 50_000);
  return {
    quick: options.quick,
    tasks,
    reps: options.reps ?? (options.quick ? 1 : 3),
    bulkBatch: 1000,
    producerWindow: 50,
    drainConcurrencies: [1, 50, 200],
    workerConcurrency: 50,
    // Sequential samples cost ~1 ms each: capped so latency does not dominate the run time.
    latencySamples: clamp(Math.round(tasks / 10), 200, 5000),
    // V8 compiles a process's hot path over its first ~2,000 tasks: slow samples cluster there for
    // every system (docs/performance-history.md, the eighth session).
    latencyWarmup: options.quick ? 20 : 2000,
    delayedSamples: clamp(Math.round(tasks / 25), 100, 2000),
    delayedIdleSamples: clamp(Math.round(tasks / 250), 5, 200),
    idleDelayMs: { min: 50, max: 150 },
    delayedRatePerSec: 500,
    streamDelayMs: { min: 200, max: 500 },
    memorySettleMs: options.quick ? 200 : 1000,
    timeoutMs: 60_000 + tasks * 4,
    ceilingRequests: options.quick ? 20_000 : 100_000,
  };
}
