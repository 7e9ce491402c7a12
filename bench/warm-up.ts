/**
 * `npm run bench:warm-up`: a fresh worker's first tasks, one at a time, and what its threads spend
 * on them. The latency case reports the warm-up's p99 (bench/scenarios/latency.ts); this probe
 * adds the p99 of each half of the tasks and the CPU of each process's main thread and of its
 * background threads (V8's optimising compiler and GC helpers), which is what explains that p99
 * (docs/performance.md, weak spots).
 * Same children, adapters and private Redis as `npm run bench`; the systems alternate.
 */
import { formatNumber } from './format.js';
import { alternate, PROBE_TIMEOUT_MS, probeOptions, runProbe, type ProbeStores } from './probe.js';
import { spawnersFor, targetOf } from './runner.js';
import { runOneAtATime } from './scenarios/latency.js';
import { median, percentile } from './stats.js';
import type { SystemName } from './systems/types.js';
import { alignedText } from './table.js';
import type { ThreadCpu } from './thread-cpu.js';

interface Sample {
  system: SystemName;
  rep: number;
  p50Ms: number;
  p99Ms: number;
  /** The p99 of the first and of the second half of the tasks: where in the warm-up the slow ones fall. */
  p99FirstHalfMs: number;
  p99SecondHalfMs: number;
  worker?: ThreadCpu;
  producer?: ThreadCpu;
}

/** One fresh worker and one fresh producer: `tasks` enqueued one at a time, each awaited. */
async function runPair(system: SystemName, rep: number, tasks: number, stores: ProbeStores): Promise<Sample> {
  await stores.redis.flushAll();
  const { done, finished } = await runOneAtATime(
    spawnersFor(system, targetOf(stores)),
    { warmup: tasks, count: 0, measureThreadCpu: true },
    PROBE_TIMEOUT_MS,
  );
  const half = Math.ceil(done.samples.length / 2);
  return {
    system,
    rep,
    p50Ms: percentile(done.samples, 50),
    p99Ms: percentile(done.samples, 99),
    p99FirstHalfMs: percentile(done.samples.slice(0, half), 99),
    p99SecondHalfMs: percentile(done.samples.slice(half), 99),
    worker: finished.threadCpu,
    producer: done.threadCpu,
  };
}

/** Latencies keep the report's significant digits. */
const latencyMs = (value: number | undefined): string => formatNumber(value ?? Number.NaN);

/** CPU readings are whole ticks of 10 ms: no decimals. */
const cpuMs = (value: number | undefined): string =>
  value === undefined ? 'n/a' : String(Math.round(value));

/** The table's figures after its first two columns: a heading, a reading of one sample, a format. */
const FIGURES: [string, (s: Sample) => number | undefined, (value: number | undefined) => string][] = [
  ['p50 ms', (s) => s.p50Ms, latencyMs],
  ['p99 ms', (s) => s.p99Ms, latencyMs],
  ['p99 ms, 1st half', (s) => s.p99FirstHalfMs, latencyMs],
  ['p99 ms, 2nd half', (s) => s.p99SecondHalfMs, latencyMs],
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

async function main(): Promise<void> {
  const { systems, reps, tasks } = probeOptions(
    'bench:warm-up',
    "A fresh worker's first tasks one at a time: latency and the CPU of each process's threads.",
    {
      reps: 4,
      tasks: 2_000,
      tasksHelp: 'tasks per pair (the latency case warms up with 2,000)',
    },
  );
  const samples = await alternate(systems, reps, async (system, rep, stores) => {
    const sample = await runPair(system, rep, tasks, stores);
    console.log(`${system} rep ${rep}: p99 ${formatNumber(sample.p99Ms)} ms`);
    return sample;
  });
  const header = ['system', 'rep', ...FIGURES.map(([heading]) => heading)];
  const medians = systems.map((system) => medianRowOf(system, samples));
  console.log(
    `\n${tasks} tasks per fresh worker; CPU in ms over those tasks (10 ms resolution, Linux only)\n`,
  );
  console.log(alignedText([header, ...rowsOf(samples), ...medians]));
}

await runProbe(main);
