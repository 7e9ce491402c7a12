import { relative } from 'node:path';
import { Turbine } from '../app/turbine.js';
import { sqlitePathFromUrl } from '../brokers/sqlite/sqlite-path.js';
import type { TurbineOptions } from '../config/load-config.js';
import { brokerLabel } from '../cli/broker-label.js';
import { CliError } from '../cli/cli-error.js';
import { printJson, printLine } from '../cli/output.js';
import { waitForBroker } from '../cli/wait-for-broker.js';
import { DEMO_QUEUE_LIST, DemoStore, defineDemoTasks } from './demo-tasks.js';
import { collectOutcomes } from './outcomes.js';
import { ProgressView } from './progress.js';
import { buildSummary, formatSummary, type DemoSummary } from './summary.js';
import { DemoTracker } from './tracker.js';
import { newWorkload, submitBacklog, submitTraffic } from './workload.js';

/** Flags of `turbine demo`. */
export interface DemoFlags {
  /** Broker URL. @defaultValue the embedded SQLite file `.turbine/turbine.db` */
  broker?: string;
  /** Path of a `turbine.toml`. */
  config?: string;
  /** Print one JSON summary instead of progress and tables. */
  json?: boolean;
}

/** Workers the demo runs in its own process. */
export const DEMO_WORKERS = 2;
/** Task slots of each demo worker. */
export const DEMO_CONCURRENCY = 8;
/** A run still unfinished after this long is reported as a failure. */
export const DEMO_LIMIT_MS = 60_000;
/** In-flight demo tasks last milliseconds; a stop never needs the default 30 s. */
const SHUTDOWN_TIMEOUT = '5s';
const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs the demo: defines its tasks, starts two workers in this process, submits the workload,
 * shows progress and prints the summary. Resolves when the run went as planned; on SIGINT/SIGTERM
 * it stops the workers gracefully, closes the app and sets exit code 130 (143).
 * @throws CliError naming the first thing that did not go as planned (or the unreachable broker).
 * @example
 * await runDemo({ broker: 'redis://127.0.0.1:6379' });
 */
export async function runDemo(flags: DemoFlags): Promise<void> {
  const options: TurbineOptions = {};
  if (flags.broker !== undefined) options.broker = flags.broker;
  if (flags.config !== undefined) options.config = flags.config;
  const app = new Turbine(options);
  const interrupt = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second Ctrl-C means "now": unstarted messages are already safe in the broker.
    if (received) process.exit(EXIT_CODES[received] ?? 1);
    received = signal;
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await waitForBroker(app);
    const summary = await play(app, flags, interrupt.signal);
    if (!summary) return;
    if (flags.json) printJson(summary);
    else printLine(formatSummary(summary));
    if (!summary.ok) {
      const more = summary.problems.length - 1;
      throw new CliError(`demo: ${summary.problems[0]}${more > 0 ? ` (and ${more} more problems)` : ''}`);
    }
  } finally {
    await app.close().catch(() => undefined);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (received) {
      const code = EXIT_CODES[received] ?? 1;
      process.exitCode = code;
      // Everything is closed; should a stray handle still hold the process, do not wait on it.
      setTimeout(() => process.exit(code), 500).unref();
    }
  }
}

/** One run, from an empty demo queue to the summary; undefined when it was interrupted. */
async function play(app: Turbine, flags: DemoFlags, signal: AbortSignal): Promise<DemoSummary | undefined> {
  if (signal.aborted) return interrupted();
  const store = new DemoStore();
  const tasks = defineDemoTasks(app, store);
  // The demo owns the demo.* queues: leftovers of an interrupted run would blur this run's counts.
  for (const queue of DEMO_QUEUE_LIST) await app.purge(queue);
  const workload = newWorkload();
  const tracker = new DemoTracker(workload.total);
  const view = new ProgressView({ total: workload.total, silent: flags.json === true });
  tracker.onChange((counts) => view.update(counts));
  const startedAt = Date.now();
  const limit = { deadline: startedAt + DEMO_LIMIT_MS, ms: DEMO_LIMIT_MS };
  try {
    await submitBacklog(tasks, workload);
    await startWorkers(app, tracker);
    view.note(
      `turbine demo: ${workload.total} tasks on ${describeBroker(app)}, ` +
        `${DEMO_WORKERS} workers × ${DEMO_CONCURRENCY} slots (Ctrl-C stops it)`,
    );
    if (!signal.aborted) await submitTraffic(tasks, workload, signal);
    if ((await tracker.wait(limit.deadline, signal)) === 'interrupted') {
      view.clear();
      return interrupted();
    }
  } catch (error) {
    // The error line must not land at the end of a half-drawn bar.
    view.clear();
    throw error;
  }
  view.finish();
  const outcomes = await collectOutcomes(app, workload, tracker, limit);
  return buildSummary({
    broker: describeBroker(app),
    flags: repeatFlags(flags),
    workers: DEMO_WORKERS,
    concurrency: DEMO_CONCURRENCY,
    workload,
    tracker,
    outcomes,
    store,
    wallTimeMs: (tracker.finishedAt ?? Date.now()) - startedAt,
  });
}

/** Says why the run ends early; the caller's `finally` stops the workers. */
function interrupted(): undefined {
  process.stderr.write('turbine demo: interrupted; stopping the workers gracefully\n');
  return undefined;
}

/** Starts the demo's workers on every demo queue, their events counted by `tracker`. */
async function startWorkers(app: Turbine, tracker: DemoTracker): Promise<void> {
  const workers = Array.from({ length: DEMO_WORKERS }, () =>
    app.worker({
      queues: DEMO_QUEUE_LIST,
      concurrency: DEMO_CONCURRENCY,
      handleSignals: false,
      shutdownTimeout: SHUTDOWN_TIMEOUT,
    }),
  );
  for (const worker of workers) tracker.attach(worker);
  await Promise.all(workers.map((worker) => worker.start()));
}

/** The broker for people: the SQLite file relative to here, or the URL with its password masked. */
function describeBroker(app: Turbine): string {
  const url = app.config.broker.url;
  if (app.brokerKind !== 'sqlite') return brokerLabel(url);
  const file = relative(process.cwd(), sqlitePathFromUrl(url, process.cwd()));
  return `${url === undefined ? 'embedded ' : ''}SQLite (${file})`;
}

/** The flags the inspect commands need to reach the same broker. */
function repeatFlags(flags: DemoFlags): string {
  let text = '';
  if (flags.broker !== undefined) text += ` --broker ${brokerLabel(flags.broker)}`;
  if (flags.config !== undefined) text += ` --config ${flags.config}`;
  return text;
}
