/** Writes the run's files under bench/results/: Markdown report, SVG chart, JSON lines. */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ResultRow } from './aggregate.js';
import { ratioChart } from './chart.js';
import { describeMachine, type MachineInfo } from './machine.js';
import type { RunRecord } from './runner.js';
import type { Scale } from './scale.js';
import type { SystemName } from './systems/types.js';
import { markdownTable } from './table.js';

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

export interface ReportInput {
  runId: string;
  command: string;
  durationMs: number;
  scale: Scale;
  /** --only or --systems narrowed the run: its files must not replace the full report. */
  filtered: boolean;
  machine: MachineInfo;
  systems: SystemName[];
  skipped: Map<SystemName, string>;
  records: RunRecord[];
  rows: ResultRow[];
}

const METHOD = `## How it was measured

- Every measured side runs in its own fresh process on bare Node (\`bench/child.ts\`, compiled
  to JavaScript at the start of the run, no loader hooks): one system at a time, against one
  private \`redis-server\` started for the run, flushed (\`FLUSHALL\`) before every run.
  **turbine-sqlite** is Turbine on its embedded SQLite broker: its processes share one database
  file, deleted before every run; it has no Redis, so *redis-cost* does not apply to it. Systems alternate within each case, and their order rotates
  with each repetition. Tasks are no-ops, so the numbers show the queue machinery only.
- Configuration, as each system's users run it: **BullMQ** with its defaults, so completed and
  failed jobs are kept (no \`removeOnComplete\` / \`removeOnFail\`); **bee-queue** with
  \`removeOnSuccess: false\` (its default) and \`activateDelayedJobs: true\` on workers (without it
  delayed jobs never run; its default \`delayedDebounce\` of 1 s groups delayed activations);
  **Turbine** with its defaults (\`storeResult: true\`, \`prefetch\` 20), on either broker.
  Every system keeps every task's result and state in its store.
- *enqueue*: one producer process, one call at a time, each awaited; bulk uses \`addBulk\`,
  \`saveAll\` and \`delayMany\` with 1,000 tasks per call.
- *drain*: N tasks pre-filled, then one worker process; tasks/s from the first task body to the
  last completion event.
- *end-to-end*: worker (concurrency 50) ready first, then a producer process with 50 enqueues in
  flight; tasks/s from the first enqueue to the last completion.
- *latency*: enqueue one, wait for its completion event, repeat; p50/p95/p99 are taken after a
  fresh worker's warm-up, whose own p99 is reported apart ("p99 ms, warm-up"). Both ends
  are stamped where they happen with the system-wide monotonic clock (\`process.hrtime\`), so the
  relay between the two processes is not in the sample.
- *delayed*: lateness = the time at the start of the task body − due (whole epoch ms, as the
  systems schedule them); the start is stamped to the microsecond, on the monotonic clock pinned
  once per worker to the instant \`Date.now()\` ticks over. *idle*: tasks due 50–150 ms after
  sending, the next sent only once the previous one completed, so only the system's own timer can
  start it; *load*: a steady 500 tasks/s due 200–500 ms after sending, where traffic often wakes
  the worker in time.
- *redis-cost*: \`CONFIG RESETSTAT\`, then enqueue N (50 in flight), then drain at concurrency 50;
  commands are all \`INFO commandstats\` calls (commands run inside Lua scripts included) except the
  harness's own \`INFO\`/\`CONFIG\`/\`FLUSHALL\`; CPU is \`used_cpu_sys + used_cpu_user\`.
- *memory*: worker RSS after start-up, and after N tasks went through it; each sample after a
  settle pause and a forced GC. "Harness only" is the same process before it loads the queue
  library (Node + harness), included in every RSS figure. Every library is loaded as
  published JavaScript: Turbine from its compiled \`dist/\`, the peers from \`node_modules\`.
- Cells show the median over repetitions with (min–max); ratios are a Turbine system's median over
  the peer's, in parentheses when the two systems' ranges overlap (this run does not separate them:
  another run may order them the other way). ↑ higher is better, ↓ lower is better. Timings are
  reported, never asserted.
- Other work on the machine skews every number: the load average at the start is above, and
  each record in \`results.jsonl\` carries the load average when its run began.
`;

function markdown(input: ReportInput, chartFile: string): string {
  const { scale } = input;
  const failures = input.records.filter((r) => r.error !== undefined);
  const lines = [
    `# Turbine benchmark${scale.quick ? ' (quick)' : ''}${input.filtered ? ' (partial)' : ''}`,
    '',
    `Run ${input.runId}: \`${input.command}\`, ${(input.durationMs / 60_000).toFixed(1)} min.`,
    `N = ${scale.tasks.toLocaleString('en-US')} tasks, ${scale.reps} repetition(s); latency ${scale.latencySamples} samples after ${scale.latencyWarmup} warm-up tasks, delayed ${scale.delayedIdleSamples} idle + ${scale.delayedSamples} streamed tasks.`,
    '',
    ...describeMachine(input.machine).map((line) => `- ${line}`),
    '',
    `Systems: ${input.systems.join(', ') || 'none'}.`,
    ...[...input.skipped].map(([system, why]) => `- **${system} skipped**: ${why}`),
    ...failures.map(
      (r) => `- **${r.system} failed** in ${r.case} rep ${r.rep}: ${r.error?.split('\n')[0] ?? ''}`,
    ),
    '',
    markdownTable(input.rows, input.systems),
    '',
    `![Throughput relative to BullMQ](${chartFile})`,
    '',
    METHOD,
  ];
  return lines.join('\n');
}

/** Writes latest + timestamped copies and appends the records; returns the paths written. */
export function writeReport(input: ReportInput): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  // Quick runs are git-ignored (*.quick.*); partial runs keep their own names so iterating with
  // --only never replaces the last full report. Records follow the same rule: only full runs'
  // reach the tracked results.jsonl, the file the docs count runs from.
  const suffix = input.scale.quick ? '.quick' : input.filtered ? '.partial' : '';
  const written: string[] = [];
  const svg = ratioChart(input.rows, input.systems);
  for (const base of ['latest', input.runId]) {
    const chartFile = `${base}${suffix}.svg`;
    writeFileSync(RESULTS_DIR + chartFile, svg);
    writeFileSync(RESULTS_DIR + `${base}${suffix}.md`, markdown(input, chartFile));
    written.push(RESULTS_DIR + `${base}${suffix}.md`, RESULTS_DIR + chartFile);
  }
  const jsonl = RESULTS_DIR + `results${suffix}.jsonl`;
  appendFileSync(jsonl, input.records.map((r) => JSON.stringify(r) + '\n').join(''));
  written.push(jsonl);
  return written;
}
