/**
 * What the probes beside `npm run bench` share (`bench:warm-up`, `bench:idle-path`): the systems
 * they take, one private Redis for a whole probe, and the alternation of the systems.
 */
import { Command, InvalidArgumentError } from 'commander';
import { bundleChild } from './child-bundle.js';
import { killAllChildren } from './children.js';
import { csv, positiveInt } from './option-parsers.js';
import { BenchRedis } from './redis.js';
import { rotation } from './runner.js';
import { BenchSqlite } from './sqlite.js';
import { isSystemName } from './systems/index.js';
import { SYSTEM_NAMES, usesRedis, type SystemName } from './systems/types.js';

/** Deadline for any one message from a child: it only catches a hung system. */
export const PROBE_TIMEOUT_MS = 120_000;

/** A probe's options with `--quick` applied: one repetition of 50 tasks. */
export interface ProbeOptions {
  systems: SystemName[];
  reps: number;
  tasks: number;
}

/**
 * Reads a probe's options from the command line (`npm run <script> -- --systems … --reps …`).
 * @throws InvalidArgumentError naming a system that is not on Redis.
 */
export function probeOptions(
  script: string,
  description: string,
  defaults: { reps: number; tasks: number; tasksHelp: string },
): ProbeOptions {
  const flags = new Command()
    .name(`npm run ${script} --`)
    .description(description)
    .option('--systems <names>', 'comma-separated systems on Redis', csv, ['turbine', 'bee-queue'])
    .option('--reps <n>', 'fresh worker and producer pairs per system', positiveInt, defaults.reps)
    .option('--tasks <n>', defaults.tasksHelp, positiveInt, defaults.tasks)
    .option('--quick', '1 repetition of 50 tasks: a smoke run', false)
    .parse()
    .opts<{ systems: string[]; reps: number; tasks: number; quick: boolean }>();
  return {
    systems: redisSystemsOf(flags.systems),
    reps: flags.quick ? 1 : flags.reps,
    tasks: flags.quick ? 50 : flags.tasks,
  };
}

/** The `--systems` names, each checked to be a system that runs on the private Redis. */
function redisSystemsOf(names: readonly string[]): SystemName[] {
  return names.map((name) => {
    if (isSystemName(name) && usesRedis(name)) return name;
    const known = SYSTEM_NAMES.filter(usesRedis).join(', ');
    throw new InvalidArgumentError(`--systems: ${name} is not a system on Redis (${known})`);
  });
}

/** Where a probe's systems keep their queues. */
export interface ProbeStores {
  redis: BenchRedis;
  sqlite: BenchSqlite;
}

/**
 * Measures each system once per repetition, in rotation, against one private Redis; the children,
 * the Redis and the embedded broker's file are cleaned up after, whatever happens.
 */
export async function alternate<S>(
  systems: readonly SystemName[],
  reps: number,
  measure: (system: SystemName, rep: number, stores: ProbeStores) => Promise<S>,
): Promise<S[]> {
  await bundleChild();
  const stores = { redis: await BenchRedis.start(), sqlite: BenchSqlite.create() };
  const samples: S[] = [];
  try {
    for (let rep = 1; rep <= reps; rep++) {
      for (const system of rotation(systems, rep)) samples.push(await measure(system, rep, stores));
    }
  } finally {
    killAllChildren();
    stores.sqlite.remove();
    await stores.redis.stop();
  }
  return samples;
}

/** Runs a probe; a bad option ends it with `error: …` and exit code 1 rather than a stack trace. */
export async function runProbe(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    console.error(`error: ${error.message}`);
    process.exitCode = 1;
  }
}
