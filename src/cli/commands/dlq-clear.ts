import type { Command } from 'commander';
import { addBrokerOptions, type BrokerFlags } from '../broker-options.js';
import { confirmForce } from '../confirm-force.js';
import { withApp } from '../open-app.js';
import { printJson, printLine } from '../output.js';

/** Flags of `turbine dlq clear`. */
export interface DlqClearFlags extends BrokerFlags {
  queue?: string;
  force?: boolean;
}

/** Registers `turbine dlq clear [--queue Q] --force`: deletes every entry, or those of one queue. */
export function registerDlqClear(dlq: Command): void {
  const command = dlq
    .command('clear')
    .description('delete every DLQ entry, or those of one queue')
    .option('--queue <queue>', 'only entries of this queue')
    .option('--force', 'really delete (required)');
  addBrokerOptions(command).action((flags: DlqClearFlags) => {
    const scope = flags.queue === undefined ? 'every DLQ entry' : `the DLQ entries of queue "${flags.queue}"`;
    confirmForce(flags.force, 'clear the DLQ', scope);
    return withApp(flags, async (app) => {
      const removed = await app.dlq.purge(flags.queue === undefined ? {} : { queue: flags.queue });
      if (flags.json) printJson({ queue: flags.queue ?? null, removed });
      else
        printLine(
          `removed ${removed} DLQ entr${removed === 1 ? 'y' : 'ies'}${flags.queue ? ` of queue ${flags.queue}` : ''}`,
        );
    });
  });
}
