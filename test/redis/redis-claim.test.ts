import { describe, expect, it } from 'vitest';
import { queueKeys, resultKey } from '../../src/brokers/redis/keys.js';
import { useRedisBrokers } from '../helpers/redis-brokers.js';
import { manualClock, message, record } from '../sqlite/sqlite-test-kit.js';

const { client, makeBroker } = useRedisBrokers();

const LEASE_MS = 30_000;
const request = { queues: ['default'], max: 10, workerId: 'w1', leaseMs: LEASE_MS, maxDeliveries: 5 };

describe('RedisBroker.claim: when to look again', () => {
  it('reports the earliest of the next due message and the next lease expiry', async () => {
    const clock = manualClock();
    const broker = makeBroker(clock.now);
    await broker.enqueue([
      message({ id: 'later' }, clock.now() + 2_000),
      message({ id: 'soon' }, clock.now() + 1_000),
      message({ id: 'past' }, clock.now() - 1),
    ]);
    const first = await broker.claim(request);
    expect(first.deliveries.map((delivery) => delivery.id)).toEqual(['past']);
    expect(first.nextWakeAt).toBe(clock.now() + 1_000);

    clock.advance(2_000);
    const second = await broker.claim(request);
    expect(second.deliveries.map((delivery) => delivery.id)).toEqual(['soon', 'later']);
    // Nothing delayed is left: the first lease is next.
    expect(second.nextWakeAt).toBe(clock.now() - 2_000 + LEASE_MS);
  });

  it('takes back an expired lease and then reports the earliest lease left', async () => {
    const clock = manualClock();
    const broker = makeBroker(clock.now);
    await broker.enqueue([message({ id: 'a' })]);
    await broker.claim(request);
    clock.advance(10_000);
    await broker.enqueue([message({ id: 'b' })]);
    await broker.claim(request);

    clock.advance(LEASE_MS - 10_000);
    const again = await broker.claim(request);
    expect(again.deliveries.map((delivery) => [delivery.id, delivery.deliveries])).toEqual([['a', 2]]);
    // 'a' is leased anew from now; 'b', leased 10 s after 'a' was, expires first.
    expect(again.nextWakeAt).toBe(clock.now() + 10_000);
  });

  it('counts earlier expired leases of a message given back, when nothing else is delayed or leased', async () => {
    const clock = manualClock();
    const broker = makeBroker(clock.now);
    await broker.enqueue([message({ id: 'a' })]);
    await broker.claim(request);
    clock.advance(LEASE_MS);
    const [taken] = (await broker.claim(request)).deliveries;
    expect(taken!.deliveries).toBe(2);
    // Given back unstarted (a stopping worker): ready again, its lease gone, its count kept.
    await broker.settle([{ kind: 'release', delivery: taken! }]);
    expect(await client().exists(queueKeys('default').leases)).toBe(0);

    const again = await broker.claim(request);
    expect(again.deliveries.map((delivery) => [delivery.id, delivery.deliveries])).toEqual([['a', 2]]);
  });

  it('reports nothing to wake for when nothing is delayed or leased', async () => {
    const broker = makeBroker(manualClock().now);
    expect((await broker.claim(request)).nextWakeAt).toBeUndefined();
  });
});

describe('RedisBroker.claim: the lease set', () => {
  it('is a skiplist after a large claim, holding the leases only; small claims leave it a listpack', async () => {
    const broker = makeBroker(manualClock().now);
    const leases = queueKeys('default').leases;
    await broker.enqueue(Array.from({ length: 20 }, (_, i) => message({ id: `m${i}` })));

    await broker.claim({ ...request, max: 1 });
    expect(await client().object('ENCODING', leases)).toBe('listpack');

    const large = await broker.claim({ ...request, max: 16 });
    expect(large.deliveries).toHaveLength(16);
    expect(await client().object('ENCODING', leases)).toBe('skiplist');
    const members = await client().zrange(leases, 0, -1);
    expect(members.sort()).toEqual(Array.from({ length: 17 }, (_, i) => `m${i}`).sort());
  });
});

describe('RedisBroker.claim: the key names kept by the functions', () => {
  it('claims and settles right in more queues than the names kept at once (1,000)', async () => {
    const broker = makeBroker(manualClock().now);
    const queues = Array.from({ length: 1_050 }, (_, i) => `q${i}`);
    await broker.enqueue(queues.map((queue) => message({ id: `in-${queue}`, queue })));
    // Twice round (given back, then completed): every queue's names are built again after the
    // functions' store of names started over.
    for (const kind of ['release', 'complete'] as const) {
      for (const queue of queues) {
        const { deliveries } = await broker.claim({ ...request, queues: [queue] });
        expect(deliveries.map((delivery) => delivery.id)).toEqual([`in-${queue}`]);
        await broker.settle([{ kind, delivery: deliveries[0]!, record: undefined }]);
      }
    }
    // Nothing of any message is left (the wake-up markers stay: no worker waited on them).
    const left = await Promise.all(
      queues.map((queue) => {
        const { ready, prio, delayed, messages, leases, started, redeliveries } = queueKeys(queue);
        return client().exists(ready, prio, delayed, messages, leases, started, redeliveries);
      }),
    );
    expect(left.filter((count) => count > 0)).toEqual([]);
  });
});

describe('RedisBroker.claim: several queues', () => {
  /** Calls of `FCALL` so far: a claim over several queues is one. */
  const functionCalls = async (): Promise<number> =>
    Number(/cmdstat_fcall:calls=(\d+)/.exec(await client().info('commandstats'))?.[1] ?? 0);

  const claimIds = async (broker: ReturnType<typeof makeBroker>, queues: string[], max: number) => {
    const { deliveries } = await broker.claim({ ...request, queues, max });
    return deliveries.map((delivery) => `${delivery.queue}/${delivery.id}`);
  };

  it('claims from each in one call, starting from a different queue on each claim', async () => {
    const broker = makeBroker(manualClock().now);
    await broker.enqueue([message({ id: 'a1', queue: 'a' }), message({ id: 'a2', queue: 'a' })]);
    await broker.enqueue([message({ id: 'b1', queue: 'b' }), message({ id: 'b2', queue: 'b' })]);
    const before = await functionCalls();
    expect(await claimIds(broker, ['a', 'b'], 1)).toEqual(['a/a1']);
    expect(await claimIds(broker, ['a', 'b'], 1)).toEqual(['b/b1']);
    expect(await claimIds(broker, ['a', 'b'], 5)).toEqual(['a/a2', 'b/b2']);
    expect((await functionCalls()) - before).toBe(3);
    expect(await claimIds(broker, [], 5)).toEqual([]);
    expect(await claimIds(broker, ['a', 'b'], 0)).toEqual([]);
    expect((await functionCalls()) - before).toBe(3);
    // Each claimed message is leased in its own queue.
    expect(await client().zrange(queueKeys('a').leases, 0, -1)).toEqual(['a1', 'a2']);
    expect(await client().zrange(queueKeys('b').leases, 0, -1)).toEqual(['b1', 'b2']);
  });

  it('reports the earliest time to look again over every queue it tried', async () => {
    const clock = manualClock();
    const broker = makeBroker(clock.now);
    await broker.enqueue([message({ id: 'a-later', queue: 'a' }, clock.now() + 5_000)]);
    await broker.enqueue([message({ id: 'b-soon', queue: 'b' }, clock.now() + 1_000)]);
    const claimed = await broker.claim({ ...request, queues: ['a', 'b'] });
    expect(claimed.deliveries).toEqual([]);
    expect(claimed.nextWakeAt).toBe(clock.now() + 1_000);
  });

  it('settles outcomes of several queues and claims over them in one call', async () => {
    const broker = makeBroker(manualClock().now);
    await broker.enqueue([message({ id: 'a1', queue: 'a' }), message({ id: 'b1', queue: 'b' })]);
    const held = (await broker.claim({ ...request, queues: ['a', 'b'], max: 2 })).deliveries;
    await broker.enqueue([message({ id: 'a2', queue: 'a' }), message({ id: 'b2', queue: 'b' })]);
    const settle = held.map((delivery) => ({
      kind: 'complete' as const,
      delivery,
      record: record(delivery.id, { result: delivery.id }),
    }));

    const before = await functionCalls();
    const { deliveries } = await broker.claim({ ...request, queues: ['a', 'b'], max: 5, settle });
    expect((await functionCalls()) - before).toBe(1);
    // This claim starts from 'b' (the rotation), and both queues' new messages come back.
    expect(deliveries.map((delivery) => `${delivery.queue}/${delivery.id}`)).toEqual(['b/b2', 'a/a2']);
    // The settled messages are gone, their records written; only the new leases remain.
    expect(await client().hkeys(queueKeys('a').messages)).toEqual(['a2']);
    expect(await client().hkeys(queueKeys('b').messages)).toEqual(['b2']);
    expect(await client().zrange(queueKeys('a').leases, 0, -1)).toEqual(['a2']);
    expect(await client().zrange(queueKeys('b').leases, 0, -1)).toEqual(['b2']);
    expect(await client().exists(resultKey('a1'), resultKey('b1'))).toBe(2);
  });

  it("keeps each queue's workflow effects to that queue's settlements", async () => {
    const broker = makeBroker(manualClock().now);
    await broker.enqueue([message({ id: 'a1', queue: 'a' }), message({ id: 'b1', queue: 'b' })]);
    const held = (await broker.claim({ ...request, queues: ['a', 'b'], max: 2 })).deliveries;
    const [inA, inB] = ['a', 'b'].map((queue) => held.find((delivery) => delivery.queue === queue)!);
    // Effects end one queue's arguments and the next queue's follow: a bound read wrong would take
    // the next queue's arguments for an effect and fail.
    const settle = [
      {
        kind: 'complete' as const,
        delivery: inA!,
        record: undefined,
        effects: { followUps: [message({ id: 'next-step', queue: 'c' })] },
      },
      { kind: 'retry' as const, delivery: inB!, envelope: inB!.envelope!, dueAt: 0, record: undefined },
    ];
    const { deliveries } = await broker.claim({ ...request, queues: ['a', 'b'], max: 5, settle });
    expect(deliveries.map((delivery) => `${delivery.queue}/${delivery.id}`)).toEqual(['b/b1']);
    expect(await client().hkeys(queueKeys('a').messages)).toEqual([]);
    expect(await client().lrange(queueKeys('c').ready, 0, -1)).toEqual(['next-step']);
  });

  it('settles first, in a call of its own, an outcome of a queue it does not claim from', async () => {
    const broker = makeBroker(manualClock().now);
    await broker.enqueue([message({ id: 'c1', queue: 'c' }), message({ id: 'a1', queue: 'a' })]);
    const [elsewhere] = (await broker.claim({ ...request, queues: ['c'] })).deliveries;
    const settle = [{ kind: 'complete' as const, delivery: elsewhere!, record: undefined }];
    const before = await functionCalls();
    const { deliveries } = await broker.claim({ ...request, queues: ['a', 'b'], max: 5, settle });
    expect(deliveries.map((delivery) => delivery.id)).toEqual(['a1']);
    expect((await functionCalls()) - before).toBe(2);
    expect(await client().exists(queueKeys('c').messages, queueKeys('c').leases)).toBe(0);
  });
});
