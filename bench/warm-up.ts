/**
 * `npm run bench:warm-up`: a fresh worker's first tasks, one at a time, and what its threads spend
 * on them. The latency case reports the warm-up's p99 (bench/scenarios/latency.ts); this probe
 * adds the CPU of each process's main thread and of its background threads (V8's optimising
 * compiler and GC helpers), which is what explains that p99 (docs/performance.md, weak spots).
 * Same children, adapters and private Redis as `npm run bench`; the systems alternate.
 */
import { Command, InvalidArgumentError } from 'commander';
import { bundleChild } from './child-bundle.js';
import { killAllChildren } from './children.js';
import { formatNumber } from './format.js';
import { csv, positiveInt } from './option-parsers.js';
import { BenchRedis } from './redis.js';
import { spawnersFor, targetOf } from './runner.js';
import { runOneAtATime } from './scenarios/latency.js';
import { BenchSqlite } from './sqlite.js';
import { median, percentile } from './stats.js';
import { isSystemName } from './systems/index.js';
import { SYSTEM_NAMES, usesRedis, type SystemName } from './systems/types.js';
import { alignedText } from './table.js';
import type { ThreadCpu } from './thread-cpu.js';

const flags = new Command()
  .name('npm run bench:warm-up --')
  .description("A fresh worker's first tasks one at a time: latency and the CPU of each process's threads.")
  .option('--systems <names>', 'comma-separated systems on Redis', csv, ['turbine', 'bee-queue'])
  .option('--reps <n>', 'fresh worker and producer pairs per system', positiveInt, 4)
  .option('--tasks <n>', 'tasks per pair (the latency case warms up with 2,000)', positiveInt, 2_000)
  .option('--quick', '1 repetition of 50 tasks: a smoke run', false)
  .parse()
  .opts<{ systems: string[]; reps: number; tasks: number; quick: boolean }>();

/** Deadline for any one message from a child: it only catches a hung system. */
const TIMEOUT_MS = 120_000;

interface Sample {
  system: SystemName;
  rep: number;
  p50Ms: number;
  p99Ms: number;
  worker?: ThreadCpu;
  producer?: ThreadCpu;
}

/** One fresh worker and one fresh producer: `tasks` enqueued one at a time, each awaited. */
async function runPair(
  system: SystemName,
  rep: number,
  tasks: number,
  redis: BenchRedis,
  sqlite: BenchSqlite,
): Promise<Sample> {
  await redis.flushAll();
  const { done, finished } = await runOneAtATime(
    spawnersFor(system, targetOf({ redis, sqlite })),
    { warmup: tasks, count: 0, measureThreadCpu: true },
    TIMEOUT_MS,
  );
  return {
    system,
    rep,
    p50Ms: percentile(done.samples, 50),
    p99Ms: percentile(done.samples, 99),
    worker: finished.threadCpu,
    producer: done.threadCpu,
  };
}

/** CPU readings are whole ticks of 10 ms: no decimals. */
const cpuMs = (value: number | undefined): string =>
  value === undefined ? 'n/a' : String(Math.round(value));

/** The table's figures after its first two columns: a heading, a reading of one sample, a format. */
const FIGURES: [string, (s: Sample) => number | undefined, (value: number | undefined) => string][] = [
  ['p50 ms', (s) => s.p50Ms, (v) => formatNumber(v ?? Number.NaN)],
  ['p99 ms', (s) => s.p99Ms, (v) => formatNumber(v ?? Number.NaN)],
  ['worker main ms', (s) => s.worker?.mainMs, cpuMs],
  ['worker background ms', (s) => s.worker?.backgroundMs, cpuMs],
  ['producer main ms', (s) => s.producer?.mainMs, cpuMs],
  ['producer background ms', (s) => s.producer?.backgroundMs, cpuMs],
];

function rowsOf(samples: readonly Sample[]): string[][] {
  return samples.map((s) => [s.system, String(s.rep), ...FIGURES.map(([, read, show]) => show(read(s)))]);
}

function medianRowOf(system: SystemName, samples: readonly Sample[]): string[] {
  const of = samples.filter((s) => s.system === system);
  return [system, 'median', ...FIGURES.map(([, read, show]) => show(medianOf(of, read)))];
}

function medianOf(samples: readonly Sample[], pick: (s: Sample) => number | undefined): number | undefined {
  const values = samples.map(pick).filter((v): v is number => v !== undefined);
  return values.length === 0 ? undefined : median(values);
}

/** The `--systems` names, each checked to be a system that runs on the private Redis. */
function redisSystemsOf(names: readonly string[]): SystemName[] {
  return names.map((name) => {
    if (isSystemName(name) && usesRedis(name)) return name;
    const known = SYSTEM_NAMES.filter(usesRedis).join(', ');
    throw new InvalidArgumentError(`--systems: ${name} is not a system on Redis (${known})`);
  });
}

async function main(): Promise<void> {
  const systems = redisSystemsOf(flags.systems);
  const reps = flags.quick ? 1 : flags.reps;
  const tasks = flags.quick ? 50 : flags.tasks;
  await bundleChild();
  const redis = await BenchRedis.start();
  const sqlite = BenchSqlite.create();
  const samples: Sample[] = [];
  try {
    for (let rep = 1; rep <= reps; rep++) {
      // Rotated per repetition, so drift on the machine falls on every system alike.
      const order = systems.map((_, i) => systems[(i + rep - 1) % systems.length] as SystemName);
      for (const system of order) {
        const sample = await runPair(system, rep, tasks, redis, sqlite);
        samples.push(sample);
        console.log(`${system} rep ${rep}: p99 ${formatNumber(sample.p99Ms)} ms`);
      }
    }
  } finally {
    killAllChildren();
    sqlite.remove();
    await redis.stop();
  }
  const header = ['system', 'rep', ...FIGURES.map(([heading]) => heading)];
  const medians = systems.map((system) => medianRowOf(system, samples));
  console.log(
    `\n${tasks} tasks per fresh worker; CPU in ms over those tasks (10 ms resolution, Linux only)\n`,
  );
  console.log(alignedText([header, ...rowsOf(samples), ...medians]));
}

try {
  await main();
} catch (error) {
  if (!(error instanceof InvalidArgumentError)) throw error;
  console.error(`error: ${error.message}`);
  process.exitCode = 1;
}
