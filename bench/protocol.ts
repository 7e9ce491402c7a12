/** Messages between the orchestrator (main.ts) and the processes it forks (child.ts). */
import type { BenchTarget, SystemName } from './systems/types.js';
import type { ThreadCpu } from './thread-cpu.js';

interface BaseSpec {
  system: SystemName;
  target: BenchTarget;
  /** Report the CPU of the process's threads over the measured span (`bench/warm-up.ts`). */
  measureThreadCpu?: boolean;
}

/** How a producer process enqueues `count` tasks. */
export type ProducerMode =
  /** each enqueue awaited before the next */
  | { mode: 'one' }
  /** the bulk API, `batch` tasks per call */
  | { mode: 'bulk'; batch: number }
  /** one-at-a-time calls with `window` of them in flight, like concurrent request handlers */
  | { mode: 'window'; window: number }
  /** enqueue one, wait for the parent to relay its completion, repeat; `warmup` tasks, then `count` */
  | { mode: 'latency'; warmup: number }
  /** tasks due `minDelayMs`–`maxDelayMs` later, sent at a steady `ratePerSec` */
  | { mode: 'delayed-stream'; minDelayMs: number; maxDelayMs: number; ratePerSec: number }
  /** one task due `minDelayMs`–`maxDelayMs` later, then wait for its relayed completion, repeat */
  | { mode: 'delayed-sequential'; minDelayMs: number; maxDelayMs: number };

export type ProducerSpec = BaseSpec & { role: 'producer'; count: number } & ProducerMode;

export interface WorkerSpec extends BaseSpec {
  role: 'worker';
  concurrency: number;
  /** The worker reports `finished`, closes and exits after this many completions. */
  expect: number;
  /** Send a `completed` message per task (the latency scenario relays it to the producer). */
  relayCompletions?: boolean;
  /** Settle this long, collect garbage and sample memory when idle and when finished. */
  memorySettleMs?: number;
}

export type ChildSpec = ProducerSpec | WorkerSpec;

export interface MemorySample {
  rssMb: number;
  heapUsedMb: number;
}

/** All times are monotonic milliseconds from `clock.now()`, comparable across processes. */
export type ChildMessage =
  | { type: 'ready'; memory?: MemorySample; baseline?: MemorySample }
  | { type: 'completed'; at: number }
  | {
      type: 'finished';
      count: number;
      firstStartAt: number;
      lastCompleteAt: number;
      /** start − due for every task sent with a due time */
      lateness: number[];
      memory?: MemorySample;
      /** From the first task's start to the last completion. */
      threadCpu?: ThreadCpu;
    }
  | { type: 'done'; startedAt: number; endedAt: number; samples: number[]; threadCpu?: ThreadCpu }
  | { type: 'error'; message: string };

export type ParentMessage = { type: 'completed'; at: number };

/** Renders anything a system rejects or emits as one readable line. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
