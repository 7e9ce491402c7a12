/** The contract every compared queue implements, so each scenario is written once. */

export const SYSTEM_NAMES = ['turbine', 'turbine-sqlite', 'bullmq', 'bee-queue'] as const;
export type SystemName = (typeof SYSTEM_NAMES)[number];

/** Turbine on Redis and on its embedded SQLite broker; every other system is a peer of both. */
export const TURBINE_SYSTEMS: readonly SystemName[] = ['turbine', 'turbine-sqlite'];

/** Whether a system keeps its queues in the benchmark Redis (the embedded broker keeps a file). */
export function usesRedis(system: SystemName): boolean {
  return system !== 'turbine-sqlite';
}

/** Where the private benchmark Redis listens. */
export interface RedisTarget {
  host: string;
  port: number;
  url: string;
}

/** Where systems keep their queues; both are emptied before every run. */
export interface BenchTarget {
  redis: RedisTarget;
  /** The embedded broker's database file. */
  sqlitePath: string;
}

/** Producers only enqueue; workers also consume (bee-queue needs to know up front). */
export type Role = 'producer' | 'worker';

export interface WorkerHooks {
  concurrency: number;
  /** Called first thing in the task body; `dueAt` is set for tasks sent with {@link BenchSystem.enqueueAt}. */
  onStart(dueAt: number | undefined): void;
  /** Called when the system reports the task as completed (its outcome recorded in its store). */
  onComplete(): void;
  /** Any failed task or worker error: the harness counts the run as failed. */
  onError(error: unknown): void;
}

/** One queue system, connected to its store in one process. */
export interface BenchSystem {
  /** Enqueues one no-op task; resolves once the broker has stored it. */
  enqueueOne(): Promise<void>;
  /** Enqueues `count` no-op tasks with the system's bulk API (one call). */
  enqueueBulk(count: number): Promise<void>;
  /** Enqueues one task due at `dueAt` (epoch ms); its body reports `dueAt` to {@link WorkerHooks.onStart}. */
  enqueueAt(dueAt: number): Promise<void>;
  /** Starts consuming; resolves once the worker is ready to take tasks. */
  startWorker(hooks: WorkerHooks): Promise<void>;
  /** Stops any worker and closes every connection. */
  close(): Promise<void>;
}

/** What each adapter module exports. */
export type CreateSystem = (target: BenchTarget, role: Role) => Promise<BenchSystem>;

/** The queue name every adapter uses (Turbine's default queue is `default`). */
export const QUEUE_NAME = 'bench';
