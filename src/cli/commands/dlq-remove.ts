import type { Command } from 'commander';
import { addBrokerOptions, type BrokerFlags } from '../broker-options.js';
import { CliError } from '../cli-error.js';
import { withApp } from '../open-app.js';
import { printJson, printLine } from '../output.js';

/** Registers `turbine dlq remove ID`: deletes one entry; exit 1 when there is none. */
export function registerDlqRemove(dlq: Command): void {
  const command = dlq
    .command('remove')
    .description('delete one DLQ entry')
    .argument('<id>', 'task id of the entry');
  addBrokerOptions(command).action((id: string, flags: BrokerFlags) =>
    withApp(flags, async (app) => {
      if (!(await app.dlq.remove(id))) throw new CliError(`no DLQ entry with id ${id}`);
      if (flags.json) printJson({ id, removed: true });
      else printLine(`removed DLQ entry ${id}`);
    }),
  );
}
