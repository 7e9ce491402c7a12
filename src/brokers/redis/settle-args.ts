import type { Settlement, WorkflowEffects } from '../broker.js';
import { encodeEnvelope } from '../../protocol/codec.js';
import { encodeRecord, type ResultRecord } from '../../protocol/result-record.js';

/**
 * The settle ARGV tail of settlements that share one queue: their number, their operations, then
 * their workflow effects (`includes/settle.lua`).
 */
export function settleArgs(settlements: readonly Settlement[], writesRecords: boolean): (string | number)[] {
  const ops: (string | number)[] = [settlements.length];
  let effects: (string | number)[] | undefined;
  for (const settlement of settlements) {
    pushSettlementArgs(ops, settlement, writesRecords);
    if ((settlement.kind === 'complete' || settlement.kind === 'dead') && settlement.effects) {
      (effects ??= []).push(...effectArgs(settlement.effects, writesRecords));
    }
  }
  return effects ? ops.concat(effects) : ops;
}

/** The queue every settlement belongs to, or undefined when they span several (or none). */
export function sharedQueue(settlements: readonly Settlement[]): string | undefined {
  const queue = settlements[0]?.delivery.queue;
  for (const settlement of settlements) if (settlement.delivery.queue !== queue) return undefined;
  return queue;
}

/** The settle ARGV tail of each queue the settlements span, in the order each first appears. */
export function settleArgsByQueue(
  settlements: readonly Settlement[],
  writesRecords: boolean,
): Map<string, (string | number)[]> {
  const byQueue = new Map<string, Settlement[]>();
  for (const settlement of settlements) {
    const group = byQueue.get(settlement.delivery.queue);
    if (group) group.push(settlement);
    else byQueue.set(settlement.delivery.queue, [settlement]);
  }
  const tails = new Map<string, (string | number)[]>();
  for (const [queue, group] of byQueue) tails.set(queue, settleArgs(group, writesRecords));
  return tails;
}

/** Appends to `args` the `settle-1.lua` operation of one settlement ('A', 'R', 'D', 'L'). */
function pushSettlementArgs(args: (string | number)[], settlement: Settlement, writesRecords: boolean): void {
  const { id } = settlement.delivery;
  switch (settlement.kind) {
    case 'complete':
      args.push('A', id);
      break;
    case 'retry': {
      const { envelope, dueAt } = settlement;
      args.push('R', id, encodeEnvelope(envelope), dueAt, envelope.priority);
      break;
    }
    case 'dead':
      args.push('D', id, JSON.stringify(settlement.entry), settlement.entry.failedAt);
      break;
    case 'release':
      args.push('L', id, settlement.delivery.envelope?.priority ?? 0);
      return;
  }
  const record = settlement.record;
  if (writesRecords && record) args.push(encodeRecord(record), Math.max(1, record.ttlMs));
  else args.push('', 1);
}

/** ARGV for `settle-1.lua`'s workflow effects ('F', 'J', 'X', 'C', 'Q'; see the script's header). */
export function effectArgs(effects: WorkflowEffects, writesRecords: boolean): (string | number)[] {
  const args: (string | number)[] = [];
  for (const { envelope, dueAt } of effects.followUps ?? []) {
    args.push('F', envelope.queue, envelope.id, encodeEnvelope(envelope), envelope.priority, dueAt ?? 0);
  }
  const join = effects.chordJoin;
  if (join) {
    const { body } = join;
    args.push('J', join.chordId, join.index, join.size, join.resultJson, Math.max(1, join.ttlMs));
    args.push(
      body.id,
      body.queue,
      body.priority,
      body.dueAt ?? 0,
      body.prefix ?? '',
      body.suffix ?? '',
      body.envelope ?? '',
    );
  }
  const failure = effects.chordFailure;
  if (failure) {
    const { id, queue, entry, record } = failure.body;
    args.push(
      'X',
      failure.chordId,
      Math.max(1, failure.ttlMs),
      id,
      queue,
      JSON.stringify(entry),
      entry.failedAt,
    );
    args.push(...recordArgs(record, writesRecords));
  }
  if (writesRecords) {
    for (const record of effects.records ?? []) args.push('C', record.id, ...recordArgs(record, true));
  }
  for (const entry of effects.deadLetters ?? []) {
    args.push('Q', entry.queue, entry.id, JSON.stringify(entry), entry.failedAt);
  }
  return args;
}

/** A record and its TTL as script arguments; `''` when the broker does not write records. */
export function recordArgs(record: ResultRecord | undefined, writesRecords: boolean): [string, number] {
  return writesRecords && record ? [encodeRecord(record), Math.max(1, record.ttlMs)] : ['', 1];
}
