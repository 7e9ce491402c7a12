// What `turbine demo` submits, and what each submitted task is meant to end as.
import type { AsyncResult } from '../app/async-result.js';
import type { TaskInfo } from '../app/task-info.js';
import { abortableSleep } from '../util/abortable-sleep.js';
import { chain, chord } from '../workflows/canvas.js';
import {
  BATCH_ITEM_MS,
  BATCH_SOFT_TIMEOUT_MS,
  FLAKY_FAILURES,
  type AggregateResult,
  type BatchResult,
  type DemoTasks,
  type LoadResult,
} from './demo-tasks.js';

/** The size of each part of the workload. */
export const PLAN = {
  standardOrders: 40,
  expressOrders: 5,
  expressPriority: 9,
  /** Logins and notifications arrive in waves, like traffic, so the run is seen to progress. */
  waves: 15,
  waveGapMs: 300,
  loginsPerWave: 5,
  notificationsPerWave: 2,
  flakyUrls: ['https://payments.example.com/charge', 'https://maps.example.com/geocode'],
  endpoints: ['/users/1', '/users/2', '/users/404', '/orders/7', '/health'],
  /** The endpoint the fake API answers 404 for: a permanent failure, meant for the DLQ. */
  missingEndpoint: '/users/404',
  batches: [
    { id: 'batch-small', items: 5 },
    { id: 'batch-large', items: 100 },
  ],
  reminderCountdownsMs: [500, 1_000, 1_500, 2_000, 2_500, 3_000, 3_500, 4_000, 4_500, 5_000],
  chunks: 10,
  chunkSize: 10,
} as const;

/** What each kind of submitted task demonstrates; the summary groups by it. */
export type TrackedKind =
  'order' | 'express' | 'login' | 'notification' | 'flaky' | 'api' | 'batch' | 'reminder';

/** A task submitted on its own, with the check of how it was meant to end. */
export interface Tracked {
  kind: TrackedKind;
  /** Task name and main argument, for messages. */
  label: string;
  result: AsyncResult<unknown>;
  /** Undefined when `info` (of a finished task) is as intended, else what is wrong. */
  check: (info: TaskInfo) => string | undefined;
  /** The DLQ reason it must have, for a task meant to fail for good. */
  dlqReason?: string;
  /** For delayed tasks: the countdown it was given. */
  countdownMs?: number;
}

/** The submitted workload, filled in as it is submitted. */
export interface Workload {
  /** Task runs of the whole plan, workflow steps included: what the progress bar counts to. */
  total: number;
  tracked: Tracked[];
  etl: AsyncResult<LoadResult> | undefined;
  chord: AsyncResult<AggregateResult> | undefined;
  expectedEtl: LoadResult;
  expectedChord: AggregateResult;
}

const ETL_STEPS = 3;

/** The numbers the chord sums the squares of, in chunks: 1–10, 11–20, … */
function chunkedNumbers(): number[][] {
  return Array.from({ length: PLAN.chunks }, (_, chunk) =>
    Array.from({ length: PLAN.chunkSize }, (_, i) => chunk * PLAN.chunkSize + i + 1),
  );
}

/** An empty workload: nothing submitted yet. */
export function newWorkload(): Workload {
  const squares = chunkedNumbers()
    .flat()
    .reduce((sum, n) => sum + n * n, 0);
  const total =
    PLAN.standardOrders +
    PLAN.expressOrders +
    PLAN.waves * (PLAN.loginsPerWave + PLAN.notificationsPerWave) +
    PLAN.flakyUrls.length +
    PLAN.endpoints.length +
    PLAN.batches.length +
    PLAN.reminderCountdownsMs.length +
    ETL_STEPS +
    PLAN.chunks +
    1;
  return {
    total,
    tracked: [],
    etl: undefined,
    chord: undefined,
    expectedEtl: { table: 'customers', loaded: 5, skipped: 1 },
    expectedChord: { chunks: PLAN.chunks, total: squares },
  };
}

/**
 * Submits the order backlog before any worker runs: standard orders first, express orders (higher
 * priority) last. Submitted while no one consumes, they show priority at work: the express ones
 * are claimed, and start, first.
 */
export async function submitBacklog(tasks: DemoTasks, workload: Workload): Promise<void> {
  const order = (kind: string, i: number): [string, boolean] => [`${kind}-${i + 1}`, kind === 'express'];
  const standard = Array.from({ length: PLAN.standardOrders }, (_, i) => order('order', i));
  const express = Array.from({ length: PLAN.expressOrders }, (_, i) => order('express', i));
  const label = (args: [string, boolean]): string => `demo.fulfil_order ${args[0]}`;
  track(workload, 'order', await tasks.fulfilOrder.delayMany(standard), (i) => ({
    label: label(standard[i]!),
    check: succeeds,
  }));
  const priority = PLAN.expressPriority;
  track(workload, 'express', await tasks.fulfilOrder.delayMany(express, { priority }), (i) => ({
    label: label(express[i]!),
    check: succeeds,
  }));
}

/**
 * Submits the rest while the workers run: the workflows, API calls, batches and delayed reminders
 * at once, then logins and notifications in waves. Stops early, without error, when `signal` aborts.
 */
export async function submitTraffic(
  tasks: DemoTasks,
  workload: Workload,
  signal: AbortSignal,
  now: number = Date.now(),
): Promise<void> {
  const etl = chain(tasks.extract.s('source.csv'), tasks.transform.s(), tasks.load.s());
  workload.etl = (await etl.delay()) as AsyncResult<LoadResult>;
  const fanOut = chord(
    chunkedNumbers().map((chunk) => tasks.processChunk.s(chunk)),
    tasks.aggregate.s(),
  );
  workload.chord = (await fanOut.delay()) as AsyncResult<AggregateResult>;

  for (const url of PLAN.flakyUrls) {
    track(workload, 'flaky', [await tasks.flakyApiCall.delay(url)], () => ({
      label: `demo.flaky_api_call ${url}`,
      check: (info) => succeeds(info) ?? attemptsWere(info, FLAKY_FAILURES + 1),
    }));
  }
  for (const endpoint of PLAN.endpoints) {
    const label = `demo.api_call ${endpoint}`;
    const missing = endpoint === PLAN.missingEndpoint;
    track(workload, 'api', [await tasks.apiCall.delay(endpoint)], () =>
      missing ? { label, check: failsPermanently, dlqReason: 'permanent error' } : { label, check: succeeds },
    );
  }
  for (const { id, items } of PLAN.batches) {
    const partial = items * BATCH_ITEM_MS > BATCH_SOFT_TIMEOUT_MS;
    track(workload, 'batch', [await tasks.processBatch.delay(id, items)], () => ({
      label: `demo.process_batch ${id}`,
      check: (info) => succeeds(info) ?? batchWas(info, partial),
    }));
  }
  for (const [i, countdownMs] of PLAN.reminderCountdownsMs.entries()) {
    const args: [string, string] = [`user-${i + 1}`, 'your cart misses you'];
    track(
      workload,
      'reminder',
      [await tasks.sendReminder.applyAsync(args, { countdown: countdownMs })],
      () => ({
        label: `demo.send_reminder after ${countdownMs} ms`,
        check: (info) => succeeds(info) ?? notEarly(info, countdownMs),
        countdownMs,
      }),
    );
  }
  await submitWaves(tasks, workload, signal, now);
}

async function submitWaves(
  tasks: DemoTasks,
  workload: Workload,
  signal: AbortSignal,
  now: number,
): Promise<void> {
  let previous: [string, number] | undefined;
  for (let wave = 0; wave < PLAN.waves && !signal.aborted; wave++) {
    const logins = Array.from({ length: PLAN.loginsPerWave }, (_, i): [string, number] => {
      const user = wave * PLAN.loginsPerWave + i + 1;
      return [`user-${user}`, now + user * 1_000];
    });
    // A client that retries its request sends the same login again: the upsert absorbs it.
    if (previous) logins[0] = previous;
    previous = logins.at(-1);
    const notices = Array.from({ length: PLAN.notificationsPerWave }, (_, i): [string, string] => [
      `user-${wave * PLAN.notificationsPerWave + i + 1}`,
      'new sign-in',
    ]);
    track(workload, 'login', await tasks.recordLogin.delayMany(logins), (i) => ({
      label: `demo.record_login ${logins[i]![0]}`,
      check: succeeds,
    }));
    track(workload, 'notification', await tasks.sendNotification.delayMany(notices), (i) => ({
      label: `demo.send_notification ${notices[i]![0]}`,
      check: (info) => succeeds(info) ?? resultNotStored(info),
    }));
    if (wave < PLAN.waves - 1) await abortableSleep(PLAN.waveGapMs, signal);
  }
}

/** Adds submitted results to the workload, each described by `describe(index)`. */
function track(
  workload: Workload,
  kind: TrackedKind,
  results: readonly AsyncResult<unknown>[],
  describe: (index: number) => Omit<Tracked, 'kind' | 'result'>,
): void {
  results.forEach((result, i) => workload.tracked.push({ kind, result, ...describe(i) }));
}

/** `state` and, for a failure, its error, for messages. */
export function describeEnd(info: TaskInfo): string {
  return info.error ? `${info.state} (${info.error.name}: ${info.error.message})` : info.state;
}

function succeeds(info: TaskInfo): string | undefined {
  return info.state === 'SUCCESS' ? undefined : `ended ${describeEnd(info)}, expected SUCCESS`;
}

function failsPermanently(info: TaskInfo): string | undefined {
  return info.state === 'FAILURE' && info.error?.name === 'PermanentError'
    ? undefined
    : `ended ${describeEnd(info)}, expected FAILURE with a PermanentError`;
}

function attemptsWere(info: TaskInfo, attempts: number): string | undefined {
  return info.attempts === attempts ? undefined : `took ${info.attempts} attempts, expected ${attempts}`;
}

function batchWas(info: TaskInfo, partial: boolean): string | undefined {
  const result = info.result as BatchResult | undefined;
  if (result?.partial === partial) return undefined;
  return `returned ${JSON.stringify(result)}, expected a ${partial ? 'partial' : 'complete'} batch`;
}

function notEarly(info: TaskInfo, countdownMs: number): string | undefined {
  const due = info.createdAt + countdownMs;
  return info.startedAt !== undefined && info.startedAt >= due
    ? undefined
    : `started ${due - (info.startedAt ?? 0)} ms before its countdown ended`;
}

function resultNotStored(info: TaskInfo): string | undefined {
  return info.result === undefined ? undefined : 'kept its result although storeResult is false';
}
