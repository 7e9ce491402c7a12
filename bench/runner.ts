/** Runs every selected case for every system, repetition by repetition, on a flushed Redis. */
import { loadavg } from 'node:os';
import { Child, killAllChildren } from './children.js';
import { describeError } from './protocol.js';
import type { BenchRedis } from './redis.js';
import type { Scale } from './scale.js';
import type { BenchCase, Metrics, RunContext } from './scenarios/types.js';
import type { CreateSystem, SystemName } from './systems/types.js';

/** One line of results.jsonl: one case × system × repetition. */
export interface RunRecord {
  runId: string;
  at: string;
  quick: boolean;
  tasks: number;
  scenario: string;
  case: string;
  system: SystemName;
  rep: number;
  metrics: Metrics;
  durationMs: number;
  /** 1-minute load average when the run started: other work on the machine skews results. */
  loadAverage: number;
  error?: string;
}

export interface RunPlan {
  runId: string;
  cases: BenchCase[];
  /** Systems that loaded, with their adapter factory (used here only to pre-fill queues). */
  systems: Map<SystemName, CreateSystem>;
  scale: Scale;
  redis: BenchRedis;
  onRecord(record: RunRecord, progress: string): void;
}

function contextFor(plan: RunPlan, system: SystemName, create: CreateSystem): RunContext {
  const base = { system, redis: plan.redis.target };
  return {
    system,
    redis: plan.redis,
    scale: plan.scale,
    spawnWorker: (options) => new Child({ ...base, ...options, role: 'worker' }, `${system} worker`),
    spawnProducer: (options) => new Child({ ...base, ...options, role: 'producer' }, `${system} producer`),
    async fill(count) {
      const producer = await create(plan.redis.target, 'producer');
      try {
        for (let done = 0; done < count; done += plan.scale.bulkBatch) {
          await producer.enqueueBulk(Math.min(plan.scale.bulkBatch, count - done));
        }
      } finally {
        await producer.close();
      }
    },
  };
}

/**
 * Systems alternate inside each case and repetition, and the order rotates per repetition, so
 * drift on the machine (thermal, noisy neighbours) spreads over all systems instead of one.
 */
export async function runPlan(plan: RunPlan): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  const names = [...plan.systems.keys()];
  const total = plan.cases.length * plan.scale.reps * names.length;
  for (const benchCase of plan.cases) {
    for (let rep = 1; rep <= plan.scale.reps; rep++) {
      const order = names.map((_, i) => names[(i + rep - 1) % names.length] as SystemName);
      for (const system of order) {
        const create = plan.systems.get(system) as CreateSystem;
        const started = Date.now();
        const record: RunRecord = {
          runId: plan.runId,
          at: new Date(started).toISOString(),
          quick: plan.scale.quick,
          tasks: plan.scale.tasks,
          scenario: benchCase.scenario,
          case: benchCase.id,
          system,
          rep,
          metrics: {},
          durationMs: 0,
          loadAverage: loadavg()[0] ?? Number.NaN,
        };
        try {
          await plan.redis.flushAll();
          record.metrics = await benchCase.run(contextFor(plan, system, create));
        } catch (error) {
          record.error = describeError(error);
        } finally {
          // Nothing from this run may touch the next one's Redis.
          killAllChildren();
        }
        record.durationMs = Date.now() - started;
        records.push(record);
        plan.onRecord(record, `${records.length}/${total}`);
      }
    }
  }
  return records;
}
