/**
 * `npm run bench:history`: every full run in `bench/results/results.jsonl`, and where a Turbine
 * system stood against a peer in each: the metrics it was behind on (decided, the ranges apart, or
 * by the medians only), then how often each metric was decided either way. The counts in
 * docs/performance.md come from here. Reads the file only; runs nothing.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { aggregate } from './aggregate.js';
import { formatRatio } from './format.js';
import { RESULTS_DIR } from './report.js';
import type { RunRecord } from './runner.js';
import { resolveScale } from './scale.js';
import { allCases } from './scenarios/index.js';
import { standings, type Standing } from './standings.js';
import { isSystemName } from './systems/index.js';
import type { SystemName } from './systems/types.js';

const systemName = (value: string): SystemName => {
  if (!isSystemName(value)) throw new InvalidArgumentError(`unknown system ${value}`);
  return value;
};

const flags = new Command()
  .name('npm run bench:history --')
  .description('where a Turbine system stood against a peer in every full run of npm run bench')
  .option('--system <name>', 'the system to judge', systemName, 'turbine' as SystemName)
  .option('--peer <name>', 'the system to judge it against', systemName, 'bee-queue' as SystemName)
  .option('--since <runId>', 'only runs from this one on (2026-12-01T10-10-50Z)', '')
  .parse()
  .opts<{ system: SystemName; peer: SystemName; since: string }>();

const scale = resolveScale({ quick: false });
const cases = allCases(scale);
const runs = new Map<string, RunRecord[]>();
for (const line of readFileSync(`${RESULTS_DIR}results.jsonl`, 'utf8').split('\n')) {
  if (line.trim() === '') continue;
  const record = JSON.parse(line) as RunRecord;
  if (record.quick || record.tasks !== scale.tasks || record.runId < flags.since) continue;
  const run = runs.get(record.runId) ?? [];
  run.push(record);
  runs.set(record.runId, run);
}

/**
 * A full run measured every case and both systems; narrowed and older runs are left out. (The
 * embedded broker skips the Redis cost case, so a case counts when any system measured it.)
 */
const covers = (run: RunRecord[]): boolean =>
  cases.every(({ id }) => run.some((r) => r.case === id)) &&
  [flags.system, flags.peer].every((system) => run.some((r) => r.system === system));

const listed = (of: Standing[]): string =>
  of.map((s) => `${s.metric} ${formatRatio(s.ratio)}`).join(', ') || 'nothing';

const tally = new Map<string, { ahead: number; behind: number }>();
let counted = 0;
let clean = 0;
for (const [runId, run] of runs) {
  if (!covers(run)) continue;
  counted += 1;
  const found = standings(aggregate(run, cases, [flags.system, flags.peer]), flags.system, flags.peer);
  const behind = found.filter((s) => !s.ahead);
  const decided = behind.filter((s) => s.decided);
  if (decided.length === 0) clean += 1;
  for (const s of found.filter((f) => f.decided)) {
    const count = tally.get(s.metric) ?? { ahead: 0, behind: 0 };
    count[s.ahead ? 'ahead' : 'behind'] += 1;
    tally.set(s.metric, count);
  }
  const medianOnly = behind.filter((s) => !s.decided);
  console.log(`${runId}  behind, decided: ${listed(decided)}; by the medians only: ${listed(medianOnly)}`);
}

console.log(
  `\n${flags.system} against ${flags.peer}: ${counted} full run${counted === 1 ? '' : 's'}, ${clean} with nothing decided behind.`,
);
console.log('Decided (the ranges apart), in how many runs:');
for (const [metric, { ahead, behind }] of [...tally].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(
    `  ${metric.padEnd(34)} ahead ${String(ahead).padStart(3)}  behind ${String(behind).padStart(3)}`,
  );
}
