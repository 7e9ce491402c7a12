import type { EnqueueOutcome, OutgoingMessage } from '../broker.js';
import { REVOCATION_MEMORY_MS } from '../broker.js';
import { encodeNewEnvelope } from '../../protocol/codec.js';
import { IDEMPOTENCY_PREFIX } from './keys.js';

/** The positions of `messages` per queue, in order. */
export function groupByQueue(messages: readonly OutgoingMessage[]): Map<string, number[]> {
  const byQueue = new Map<string, number[]>();
  for (let index = 0; index < messages.length; index++) {
    const queue = messages[index]!.envelope.queue;
    const indexes = byQueue.get(queue);
    if (indexes) indexes.push(index);
    else byQueue.set(queue, [index]);
  }
  return byQueue;
}

/**
 * ARGV of `enqueue-1.lua` for the messages at `indexes`: three fields per message, three more only
 * for one with an idempotency key (see the script's header). Every argument costs on both sides of
 * the connection, so the common message carries no empty ones.
 */
export function enqueueArgs(
  messages: readonly OutgoingMessage[],
  indexes: readonly number[],
  now: number,
): (string | number)[] {
  const args: (string | number)[] = [];
  for (const index of indexes) args.push(...messageArgs(messages[index]!, now));
  return args;
}

/**
 * The ARGV fields of one message, each shape built whole: an array grown after its literal makes
 * V8 drop the optimized code of a call that spreads it (deoptimization "the array length changed").
 */
export function messageArgs({ envelope, dueAt }: OutgoingMessage, now: number): (string | number)[] {
  const fields = [envelope.id, encodeNewEnvelope(envelope), placement(envelope.priority, dueAt, now)];
  if (!envelope.idempotencyKey) return fields;
  const ttlMs = envelope.resultTtlMs ?? REVOCATION_MEMORY_MS;
  return [...fields, '', IDEMPOTENCY_PREFIX + envelope.idempotencyKey, ttlMs];
}

/** Where the script puts a message: its priority when ready now, minus its due time when delayed. */
function placement(priority: number, dueAt: number | undefined, now: number): number {
  return dueAt !== undefined && dueAt > now ? -dueAt : priority;
}

/** Marks in `outcomes` the duplicates the script reported: pairs of 1-based position and standing id. */
export function markDuplicates(reply: unknown, indexes: readonly number[], outcomes: EnqueueOutcome[]): void {
  const pairs = reply as (number | string)[];
  for (let i = 0; i < pairs.length; i += 2) {
    outcomes[indexes[Number(pairs[i]) - 1]!] = { id: String(pairs[i + 1]), duplicate: true };
  }
}
