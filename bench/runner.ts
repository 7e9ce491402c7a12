/** Runs every selected case for every system, repetition by repetition, on emptied stores. */
import { loadavg } from 'node:os';
import { Child, killAllChildren } from './children.js';
import { describeError } from './protocol.js';
import type { BenchRedis } from './redis.js';
import type { Scale } from './scale.js';
import type { BenchSqlite } from './sqlite.js';
import type { BenchCase, Metrics, RunContext } from './scenarios/types.js';
import { usesRedis, type BenchTarget, type CreateSystem, type SystemName } from './systems/types.js';

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
  sqlite: BenchSqlite;
  onRecord(record: RunRecord, progress: string): void;
}

export function targetOf(plan: Pick<RunPlan, 'redis' | 'sqlite'>): BenchTarget {
  return { redis: plan.redis.target, sqlitePath: plan.sqlite.path };
}

/** Forks the worker and producer processes of `system`, its queues at `target`. */
export function spawnersFor(
  system: SystemName,
  target: BenchTarget,
): Pick<RunContext, 'spawnWorker' | 'spawnProducer'> {
  const base = { system, target };
  return {
    spawnWorker: (options) => new Child({ ...base, ...options, role: 'worker' }, `${system} worker`),
    spawnProducer: (options) => new Child({ ...base, ...options, role: 'producer' }, `${system} producer`),
  };
}

function contextFor(plan: RunPlan, system: SystemName, create: CreateSystem): RunContext {
  const target = targetOf(plan);
  return {
    system,
    redis: plan.redis,
    scale: plan.scale,
    ...spawnersFor(system, target),
    async fill(count) {
      const producer = await create(target, 'producer');
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

/** `names` in the order of repetition `rep` (from 1): rotated, so drift on the machine falls on each alike. */
export function rotation<T>(names: readonly T[], rep: number): T[] {
  return names.map((_, i) => names[(i + rep - 1) % names.length] as T);
}

/**
 * Systems alternate inside each case and repetition, and the order rotates per repetition, so
 * drift on the machine (thermal, noisy neighbours) spreads over all systems instead of one.
 */
export async function runPlan(plan: RunPlan): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  const systemsOf = (benchCase: BenchCase): SystemName[] =>
    [...plan.systems.keys()].filter((system) => !benchCase.redisOnly || usesRedis(system));
  const total = plan.cases.reduce((sum, c) => sum + systemsOf(c).length, 0) * plan.scale.reps;
  for (const benchCase of plan.cases) {
    const names = systemsOf(benchCase);
    for (let rep = 1; rep <= plan.scale.reps; rep++) {
      for (const system of rotation(names, rep)) {
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
          plan.sqlite.reset();
          record.metrics = await benchCase.run(contextFor(plan, system, create));
        } catch (error) {
          record.error = describeError(error);
        } finally {
          // Nothing from this run may touch the next one's stores.
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
