import type { Command } from 'commander';
import type { TaskInfo } from '../../app/task-info.js';
import { addBrokerOptions, type BrokerFlags } from '../broker-options.js';
import { formatFields } from '../format-fields.js';
import { withApp } from '../open-app.js';
import { isoTime, printJson, printLine, toJson } from '../output.js';

/** Registers `turbine status ID`: everything known about one task. */
export function registerStatus(program: Command): void {
  const command = program
    .command('status')
    .description('show the state, attempts, times and result or error of a task')
    .argument('<id>', 'task id');
  addBrokerOptions(command)
    .addHelpText(
      'after',
      '\nAn id nothing is known about (never submitted, or its result expired) shows state PENDING, as in Celery.',
    )
    .action((id: string, flags: BrokerFlags) =>
      withApp(flags, async (app) => {
        const info = await app.getTaskStatus(id);
        if (flags.json) printJson(statusJson(info));
        else printLine(statusText(info));
      }),
    );
}

/** The info with times as ISO strings; `createdAt` is null for an id nothing is known about. */
export function statusJson(info: TaskInfo): Record<string, unknown> {
  return {
    ...info,
    createdAt: isoTime(info.createdAt) ?? null,
    startedAt: isoTime(info.startedAt),
    finishedAt: isoTime(info.finishedAt),
  };
}

function statusText(info: TaskInfo): string {
  const unknown = info.state === 'PENDING' && info.name === '' && info.createdAt === 0;
  const fields = formatFields([
    ['id', info.id],
    ['state', info.state],
    ['name', info.name || '-'],
    ['queue', info.queue || '-'],
    ['attempts', info.attempts],
    ['createdAt', isoTime(info.createdAt) ?? '-'],
    ['startedAt', isoTime(info.startedAt)],
    ['finishedAt', isoTime(info.finishedAt)],
    ['workerId', info.workerId],
    ['tenantId', info.tenantId],
    ['reason', info.reason],
    ['result', 'result' in info ? toJson(info.result) : undefined],
    ['error', info.error ? `${info.error.name}: ${info.error.message}` : undefined],
  ]);
  return unknown
    ? `${fields}\n(nothing is known about this id: never submitted, or its result expired)`
    : fields;
}
