import type { Command } from 'commander';
import { addBrokerOptions, type BrokerFlags } from '../broker-options.js';
import { formatTable } from '../format-table.js';
import { withApp } from '../open-app.js';
import { printJson, printLine } from '../output.js';

/** Registers `turbine dlq stats`: entries per queue. */
export function registerDlqStats(dlq: Command): void {
  const command = dlq.command('stats').description('count DLQ entries per queue');
  addBrokerOptions(command).action((flags: BrokerFlags) =>
    withApp(flags, async (app) => {
      const queues = await app.dlq.stats();
      const rows = Object.entries(queues).sort(([a], [b]) => a.localeCompare(b));
      const total = rows.reduce((sum, [, count]) => sum + count, 0);
      if (flags.json) {
        printJson({ total, queues: Object.fromEntries(rows) });
        return;
      }
      if (rows.length === 0) {
        printLine('the DLQ is empty');
        return;
      }
      const columns = [
        { header: 'queue', value: (row: [string, number]) => row[0] },
        { header: 'entries', value: (row: [string, number]) => row[1] },
      ];
      printLine(formatTable(columns, [...rows, ['(total)', total] as [string, number]]));
    }),
  );
}
