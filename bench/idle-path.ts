/**
 * `npm run bench:idle-path`: Redis's side of one task at a time on an idle worker. For each system,
 * the commands a task costs, their time inside Redis, and Redis's whole CPU per task (reading,
 * parsing and answering included). When a round trip is cheap, the time Redis spends on a task's
 * path decides the latency case's p50 (docs/performance.md, weak spots).
 * Same children, adapters and private Redis as `npm run bench`; the systems alternate.
 */
import { formatNumber } from './format.js';
import { alternate, PROBE_TIMEOUT_MS, probeOptions, runProbe, type ProbeStores } from './probe.js';
import type { CommandStat } from './redis.js';
import { spawnersFor, targetOf } from './runner.js';
import { runOneAtATime } from './scenarios/latency.js';
import { median } from './stats.js';
import type { SystemName } from './systems/types.js';
import { alignedText } from './table.js';

/** One pair's readings over all its tasks, the start-up and shutdown of both processes included. */
interface Sample {
  system: SystemName;
  redisCpuUs: number;
  commands: Map<string, CommandStat>;
  tasks: number;
}

/** One fresh worker and one fresh producer: `tasks` enqueued one at a time, each awaited. */
async function runPair(system: SystemName, tasks: number, stores: ProbeStores): Promise<Sample> {
  const { redis } = stores;
  await redis.flushAll();
  await redis.resetStats();
  const cpuBefore = await redis.cpuSeconds();
  await runOneAtATime(spawnersFor(system, targetOf(stores)), { warmup: tasks, count: 0 }, PROBE_TIMEOUT_MS);
  const redisCpuUs = ((await redis.cpuSeconds()) - cpuBefore) * 1e6;
  return { system, redisCpuUs, commands: await redis.commandStats(), tasks };
}

/** A system's rows: each command's calls and time per task (medians over its pairs), then Redis's CPU. */
function rowsOf(system: SystemName, samples: readonly Sample[]): string[][] {
  const of = samples.filter((s) => s.system === system);
  const perTask = (pick: (s: Sample) => number): number => median(of.map((s) => pick(s) / s.tasks));
  const names = new Set(of.flatMap((s) => [...s.commands.keys()]));
  const rows = [...names].map((name) => {
    const calls = perTask((s) => s.commands.get(name)?.calls ?? 0);
    const usec = perTask((s) => s.commands.get(name)?.usec ?? 0);
    return { name, calls, usec };
  });
  rows.sort((a, b) => b.usec - a.usec);
  // Commands of the start-up and shutdown alone round to nothing per task: left out.
  const perTaskRows = rows.filter(({ calls }) => calls >= 0.01);
  return [
    ...perTaskRows.map(({ name, calls, usec }) => [
      system,
      name,
      formatNumber(calls),
      formatNumber(calls > 0 ? usec / calls : 0),
      formatNumber(usec),
    ]),
    [system, "Redis's CPU, all of it", '', '', formatNumber(perTask((s) => s.redisCpuUs))],
  ];
}

async function main(): Promise<void> {
  const { systems, reps, tasks } = probeOptions(
    'bench:idle-path',
    "Redis's side of one task at a time: commands, their time in Redis, Redis's CPU.",
    {
      reps: 3,
      tasks: 3_000,
      tasksHelp: 'tasks per pair',
    },
  );
  const samples = await alternate(systems, reps, async (system, rep, stores) => {
    const sample = await runPair(system, tasks, stores);
    console.log(`${system} rep ${rep}: Redis CPU ${formatNumber(sample.redisCpuUs / tasks)} µs per task`);
    return sample;
  });
  const header = ['system', 'command', 'calls/task', 'µs/call', 'µs/task'];
  console.log(
    `\n${tasks} tasks one at a time per fresh pair, medians of ${reps}; a command run inside a ` +
      'script or a MULTI counts on its own and in the time of its script or EXEC\n',
  );
  console.log(alignedText([header, ...systems.flatMap((system) => rowsOf(system, samples))]));
}

await runProbe(main);
