import type { Command } from 'commander';
import type { QueueStats } from '../../brokers/broker.js';
import { addBrokerOptions, type BrokerFlags } from '../broker-options.js';
import { formatTable, type Column } from '../format-table.js';
import { withApp } from '../open-app.js';
import { printJson, printLine } from '../output.js';

const COLUMNS: Column<QueueStats>[] = [
  { header: 'name', value: (q) => q.name },
  { header: 'waiting', value: (q) => q.waiting },
  { header: 'delayed', value: (q) => q.delayed },
  { header: 'active', value: (q) => q.active },
  { header: 'dlq', value: (q) => q.dlq },
];

/** Registers `turbine queues`: message counts per known queue. */
export function registerQueues(program: Command): void {
  const command = program
    .command('queues')
    .description('list known queues with their waiting, delayed, active (leased) and DLQ counts');
  addBrokerOptions(command).action((flags: BrokerFlags) =>
    withApp(flags, async (app) => {
      const stats = (await app.queues()).sort((a, b) => a.name.localeCompare(b.name));
      if (flags.json) printJson(stats);
      else printLine(stats.length === 0 ? 'no queues yet' : formatTable(COLUMNS, stats));
    }),
  );
}
