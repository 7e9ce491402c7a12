import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_PREFIX, QUEUES_KEY, queueKeys } from '../../src/brokers/redis/keys.js';
import { decodeEnvelope } from '../../src/protocol/codec.js';
import { useRedisBrokers } from '../helpers/redis-brokers.js';
import { envelope, manualClock, message } from '../sqlite/sqlite-test-kit.js';

const { client, makeBroker } = useRedisBrokers();

/** Ready ids of a queue in the order workers get them: priorities first, then the plain list. */
async function readyIds(queue = 'default'): Promise<string[]> {
  const keys = queueKeys(queue);
  return [...(await client().zrange(keys.prio, 0, -1)), ...(await client().lrange(keys.ready, 0, -1))];
}

describe('RedisBroker.enqueue', () => {
  it('stores each envelope, queues ready ids by priority then FIFO, and wakes a worker', async () => {
    const broker = makeBroker();
    const sent = [
      message({ id: 'low-1' }),
      message({ id: 'high-1', priority: 9 }),
      message({ id: 'mid-1', priority: 5 }),
      message({ id: 'low-2' }),
      message({ id: 'high-2', priority: 9 }),
      message({ id: 'top', priority: 255 }),
    ];
    expect(await broker.enqueue(sent)).toEqual(sent.map((m) => ({ id: m.envelope.id, duplicate: false })));
    expect(await readyIds()).toEqual(['top', 'high-1', 'high-2', 'mid-1', 'low-1', 'low-2']);
    const keys = queueKeys('default');
    expect(decodeEnvelope((await client().hget(keys.messages, 'mid-1'))!)).toEqual(sent[2]!.envelope);
    expect(await client().zrange(keys.marker, 0, -1, 'WITHSCORES')).toEqual(['w', '0']);
    expect(await client().smembers(QUEUES_KEY)).toEqual(['default']);
  });

  it('keeps delayed messages apart until due, waking only for the earliest due time', async () => {
    const clock = manualClock();
    const broker = makeBroker(clock.now);
    const now = clock.now();
    await broker.enqueue([
      message({ id: 'later', priority: 7 }, now + 2_000),
      message({ id: 'soon' }, now + 1_000),
    ]);
    const keys = queueKeys('default');
    expect(await client().zrange(keys.delayed, 0, -1, 'WITHSCORES')).toEqual([
      'soon',
      String(now + 1_000),
      'later',
      String(now + 2_000),
    ]);
    expect(await client().zscore(keys.marker, 'w')).toBe(String(now + 1_000));
    expect(await readyIds()).toEqual([]);

    // Due now or in the past: ready at once, and the marker says so.
    await broker.enqueue([message({ id: 'past' }, now - 1), message({ id: 'due', priority: 3 }, now)]);
    expect(await readyIds()).toEqual(['due', 'past']);
    expect(await client().zscore(keys.marker, 'w')).toBe('0');
  });

  it('honours idempotency keys within one call and across calls, for the task result lifetime', async () => {
    const broker = makeBroker();
    const first = message({ id: 'first', idempotencyKey: 'order-1', resultTtlMs: 10_000 });
    expect(
      await broker.enqueue([
        first,
        message({ id: 'second', idempotencyKey: 'order-1' }),
        message({ id: 'third', idempotencyKey: '' }),
        message({ id: 'fourth', idempotencyKey: 'order-2' }),
      ]),
    ).toEqual([
      { id: 'first', duplicate: false },
      { id: 'first', duplicate: true },
      { id: 'third', duplicate: false },
      { id: 'fourth', duplicate: false },
    ]);
    expect(await broker.enqueue([message({ id: 'fifth', idempotencyKey: 'order-1' })])).toEqual([
      { id: 'first', duplicate: true },
    ]);
    expect(await readyIds()).toEqual(['first', 'third', 'fourth']);
    const ttl = await client().pttl(`${IDEMPOTENCY_PREFIX}order-1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);
  });

  it('never stores two copies of one task id in a queue', async () => {
    const broker = makeBroker();
    const original = envelope({ id: 'same', args: ['original'] });
    await broker.enqueue([{ envelope: original }]);
    expect(
      await broker.enqueue([
        message({ id: 'other' }),
        message({ id: 'same', args: ['copy'] }),
        message({ id: 'other' }),
      ]),
    ).toEqual([
      { id: 'other', duplicate: false },
      { id: 'same', duplicate: true },
      { id: 'other', duplicate: true },
    ]);
    // One message alone takes a shorter path (each delay()): the same answer.
    expect(await broker.enqueue([message({ id: 'same', args: ['again'] })])).toEqual([
      { id: 'same', duplicate: true },
    ]);
    expect(await readyIds()).toEqual(['same', 'other']);
    expect(decodeEnvelope((await client().hget(queueKeys('default').messages, 'same'))!)).toEqual(original);
  });

  it('sends the messages of several queues in one call, answering in the order given', async () => {
    const broker = makeBroker();
    const outcomes = await broker.enqueue([
      message({ id: 'a1', queue: 'a' }),
      message({ id: 'b1', queue: 'b', priority: 2 }),
      message({ id: 'a2', queue: 'a' }),
      message({ id: 'a1', queue: 'b' }),
    ]);
    expect(outcomes).toEqual(['a1', 'b1', 'a2', 'a1'].map((id) => ({ id, duplicate: false })));
    expect(await readyIds('a')).toEqual(['a1', 'a2']);
    expect(await readyIds('b')).toEqual(['b1', 'a1']);
    expect((await client().smembers(QUEUES_KEY)).sort()).toEqual(['a', 'b']);
  });

  it('enqueues a list larger than one script call, reporting duplicates at their own positions', async () => {
    const broker = makeBroker();
    await broker.enqueue([message({ id: 'bulk-7000' })]);
    const many = Array.from({ length: 12_000 }, (_, i) => message({ id: `bulk-${i}` }));
    const outcomes = await broker.enqueue(many);
    expect(outcomes.filter((o) => o.duplicate)).toEqual([{ id: 'bulk-7000', duplicate: true }]);
    expect(outcomes.findIndex((o) => o.duplicate)).toBe(7_000);
    expect(outcomes.map((o) => o.id)).toEqual(many.map((m) => m.envelope.id));
    expect(await client().llen(queueKeys('default').ready)).toBe(12_000);
  });
});
