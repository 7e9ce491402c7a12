import type { Command } from 'commander';
import { addBrokerOptions, type BrokerFlags } from '../broker-options.js';
import { confirmForce } from '../confirm-force.js';
import { withApp } from '../open-app.js';
import { printJson, printLine } from '../output.js';

/** Flags of `turbine purge`. */
export interface PurgeFlags extends BrokerFlags {
  force?: boolean;
}

/** Registers `turbine purge QUEUE --force`: drops a queue's waiting and delayed messages. */
export function registerPurge(program: Command): void {
  const command = program
    .command('purge')
    .description('remove every waiting and delayed message of a queue (running tasks finish)')
    .argument('<queue>', 'queue name')
    .option('--force', 'really delete (required)');
  addBrokerOptions(command).action((queue: string, flags: PurgeFlags) => {
    confirmForce(flags.force, `purge queue "${queue}"`, 'its waiting and delayed messages');
    return withApp(flags, async (app) => {
      const removed = await app.purge(queue);
      if (flags.json) printJson({ queue, removed });
      else printLine(`purged ${removed} message${removed === 1 ? '' : 's'} from queue ${queue}`);
    });
  });
}
