import { describe, expect, it } from 'vitest';
import type { Delivery, Settlement } from '../broker.js';
import type { DlqEntry } from '../../dlq/dlq-entry.js';
import { settleArgs, settleArgsByQueue, sharedQueue } from './settle-args.js';

function delivery(id: string, queue: string): Delivery {
  return { id, queue, envelope: undefined, deliveries: 1, poisoned: false, revoked: false };
}

const release = (id: string, queue: string): Settlement => ({
  kind: 'release',
  delivery: delivery(id, queue),
});
const complete = (id: string, queue: string, deadLetters?: DlqEntry[]): Settlement => ({
  kind: 'complete',
  delivery: delivery(id, queue),
  record: undefined,
  ...(deadLetters && { effects: { deadLetters } }),
});

describe('settle arguments', () => {
  it('counts the settlements, lists their operations, then their workflow effects', () => {
    const lost = { queue: 'q', id: 'item-1', failedAt: 5 } as DlqEntry;
    const args = settleArgs([complete('a', 'q', [lost]), release('b', 'q')], true);
    expect(args).toEqual([2, 'A', 'a', '', 1, 'L', 'b', 0, 'Q', 'q', 'item-1', JSON.stringify(lost), 5]);
  });

  it('names the one queue settlements share, and none when they span several or are none', () => {
    expect(sharedQueue([release('a', 'q'), complete('b', 'q')])).toBe('q');
    expect(sharedQueue([release('a', 'q'), complete('b', 'r')])).toBeUndefined();
    expect(sharedQueue([])).toBeUndefined();
  });

  it('groups settlements by queue, each queue with its own count, in the order queues appear', () => {
    const tails = settleArgsByQueue([release('a', 'r'), complete('b', 'q'), release('c', 'r')], false);
    expect([...tails]).toEqual([
      ['r', [2, 'L', 'a', 0, 'L', 'c', 0]],
      ['q', [1, 'A', 'b', '', 1]],
    ]);
  });
});
