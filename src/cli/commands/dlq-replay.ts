import type { Command } from 'commander';
import { addBrokerOptions, type BrokerFlags } from '../broker-options.js';
import { withApp } from '../open-app.js';
import { printJson, printLine } from '../output.js';

/** Registers `turbine dlq replay ID`: puts the task back on its queue under the same id. */
export function registerDlqReplay(dlq: Command): void {
  const command = dlq
    .command('replay')
    .description('put a DLQ entry back on its queue under the same task id, attempts reset')
    .argument('<id>', 'task id of the entry');
  addBrokerOptions(command).action((id: string, flags: BrokerFlags) =>
    withApp(flags, async (app) => {
      const result = await app.dlq.replay(id);
      const info = await result.info();
      if (flags.json) printJson({ id: result.id, queue: info.queue, state: info.state });
      else printLine(`replayed ${result.id} on queue ${info.queue || '?'}: now ${info.state}`);
    }),
  );
}
