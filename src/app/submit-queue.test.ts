import { describe, expect, it } from 'vitest';
import type { EnqueueOutcome, OutgoingMessage } from '../brokers/broker.js';
import { ENVELOPE_VERSION } from '../protocol/envelope.js';
import { SubmitQueue } from './submit-queue.js';

const message = (id: string): OutgoingMessage => ({
  envelope: {
    v: ENVELOPE_VERSION,
    id,
    name: 't',
    args: [],
    queue: 'q',
    priority: 0,
    attempt: 1,
    maxRetries: 0,
    createdAt: 0,
  },
});

/** A broker enqueue that answers on the next turn, after telling `record` the ids of each call. */
function recordingEnqueue(record: (ids: string[]) => void) {
  return async (messages: readonly OutgoingMessage[]): Promise<EnqueueOutcome[]> => {
    record(messages.map((m) => m.envelope.id));
    await new Promise((resolve) => setImmediate(resolve));
    return messages.map((m): EnqueueOutcome => ({ id: m.envelope.id, duplicate: false }));
  };
}

describe('SubmitQueue', () => {
  it('sends a lone submission at once and gathers the ones made meanwhile into the next call', async () => {
    const calls: string[][] = [];
    const queue = new SubmitQueue(recordingEnqueue((ids) => calls.push(ids)));
    const results = await Promise.all([
      queue.submit([message('a')]),
      queue.submit([message('b'), message('c')]),
      queue.submit([message('d')]),
    ]);
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
    expect(results.map((outcomes) => outcomes.map((o) => o.id))).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('sends a lone submission at once every time, with nothing under way', async () => {
    const calls: string[][] = [];
    const queue = new SubmitQueue(recordingEnqueue((ids) => calls.push(ids)));
    await queue.submit([message('a')]);
    const second = queue.submit([message('b')]);
    expect(calls).toEqual([['a'], ['b']]); // sent synchronously, not on a later turn
    await second;
  });

  it('sends all the submissions a producer keeps in flight together, not in alternating halves', async () => {
    const sizes: number[] = [];
    const queue = new SubmitQueue(recordingEnqueue((ids) => sizes.push(ids.length)));
    const lane = async (lane: number): Promise<void> => {
      for (let i = 0; i < 3; i++) await queue.submit([message(`${lane}-${i}`)]);
    };
    await Promise.all([1, 2, 3, 4, 5].map(lane));
    expect(sizes).toEqual([1, 5, 5, 4]);
  });

  it('rejects every submission of a failed call and goes on with the next', async () => {
    let fail = true;
    const queue = new SubmitQueue(async (messages) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (fail) {
        fail = false;
        throw new Error('broker down');
      }
      return messages.map((m): EnqueueOutcome => ({ id: m.envelope.id, duplicate: false }));
    });
    const first = queue.submit([message('a')]);
    await expect(first).rejects.toThrow('broker down');
    expect(await queue.submit([message('b')])).toEqual([{ id: 'b', duplicate: false }]);
  });
});
