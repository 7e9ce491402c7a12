/**
 * `npm run bench`: Turbine against BullMQ and bee-queue, same machine, same private Redis, same
 * run, and Turbine on its embedded SQLite broker beside them. See bench/README.md for what each
 * scenario measures.
 */
import { Command } from 'commander';
import { aggregate } from './aggregate.js';
import { bundleChild } from './child-bundle.js';
import { killAllChildren } from './children.js';
import { formatNumber } from './format.js';
import { describeMachine, machineInfo } from './machine.js';
import { csv, positiveInt } from './option-parsers.js';
import { describeError } from './protocol.js';
import { BenchRedis } from './redis.js';
import { writeReport } from './report.js';
import { runPlan, targetOf, type RunRecord } from './runner.js';
import { resolveScale } from './scale.js';
import { allCases, selectCases } from './scenarios/index.js';
import { BenchSqlite } from './sqlite.js';
import type { BenchCase } from './scenarios/types.js';
import { isSystemName, loadSystem } from './systems/index.js';
import { SYSTEM_NAMES, type CreateSystem, type SystemName } from './systems/types.js';
import { textTable } from './table.js';

const program = new Command()
  .name('npm run bench --')
  .description(
    'Compare Turbine, on Redis and on its embedded SQLite broker, with BullMQ and bee-queue on a private redis-server.',
  )
  .option('--quick', 'tiny N (500) and 1 repetition: a smoke run in well under a minute', false)
  .option('--only <names>', 'comma-separated scenarios or case ids (see --list)', csv, [])
  .option('--systems <names>', `comma-separated subset of ${SYSTEM_NAMES.join(',')}`, csv)
  .option('--reps <n>', 'repetitions per case (default 3, quick 1)', positiveInt)
  .option('--tasks <n>', 'N, tasks per throughput run (default 50000, quick 500)', positiveInt)
  .option('--list', 'print the scenarios and cases, then exit', false)
  .parse();

interface Flags {
  quick: boolean;
  only: string[];
  systems?: string[];
  reps?: number;
  tasks?: number;
  list: boolean;
}

/**
 * Loads each adapter and opens and closes one connection. A system whose module does not load
 * (Turbine while src/ is being written) is skipped without failing the run; one that loads but
 * cannot connect is skipped and fails it.
 */
async function probeSystems(names: SystemName[], redis: BenchRedis, sqlite: BenchSqlite) {
  const loaded = new Map<SystemName, CreateSystem>();
  const skipped = new Map<SystemName, string>();
  let failed = false;
  const target = targetOf({ redis, sqlite });
  for (const name of names) {
    let create: CreateSystem;
    try {
      create = await loadSystem(name);
    } catch (error) {
      skipped.set(name, `adapter did not load: ${describeError(error).split('\n')[0]}`);
      continue;
    }
    try {
      await (await create(target, 'producer')).close();
      loaded.set(name, create);
    } catch (error) {
      skipped.set(name, `could not connect: ${describeError(error).split('\n')[0]}`);
      failed = true;
    }
  }
  await redis.flushAll();
  sqlite.reset();
  return { loaded, skipped, failed };
}

function progressLine(record: RunRecord, benchCase: BenchCase | undefined, progress: string): string {
  const head = `[${progress.padStart(7)}] ${record.case.padEnd(12)} ${record.system.padEnd(14)} rep ${record.rep}`;
  if (record.error) return `${head}  FAILED: ${record.error.split('\n')[0]}`;
  const metrics = (benchCase?.metrics ?? [])
    .map((m) => `${m.label} ${formatNumber(record.metrics[m.key] ?? Number.NaN)}`)
    .join(', ');
  return `${head}  ${metrics}  (${(record.durationMs / 1000).toFixed(1)} s)`;
}

async function main(flags: Flags): Promise<number> {
  const scale = resolveScale(flags);
  const cases = selectCases(allCases(scale), flags.only);
  if (flags.list) {
    // `--list | head` closes the pipe before the list ends: the reader's choice, not an error.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
    for (const c of cases) console.log(`${c.scenario.padEnd(11)} ${c.id.padEnd(12)} ${c.title}`);
    return 0;
  }
  const requested = [...new Set(flags.systems ?? SYSTEM_NAMES)];
  const unknown = requested.filter((name) => !isSystemName(name));
  if (unknown.length > 0)
    throw new Error(`unknown system ${unknown.join(', ')}; known: ${SYSTEM_NAMES.join(', ')}`);

  await bundleChild();
  const started = Date.now();
  const runId = new Date(started)
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  const redis = await BenchRedis.start();
  const sqlite = BenchSqlite.create();
  const stop = (): void => {
    killAllChildren();
    sqlite.remove();
    void redis.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const machine = await machineInfo(redis, scale.ceilingRequests);
    console.log(describeMachine(machine).join('\n'));
    const {
      loaded,
      skipped,
      failed: probeFailed,
    } = await probeSystems(requested as SystemName[], redis, sqlite);
    for (const [system, why] of skipped) console.log(`skipping ${system}: ${why}`);
    if (loaded.size === 0) throw new Error('no system could be loaded');
    const systems = [...loaded.keys()];
    console.log(
      `N = ${scale.tasks}, ${scale.reps} rep(s), ${cases.length} case(s), systems ${systems.join(', ')}, redis port ${redis.target.port}\n`,
    );

    const records = await runPlan({
      runId,
      cases,
      systems: loaded,
      scale,
      redis,
      sqlite,
      onRecord: (record, progress) =>
        console.log(
          progressLine(
            record,
            cases.find((c) => c.id === record.case),
            progress,
          ),
        ),
    });
    const rows = aggregate(records, cases, systems);
    console.log(`\n${textTable(rows, systems)}\n`);
    const files = writeReport({
      runId,
      command: ['npm run bench --', ...process.argv.slice(2)].join(' '),
      durationMs: Date.now() - started,
      scale,
      filtered: flags.only.length > 0 || requested.length < SYSTEM_NAMES.length,
      machine,
      systems,
      skipped,
      records,
      rows,
    });
    console.log(`wrote ${files.join(', ')}`);
    const failures = records.filter((r) => r.error !== undefined);
    for (const r of failures) console.error(`\n${r.system} failed in ${r.case} rep ${r.rep}:\n${r.error}`);
    return failures.length > 0 || probeFailed ? 1 : 0;
  } finally {
    killAllChildren();
    sqlite.remove();
    await redis.stop();
  }
}

try {
  process.exitCode = await main(program.opts<Flags>());
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
