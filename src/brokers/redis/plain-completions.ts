import type { ChainableCommander } from 'ioredis';
import type { Settlement } from '../broker.js';
import { encodeRecord } from '../../protocol/result-record.js';
import { queueKeys, resultKey } from './keys.js';

/** A completion without workflow effects: what an idle worker settles after most tasks. */
export function isPlainCompletion(settlement: Settlement): boolean {
  return settlement.kind === 'complete' && !settlement.effects;
}

/**
 * Queues on `tx` what `settle_batch` (includes/settle.lua) does for plain completions — the record
 * written, the lease, start mark, expiry count and message removed — as plain commands. A
 * transaction of five commands costs Redis about half what one function call does, and an idle
 * worker waits for it before it reports the task done.
 */
export function queuePlainCompletions(
  tx: ChainableCommander,
  completions: readonly Settlement[],
  writesRecords: boolean,
): void {
  const idsByQueue = new Map<string, string[]>();
  for (const settlement of completions) {
    const { id, queue } = settlement.delivery;
    const record = settlement.kind === 'complete' ? settlement.record : undefined;
    if (writesRecords && record) tx.set(resultKey(id), encodeRecord(record), 'PX', Math.max(1, record.ttlMs));
    const ids = idsByQueue.get(queue);
    if (ids) ids.push(id);
    else idsByQueue.set(queue, [id]);
  }
  for (const [queue, ids] of idsByQueue) {
    const keys = queueKeys(queue);
    tx.zrem(keys.leases, ...ids)
      .hdel(keys.started, ...ids)
      .hdel(keys.redeliveries, ...ids)
      .hdel(keys.messages, ...ids);
  }
}
