import type { Command } from 'commander';
import type { WorkerOptions } from '../../worker/worker-options.js';
import { brokerKind, brokerLabel } from '../broker-label.js';
import { addBrokerOptions, type BrokerFlags } from '../broker-options.js';
import { openApp } from '../open-app.js';
import { printJson, printLine } from '../output.js';
import { nonNegativeInteger, positiveInteger, queueList } from '../parse-flags.js';
import { waitForBroker } from '../wait-for-broker.js';
import { attachWorkerLog } from '../worker-log.js';

/** Flags of `turbine worker`. */
export interface WorkerFlags extends BrokerFlags {
  queues?: string[];
  concurrency?: number;
  prefetch?: number;
  quiet?: boolean;
}

/** Registers `turbine worker`: runs the app's tasks until SIGTERM/SIGINT. */
export function registerWorker(program: Command): void {
  const command = program
    .command('worker')
    .description('run tasks from the app module until SIGTERM/SIGINT (graceful stop, exit 0)');
  addBrokerOptions(
    command,
    'module exporting the Turbine app as default or `app` (default: ./tasks.ts, else ./tasks.js)',
  )
    .option('--queues <list>', 'comma-separated queues to consume (default: config worker.queues)', queueList)
    .option('--concurrency <n>', 'tasks run at once (default: config worker.concurrency)', positiveInteger)
    .option(
      '--prefetch <n>',
      'messages fetched ahead of free slots (default: config broker.prefetch)',
      nonNegativeInteger,
    )
    .option('-q, --quiet', 'do not log task events')
    .addHelpText(
      'after',
      '\n--broker and --config reach the module through TURBINE_BROKER_URL and TURBINE_CONFIG, set before it is imported.\n' +
        'Task events are logged on stderr, one line each (JSON lines with --json).',
    )
    .action((flags: WorkerFlags) => runWorker(flags));
}

/**
 * Loads the app, starts a worker that stops gracefully on SIGTERM/SIGINT and then exits the
 * process, and returns while it runs.
 */
export async function runWorker(flags: WorkerFlags): Promise<void> {
  const app = await openApp(flags, true);
  try {
    await waitForBroker(app);
    const options: WorkerOptions = { handleSignals: true };
    if (flags.queues !== undefined) options.queues = flags.queues;
    if (flags.concurrency !== undefined) options.concurrency = flags.concurrency;
    if (flags.prefetch !== undefined) options.prefetch = flags.prefetch;
    const worker = app.worker(options);
    attachWorkerLog(worker, { quiet: flags.quiet === true, json: flags.json === true });
    await worker.start();
    const { queues, concurrency, prefetch } = worker.options;
    const url = app.config.broker.url;
    if (flags.json) {
      printJson({
        workerId: worker.id,
        queues,
        concurrency,
        prefetch,
        broker: brokerLabel(url),
        pid: process.pid,
      });
    } else {
      printLine(
        `turbine worker ${worker.id} consuming ${queues.join(',')} (concurrency ${concurrency}) on ${brokerKind(url)} (${brokerLabel(url)})`,
      );
    }
  } catch (error) {
    // Nothing runs yet: close everything so the error exits the process instead of a live connection holding it.
    await app.close().catch(() => undefined);
    throw error;
  }
}
