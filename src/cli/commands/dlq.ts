import type { Command } from 'commander';
import { registerDlqClear } from './dlq-clear.js';
import { registerDlqInspect } from './dlq-inspect.js';
import { registerDlqList } from './dlq-list.js';
import { registerDlqRemove } from './dlq-remove.js';
import { registerDlqReplay } from './dlq-replay.js';
import { registerDlqStats } from './dlq-stats.js';

/** Registers `turbine dlq` and its subcommands: list, stats, inspect, replay, remove, clear. */
export function registerDlq(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('inspect and manage the dead-letter queue (tasks that failed for good)');
  registerDlqList(dlq);
  registerDlqStats(dlq);
  registerDlqInspect(dlq);
  registerDlqReplay(dlq);
  registerDlqRemove(dlq);
  registerDlqClear(dlq);
}
