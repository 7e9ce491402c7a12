import { isDeepStrictEqual } from 'node:util';
import type { AsyncResult } from '../app/async-result.js';
import type { TaskInfo } from '../app/task-info.js';
import type { Turbine } from '../app/turbine.js';
import type { DlqEntry } from '../dlq/dlq-entry.js';
import { isFinalState } from '../protocol/task-state.js';
import { abortableSleep } from '../util/abortable-sleep.js';
import type { DemoTracker } from './tracker.js';
import { describeEnd, type Tracked, type Workload } from './workload.js';

/** How the submitted tasks ended, read back from the result backend and the DLQ. */
export interface Outcomes {
  /** The last known info of each tracked task. */
  infos: Map<Tracked, TaskInfo>;
  /** DLQ entries of this run's failed tasks. */
  dlq: DlqEntry[];
  etl: unknown;
  chord: unknown;
  /** Every way the run differs from what was meant; empty when it went as planned. */
  problems: string[];
}

/** Pause between reads while waiting for records the events already announced. */
const POLL_MS = 50;

/**
 * Reads back every tracked task and checks it against what it was meant to do: its final state,
 * the DLQ entry of a permanent failure, and the values of the two workflows.
 * @param limit.deadline epoch ms after which unfinished tasks are reported rather than awaited
 * @param limit.ms the run's time limit, for the message
 */
export async function collectOutcomes(
  app: Turbine,
  workload: Workload,
  tracker: DemoTracker,
  limit: { deadline: number; ms: number },
): Promise<Outcomes> {
  const { deadline } = limit;
  const infos = await readFinalInfos(workload.tracked, deadline);
  const problems: string[] = [];
  const { done } = tracker.counts;
  if (done < workload.total) {
    const example = workload.tracked.find((t) => !isFinalState(infos.get(t)!.state));
    problems.push(
      `${workload.total - done} of ${workload.total} tasks did not finish within ${limit.ms / 1000} s` +
        (example ? ` (e.g. ${example.label}: ${infos.get(example)!.state})` : ''),
    );
  }
  for (const tracked of workload.tracked) {
    const info = infos.get(tracked)!;
    if (!isFinalState(info.state)) continue;
    const problem = tracked.check(info);
    if (problem) problems.push(`${tracked.label} ${problem}`);
  }
  const dlq = await readDlq(app, workload, tracker, problems);
  const etl = await readValue('the ETL chain', workload.etl, workload.expectedEtl, deadline, problems);
  const chord = await readValue('the chord', workload.chord, workload.expectedChord, deadline, problems);
  return { infos, dlq, etl, chord, problems };
}

/** Infos of `tracked`, re-read until all are final or `deadline` passes. */
async function readFinalInfos(
  tracked: readonly Tracked[],
  deadline: number,
): Promise<Map<Tracked, TaskInfo>> {
  const infos = new Map<Tracked, TaskInfo>();
  let open = [...tracked];
  for (;;) {
    const read = await Promise.all(open.map((t) => t.result.info()));
    open.forEach((t, i) => infos.set(t, read[i]!));
    // A worker stores the outcome before it announces it, so this loop rarely runs twice.
    open = open.filter((t) => !isFinalState(infos.get(t)!.state));
    if (open.length === 0 || Date.now() >= deadline) return infos;
    await abortableSleep(Math.min(POLL_MS, deadline - Date.now()));
  }
}

async function readDlq(
  app: Turbine,
  workload: Workload,
  tracker: DemoTracker,
  problems: string[],
): Promise<DlqEntry[]> {
  const ids = new Set(tracker.failedIds);
  for (const tracked of workload.tracked) if (tracked.dlqReason !== undefined) ids.add(tracked.result.id);
  const entries = await Promise.all([...ids].map((id) => app.dlq.get(id)));
  const found = entries.filter((entry): entry is DlqEntry => entry !== undefined);
  for (const tracked of workload.tracked) {
    if (tracked.dlqReason === undefined) continue;
    const entry = found.find((e) => e.id === tracked.result.id);
    if (!entry) problems.push(`${tracked.label} is not in the DLQ, expected it there (${tracked.dlqReason})`);
    else if (entry.reason !== tracked.dlqReason)
      problems.push(`${tracked.label} is in the DLQ for "${entry.reason}", expected "${tracked.dlqReason}"`);
  }
  return found.sort((a, b) => a.failedAt - b.failedAt);
}

/** The value of a workflow's final task, checked against `expected`; null when there is none. */
async function readValue(
  what: string,
  result: AsyncResult<unknown> | undefined,
  expected: unknown,
  deadline: number,
  problems: string[],
): Promise<unknown> {
  if (!result) return null;
  try {
    const value = await result.get({ timeout: Math.max(1, deadline - Date.now()) });
    if (!isDeepStrictEqual(value, expected))
      problems.push(`${what} returned ${JSON.stringify(value)}, expected ${JSON.stringify(expected)}`);
    return value;
  } catch (error) {
    const info = await result.info();
    problems.push(
      isFinalState(info.state)
        ? `${what} ended ${describeEnd(info)}, expected SUCCESS`
        : `${what} did not finish (${info.state}): ${(error as Error).message}`,
    );
    return null;
  }
}
