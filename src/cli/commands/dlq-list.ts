import type { Command } from 'commander';
import type { DlqEntry } from '../../dlq/dlq-entry.js';
import { addBrokerOptions, type BrokerFlags } from '../broker-options.js';
import { dlqEntryJson } from '../dlq-entry-json.js';
import { formatTable, type Column } from '../format-table.js';
import { withApp } from '../open-app.js';
import { isoTime, printJson, printLine, truncate } from '../output.js';
import { nonNegativeInteger, positiveInteger } from '../parse-flags.js';

/** Flags of `turbine dlq list`. */
export interface DlqListFlags extends BrokerFlags {
  queue?: string;
  limit?: number;
  offset?: number;
}

const ERROR_WIDTH = 60;
const COLUMNS: Column<DlqEntry>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'name', value: (e) => e.name },
  { header: 'queue', value: (e) => e.queue },
  { header: 'reason', value: (e) => e.reason },
  { header: 'attempts', value: (e) => e.attempts },
  { header: 'failedAt', value: (e) => isoTime(e.failedAt) },
  { header: 'error', value: (e) => truncate(`${e.error.name}: ${e.error.message}`, ERROR_WIDTH) },
];

/** Registers `turbine dlq list`: entries, oldest first. */
export function registerDlqList(dlq: Command): void {
  const command = dlq
    .command('list')
    .description('list DLQ entries, oldest first')
    .option('--queue <queue>', 'only entries of this queue')
    .option('--limit <n>', 'at most this many entries', positiveInteger, 100)
    .option('--offset <n>', 'skip this many entries first', nonNegativeInteger, 0);
  addBrokerOptions(command).action((flags: DlqListFlags) =>
    withApp(flags, async (app) => {
      const options: { queue?: string; limit?: number; offset?: number } = {
        limit: flags.limit,
        offset: flags.offset,
      };
      if (flags.queue !== undefined) options.queue = flags.queue;
      const entries = await app.dlq.list(options);
      if (flags.json) printJson(entries.map((entry) => dlqEntryJson(entry, false)));
      else if (entries.length === 0)
        printLine(flags.queue ? `no DLQ entries in queue ${flags.queue}` : 'the DLQ is empty');
      else printLine(formatTable(COLUMNS, entries));
    }),
  );
}
