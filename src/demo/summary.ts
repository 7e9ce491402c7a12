import type { TaskInfo } from '../app/task-info.js';
import { formatFields } from '../cli/format-fields.js';
import { formatTable, type Column } from '../cli/format-table.js';
import { bold, oneLine, toJson, truncate, useColor } from '../cli/output.js';
import { BATCH_SOFT_TIMEOUT_MS, DEMO_QUEUES, type BatchResult, type DemoStore } from './demo-tasks.js';
import type { Outcomes } from './outcomes.js';
import type { DemoTracker } from './tracker.js';
import { PLAN, type Tracked, type TrackedKind, type Workload } from './workload.js';

/** A DLQ entry as the summary shows it. */
export interface DemoDlqEntry {
  id: string;
  name: string;
  queue: string;
  reason: string;
  attempts: number;
  error: string;
}

/** One fact per pattern of the best-practices guide the demo shows. */
export interface DemoPatterns {
  retries: { tasks: number; attempts: number[] };
  idempotency: { tasks: number; storedLogins: number };
  softTimeout: { limitMs: number; batches: BatchResult[] };
  priority: { priority: number; express: number; standard: number; expressStartPositions: number[] };
  delayed: { tasks: number; countdownMs: [number, number]; lateMs: [number, number] | null };
  notifications: { tasks: number; delivered: number; resultsStored: number };
}

/** What `turbine demo` reports at the end; `--json` prints it as is. */
export interface DemoSummary {
  /** True when every task ended as it was meant to (the 404 in the DLQ included). */
  ok: boolean;
  /** Every way the run differed from the plan. */
  problems: string[];
  broker: string;
  workers: number;
  concurrency: number;
  /** Task runs planned and ended, workflow steps included. */
  tasks: { planned: number; finished: number };
  /** Tasks per final state; `UNFINISHED` for those still open at the end. */
  states: Record<string, number>;
  retries: number;
  wallTimeMs: number;
  tasksPerSecond: number;
  dlq: DemoDlqEntry[];
  etl: unknown;
  chord: unknown;
  patterns: DemoPatterns;
  workerErrors: string[];
  /** Commands to look at what the run left behind. */
  inspect: string[];
}

/** Everything the summary is made from. */
export interface SummaryFacts {
  broker: string;
  /** `--broker`/`--config` flags to repeat in the suggested commands. */
  flags: string;
  workers: number;
  concurrency: number;
  workload: Workload;
  tracker: DemoTracker;
  outcomes: Outcomes;
  store: DemoStore;
  wallTimeMs: number;
}

/** Builds the summary of a finished (or timed-out) run. */
export function buildSummary(facts: SummaryFacts): DemoSummary {
  const { workload, tracker, outcomes } = facts;
  const counts = tracker.counts;
  const states: Record<string, number> = {};
  if (counts.succeeded > 0) states.SUCCESS = counts.succeeded;
  if (counts.failed > 0) states.FAILURE = counts.failed;
  if (counts.revoked > 0) states.REVOKED = counts.revoked;
  if (counts.done < workload.total) states.UNFINISHED = workload.total - counts.done;
  const dlq = outcomes.dlq.map((e) => ({
    id: e.id,
    name: e.name,
    queue: e.queue,
    reason: e.reason,
    attempts: e.attempts,
    error: oneLine(`${e.error.name}: ${e.error.message}`),
  }));
  const inspect = [`turbine queues${facts.flags}`, `turbine dlq list${facts.flags}`];
  inspect.push(`turbine dlq inspect ${dlq[0]?.id ?? '<id>'}${facts.flags}`);
  return {
    ok: outcomes.problems.length === 0,
    problems: outcomes.problems,
    broker: facts.broker,
    workers: facts.workers,
    concurrency: facts.concurrency,
    tasks: { planned: workload.total, finished: counts.done },
    states,
    retries: counts.retried,
    wallTimeMs: facts.wallTimeMs,
    tasksPerSecond: Math.round((counts.done / Math.max(facts.wallTimeMs, 1)) * 10_000) / 10,
    dlq,
    etl: outcomes.etl,
    chord: outcomes.chord,
    patterns: patterns(facts),
    workerErrors: tracker.workerErrors.map((e) => oneLine(`${e.name}: ${e.message}`)),
    inspect,
  };
}

function patterns({ workload, tracker, outcomes, store }: SummaryFacts): DemoPatterns {
  const of = (kind: TrackedKind): TaskInfo[] =>
    workload.tracked.filter((t) => t.kind === kind).map((t) => outcomes.infos.get(t)!);
  const reminders = workload.tracked.filter((t) => t.kind === 'reminder');
  const lateness = reminders
    .map((t: Tracked) => {
      const info = outcomes.infos.get(t)!;
      return info.startedAt === undefined ? NaN : info.startedAt - info.createdAt - (t.countdownMs ?? 0);
    })
    .filter((ms) => !Number.isNaN(ms));
  const orderStarts = tracker.startedIn(DEMO_QUEUES.orders);
  const express = workload.tracked.filter((t) => t.kind === 'express');
  const countdowns = PLAN.reminderCountdownsMs;
  return {
    retries: { tasks: of('flaky').length, attempts: of('flaky').map((info) => info.attempts) },
    // Only logins that ran: after a deadline some may still wait.
    idempotency: {
      tasks: of('login').filter((info) => info.state === 'SUCCESS').length,
      storedLogins: store.logins.size,
    },
    softTimeout: {
      limitMs: BATCH_SOFT_TIMEOUT_MS,
      batches: of('batch')
        .map((info) => info.result as BatchResult | undefined)
        .filter((result): result is BatchResult => result !== undefined),
    },
    priority: {
      priority: PLAN.expressPriority,
      express: express.length,
      standard: of('order').length,
      expressStartPositions: express
        .map((t) => orderStarts.indexOf(t.result.id) + 1)
        .filter((position) => position > 0)
        .sort((a, b) => a - b),
    },
    delayed: {
      tasks: reminders.length,
      countdownMs: [Math.min(...countdowns), Math.max(...countdowns)],
      lateMs: lateness.length > 0 ? [Math.min(...lateness), Math.max(...lateness)] : null,
    },
    notifications: {
      tasks: of('notification').length,
      delivered: store.notifications,
      resultsStored: of('notification').filter((info) => info.result !== undefined).length,
    },
  };
}

const STATE_NOTES: Record<string, string> = {
  SUCCESS: 'finished, retried ones included',
  FAILURE: 'failed for good, now in the DLQ',
  REVOKED: 'revoked before it finished',
  UNFINISHED: 'still open at the deadline',
};
const STATE_COLUMNS: Column<[string, number]>[] = [
  { header: 'state', value: ([state]) => state },
  { header: 'tasks', value: ([, count]) => count },
  { header: 'meaning', value: ([state]) => STATE_NOTES[state] },
];
const DLQ_COLUMNS: Column<DemoDlqEntry>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'task', value: (e) => e.name },
  { header: 'reason', value: (e) => e.reason },
  { header: 'attempts', value: (e) => e.attempts },
  { header: 'error', value: (e) => truncate(e.error, 80) },
];

/** The summary for people: states, figures, one line per pattern, the DLQ entries, what to run next. */
export function formatSummary(summary: DemoSummary, color: boolean = useColor()): string {
  const heading = (text: string): string => bold(text, color);
  const parts = [
    heading(`Turbine demo on ${summary.broker}: ${summary.workers} workers × ${summary.concurrency} slots`),
    formatTable(STATE_COLUMNS, Object.entries(summary.states), { color }),
    formatFields(figures(summary), { color }),
  ];
  if (summary.dlq.length > 0) {
    parts.push(
      `${heading('DLQ entries of this run')} (a 404 cannot succeed on retry, so it went there at once)\n` +
        formatTable(DLQ_COLUMNS, summary.dlq, { color }),
    );
  }
  if (summary.problems.length > 0) {
    parts.push(`${heading('Problems')}\n${summary.problems.map((line) => `  ${line}`).join('\n')}`);
  }
  const commands = summary.inspect.map((command) => `  ${command}`).join('\n');
  parts.push(`${heading('Inspect what the demo left behind:')}\n${commands}`);
  return parts.join('\n\n');
}

function figures(summary: DemoSummary): [string, string | undefined][] {
  const { retries, idempotency, softTimeout, priority, delayed, notifications } = summary.patterns;
  const partial = softTimeout.batches.find((batch) => batch.partial);
  const complete = softTimeout.batches.filter((batch) => !batch.partial);
  const seconds = (ms: number): string => `${ms / 1000}`;
  return [
    ['wall time', `${(summary.wallTimeMs / 1000).toFixed(2)} s`],
    [
      'throughput',
      `${summary.tasksPerSecond} tasks/s (${summary.tasks.finished} tasks; the wall time includes the countdowns)`,
    ],
    [
      'retries',
      `${summary.retries}: ${retries.tasks} flaky API calls failed with TransientError (503), ` +
        `then succeeded on attempt ${[...new Set(retries.attempts)].join('/')} (backoff 100 ms, 200 ms)`,
    ],
    [
      'idempotency',
      `${idempotency.tasks} record_login tasks stored ${idempotency.storedLogins} logins: ` +
        `the upsert absorbed ${idempotency.tasks - idempotency.storedLogins} duplicates`,
    ],
    [
      'soft timeout',
      (partial
        ? `${partial.batchId} hit the ${softTimeout.limitMs} ms soft limit, saved its progress and returned ` +
          `${partial.processed}/${partial.total} items`
        : 'no batch reached its soft limit') +
        complete.map((batch) => `; ${batch.batchId} completed ${batch.processed}/${batch.total}`).join(''),
    ],
    [
      'priority',
      `${priority.express} express orders (priority ${priority.priority}), submitted after ` +
        `${priority.standard} standard ones, started at positions ${positions(priority.expressStartPositions)}`,
    ],
    [
      'delayed',
      `${delayed.tasks} reminders (countdown ${seconds(delayed.countdownMs[0])}–${seconds(delayed.countdownMs[1])} s) ` +
        (delayed.lateMs
          ? `started ${delayed.lateMs[0]}–${delayed.lateMs[1]} ms after they were due`
          : 'never started'),
    ],
    [
      'no result',
      `${notifications.delivered} notifications delivered with storeResult: false: state kept, ` +
        `${notifications.resultsStored === 0 ? 'no' : notifications.resultsStored} values stored`,
    ],
    ['ETL result', `chain(extract, transform, load) → ${toJson(summary.etl)}`],
    ['chord result', `chord(${PLAN.chunks} × process_chunk, aggregate) → ${toJson(summary.chord)}`],
    ['worker errors', summary.workerErrors.length > 0 ? summary.workerErrors.join('; ') : undefined],
  ];
}

/** `1–5` for a run of positions, else the list. */
function positions(list: number[]): string {
  if (list.length === 0) return '(none started)';
  const contiguous = list.every((n, i) => i === 0 || n === list[i - 1]! + 1);
  return contiguous && list.length > 1 ? `${list[0]}–${list.at(-1)}` : list.join(', ');
}
