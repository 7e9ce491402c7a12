import type { Child } from '../children.js';
import type { WorkerSpec, ProducerSpec } from '../protocol.js';
import type { BenchRedis } from '../redis.js';
import type { Scale } from '../scale.js';
import type { SystemName } from '../systems/types.js';

export interface MetricDef {
  key: string;
  label: string;
  better: 'higher' | 'lower';
  /** Measures the harness, not the system (a control): shown, but never counted for or against. */
  control?: boolean;
}

export type Metrics = Record<string, number>;

type Omitted = 'system' | 'target';
export type WorkerOptions = Omit<WorkerSpec, Omitted | 'role'>;
/** A producer spec without the parts the context fills in (distributive, to keep each mode's fields). */
export type ProducerOptions = ProducerSpec extends infer S
  ? S extends ProducerSpec
    ? Omit<S, Omitted | 'role'>
    : never
  : never;

/** What a case gets for one run of one system; Redis was flushed and the SQLite file removed just before. */
export interface RunContext {
  system: SystemName;
  redis: BenchRedis;
  scale: Scale;
  spawnWorker(options: WorkerOptions): Child;
  spawnProducer(options: ProducerOptions): Child;
  /** Pre-fills `count` no-op tasks from the orchestrator with the bulk API (not measured). */
  fill(count: number): Promise<void>;
}

/** One measured case; a scenario may have several (drain at three concurrencies). */
export interface BenchCase {
  id: string;
  scenario: string;
  title: string;
  /** The first metric is the headline one. */
  metrics: MetricDef[];
  /** The throughput metric drawn in the ratio chart, if any. */
  chartMetric?: string;
  /** It measures Redis itself: systems that keep their queues elsewhere skip it. */
  redisOnly?: boolean;
  run(ctx: RunContext): Promise<Metrics>;
}

export function perSecond(count: number, elapsedMs: number): number {
  return count / (elapsedMs / 1000);
}
