import type { Command } from 'commander';
import type { DlqEntry } from '../../dlq/dlq-entry.js';
import { addBrokerOptions, type BrokerFlags } from '../broker-options.js';
import { CliError } from '../cli-error.js';
import { dlqEntryJson } from '../dlq-entry-json.js';
import { formatFields } from '../format-fields.js';
import { withApp } from '../open-app.js';
import { isoTime, printJson, printLine, toJson } from '../output.js';

/** Registers `turbine dlq inspect ID`: one entry in full; exit 1 when there is none. */
export function registerDlqInspect(dlq: Command): void {
  const command = dlq
    .command('inspect')
    .description('show one DLQ entry in full: args, headers, error and stack')
    .argument('<id>', 'task id of the entry');
  addBrokerOptions(command).action((id: string, flags: BrokerFlags) =>
    withApp(flags, async (app) => {
      const entry = await app.dlq.get(id);
      if (!entry) throw new CliError(`no DLQ entry with id ${id}`);
      if (flags.json) printJson(dlqEntryJson(entry, true));
      else printLine(entryText(entry));
    }),
  );
}

function entryText(entry: DlqEntry): string {
  const { error } = entry;
  return formatFields([
    ['id', entry.id],
    ['name', entry.name || '-'],
    ['queue', entry.queue],
    ['reason', entry.reason],
    ['attempts', entry.attempts],
    ['failedAt', isoTime(entry.failedAt) ?? '-'],
    ['tenantId', entry.tenantId],
    ['headers', entry.headers && Object.keys(entry.headers).length > 0 ? toJson(entry.headers) : undefined],
    ['args', toJson(entry.args)],
    ['error', `${error.name}: ${error.message}`],
    ['code', error.code],
    ['stack', error.stack],
    ['raw', entry.raw],
  ]);
}
