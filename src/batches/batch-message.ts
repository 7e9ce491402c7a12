import type { OutgoingMessage } from '../brokers/broker.js';
import type { ApplyOptions } from '../config/task-options.js';
import type { Task } from '../app/task.js';
import { normalizeArgs } from '../protocol/codec.js';
import { newTaskId } from '../protocol/task-id.js';

/** The per-call options a batch accepts (one message carries every item). */
export type BatchCallOptions = Pick<
  ApplyOptions,
  'queue' | 'priority' | 'countdown' | 'eta' | 'expires' | 'tenantId' | 'headers'
>;

/** One message carrying many calls of `task`; returns it with the ids given to the items, in order. */
export function batchMessage(
  task: Task<never[], unknown>,
  argsList: readonly (readonly unknown[])[],
  options: BatchCallOptions | undefined,
  now: number,
): { message: OutgoingMessage; itemIds: string[] } {
  const message = task.message([], options, now);
  const items = argsList.map((args) => ({ id: newTaskId(now), args: normalizeArgs(args) }));
  message.envelope.batch = { items };
  return { message, itemIds: items.map((item) => item.id) };
}
