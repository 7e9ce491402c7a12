import { describe, expect, it } from 'vitest';
import type { Broker, ClaimRequest, Delivery } from '../../src/brokers/broker.js';
import { SqliteResultBackend } from '../../src/backends/sqlite-result-backend.js';
import { envelope, injectRaw, manualClock, message, record, useBroker } from './sqlite-test-kit.js';

const LEASE_MS = 30_000;

function request(overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return { queues: ['default'], max: 10, workerId: 'w1', leaseMs: LEASE_MS, maxDeliveries: 5, ...overrides };
}

async function claimIds(broker: Broker, overrides: Partial<ClaimRequest> = {}): Promise<string[]> {
  const { deliveries } = await broker.claim(request(overrides));
  return deliveries.map((delivery) => delivery.id);
}

describe('SqliteBroker enqueue and claim', () => {
  it('hands out the highest priority first and FIFO within a priority', async () => {
    const { broker } = useBroker();
    const sent = [
      message({ id: 'low-1' }),
      message({ id: 'high-1', priority: 9 }),
      message({ id: 'mid-1', priority: 5 }),
      message({ id: 'low-2' }),
      message({ id: 'high-2', priority: 9 }),
      message({ id: 'top', priority: 255 }),
    ];
    const outcomes = await broker.enqueue(sent);
    expect(outcomes).toEqual(sent.map((m) => ({ id: m.envelope.id, duplicate: false })));
    expect(await claimIds(broker, { max: 4 })).toEqual(['top', 'high-1', 'high-2', 'mid-1']);
    expect(await claimIds(broker)).toEqual(['low-1', 'low-2']);
  });

  it('returns decoded deliveries counting this delivery, and at most max of them', async () => {
    const { broker } = useBroker();
    const first = envelope({ args: ['x', { deep: [1] }], headers: { trace: 't' } });
    await broker.enqueue([{ envelope: first }, message(), message()]);
    const { deliveries, nextWakeAt } = await broker.claim(request({ max: 2 }));
    expect(deliveries).toHaveLength(2);
    expect(deliveries[0]).toEqual({
      id: first.id,
      queue: 'default',
      envelope: first,
      deliveries: 1,
      poisoned: false,
      revoked: false,
    });
    expect(nextWakeAt).toBeUndefined();
  });

  it('serves several queues, starting from a different one on each claim', async () => {
    const { broker } = useBroker();
    await broker.enqueue([message({ id: 'a1', queue: 'a' }), message({ id: 'a2', queue: 'a' })]);
    await broker.enqueue([message({ id: 'b1', queue: 'b' }), message({ id: 'b2', queue: 'b' })]);
    expect(await claimIds(broker, { queues: ['a', 'b'], max: 1 })).toEqual(['a1']);
    expect(await claimIds(broker, { queues: ['a', 'b'], max: 1 })).toEqual(['b1']);
    expect(await claimIds(broker, { queues: ['a', 'b'], max: 5 })).toEqual(['a2', 'b2']);
    expect(await claimIds(broker, { queues: [], max: 5 })).toEqual([]);
    expect(await claimIds(broker, { max: 0 })).toEqual([]);
  });

  it('keeps delayed messages until due, reports when, then promotes them behind waiting ones', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    await broker.enqueue([
      message({ id: 'later' }, clock.now() + 2_000),
      message({ id: 'soon' }, clock.now() + 1_000),
    ]);
    await broker.enqueue([message({ id: 'past' }, clock.now() - 1)]);
    const first = await broker.claim(request());
    expect(first.deliveries.map((d) => d.id)).toEqual(['past']);
    expect(first.nextWakeAt).toBe(clock.now() + 1_000);

    clock.advance(1_000);
    await broker.enqueue([message({ id: 'waiting' })]);
    clock.advance(1_000);
    const second = await broker.claim(request());
    expect(second.deliveries.map((d) => d.id)).toEqual(['waiting', 'soon', 'later']);
    // Only the leases are left to wake for.
    expect(second.nextWakeAt).toBe(clock.now() - 2_000 + LEASE_MS);
  });

  it('promotes delayed messages of several priorities in one claim, each level in due order', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    await broker.enqueue([message({ id: 'waiting-low' }), message({ id: 'waiting-high', priority: 5 })]);
    await broker.enqueue([
      message({ id: 'due-low-2' }, clock.now() + 1_500),
      message({ id: 'due-high', priority: 5 }, clock.now() + 1_000),
      message({ id: 'due-low-1' }, clock.now() + 1_000),
    ]);
    clock.advance(2_000);
    // This claim promotes all three and leases the first of the highest level.
    expect(await claimIds(broker, { max: 1 })).toEqual(['waiting-high']);
    await broker.enqueue([message({ id: 'after-low' }), message({ id: 'after-high', priority: 5 })]);
    expect(await claimIds(broker)).toEqual([
      'due-high',
      'after-high',
      'waiting-low',
      'due-low-1',
      'due-low-2',
      'after-low',
    ]);
  });

  it('honours idempotency keys: a duplicate returns the first id, enqueues nothing, and the key expires', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    const a = message({ id: 'first', idempotencyKey: 'order-1', resultTtlMs: 10_000 });
    const b = message({ id: 'second', idempotencyKey: 'order-1' });
    const c = message({ id: 'third', idempotencyKey: '' });
    expect(await broker.enqueue([a, b, c])).toEqual([
      { id: 'first', duplicate: false },
      { id: 'first', duplicate: true },
      { id: 'third', duplicate: false },
    ]);
    expect(await broker.enqueue([message({ id: 'fourth', idempotencyKey: 'order-1' })])).toEqual([
      { id: 'first', duplicate: true },
    ]);
    expect(await claimIds(broker)).toEqual(['first', 'third']);

    clock.advance(10_000);
    expect(await broker.enqueue([message({ id: 'fifth', idempotencyKey: 'order-1' })])).toEqual([
      { id: 'fifth', duplicate: false },
    ]);
  });

  it('enqueues a large list in one call', async () => {
    const { broker } = useBroker();
    const many = Array.from({ length: 12_000 }, (_, i) => message({ id: `bulk-${i}` }));
    const outcomes = await broker.enqueue(many);
    expect(outcomes.map((o) => o.id)).toEqual(many.map((m) => m.envelope.id));
    expect((await broker.queueStats())[0]).toMatchObject({ name: 'default', waiting: 12_000 });
    expect(await claimIds(broker, { max: 3 })).toEqual(['bulk-0', 'bulk-1', 'bulk-2']);
  });

  it('flags a missing envelope and keeps the bytes of an undecodable one', async () => {
    const { broker, path } = useBroker();
    injectRaw(path, 'default', 'ghost', null);
    injectRaw(path, 'default', 'junk', 'not json at all');
    const { deliveries } = await broker.claim(request());
    const [ghost, junk] = deliveries as [Delivery, Delivery];
    expect(ghost).toMatchObject({
      id: 'ghost',
      envelope: undefined,
      problem: "no envelope is stored for message id 'ghost'",
    });
    expect(ghost.raw).toBeUndefined();
    expect(junk).toMatchObject({ id: 'junk', envelope: undefined, raw: 'not json at all' });
    expect(junk.problem).toMatch(/not JSON/);
  });
});

describe('SqliteBroker leases', () => {
  it('takes expired leases back first, counting a redelivery and forgetting the STARTED mark', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    await broker.enqueue([message({ id: 'm1' })]);
    const [delivery] = (await broker.claim(request({ max: 1 }))).deliveries;
    await broker.markStarted([{ delivery: delivery!, startedAt: clock.now() }], 'w1');
    await broker.enqueue([message({ id: 'm2', priority: 200 })]);

    clock.advance(LEASE_MS - 1);
    expect(await claimIds(broker, { max: 1 })).toEqual(['m2']);
    clock.advance(1);
    const { deliveries } = await broker.claim(request({ workerId: 'w2' }));
    expect(deliveries.map((d) => [d.id, d.deliveries, d.poisoned])).toEqual([['m1', 2, false]]);
    expect(await broker.locate('m1')).toMatchObject({ state: 'RECEIVED' });
  });

  it('extendLeases pushes the deadline so a running message is not handed out again', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    await broker.enqueue([message({ id: 'long' })]);
    const { deliveries, nextWakeAt } = await broker.claim(request());
    expect(nextWakeAt).toBe(clock.now() + LEASE_MS);
    clock.advance(LEASE_MS - 1_000);
    await broker.extendLeases(deliveries, LEASE_MS);
    await broker.extendLeases([], LEASE_MS);
    clock.advance(2_000);
    const again = await broker.claim(request());
    expect(again.deliveries).toEqual([]);
    expect(again.nextWakeAt).toBe(clock.now() - 2_000 + LEASE_MS);
  });

  it('marks a message poisoned once its leases expired maxDeliveries times', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    await broker.enqueue([message({ id: 'poison' })]);
    const seen: [number, boolean][] = [];
    for (let i = 0; i < 4; i++) {
      const [delivery] = (await broker.claim(request({ maxDeliveries: 3 }))).deliveries;
      seen.push([delivery!.deliveries, delivery!.poisoned]);
      clock.advance(LEASE_MS);
    }
    expect(seen).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
  });

  it('never hands a leased message to two brokers sharing the file', async () => {
    const { broker, peer } = useBroker();
    const other = peer();
    await broker.enqueue(Array.from({ length: 300 }, (_, i) => message({ id: `c-${i}` })));
    const claims = Array.from({ length: 40 }, (_, i) => (i % 2 ? broker : other).claim(request({ max: 7 })));
    const ids = (await Promise.all(claims)).flatMap((result) => result.deliveries.map((d) => d.id));
    expect(ids).toHaveLength(280);
    expect(new Set(ids).size).toBe(280);
    const rest = [...(await claimIds(broker, { max: 100 })), ...(await claimIds(other, { max: 100 }))];
    expect(new Set([...ids, ...rest]).size).toBe(300);
  });
});

describe('SqliteBroker settle', () => {
  it('complete removes the message and writes its record in the same step', async () => {
    const { broker } = useBroker();
    const backend = new SqliteResultBackend({ database: broker.database });
    await broker.enqueue([message({ id: 'done' })]);
    const [delivery] = (await broker.claim(request())).deliveries;
    await broker.settle([
      { kind: 'complete', delivery: delivery!, record: record('done', { result: { sum: 3 } }) },
    ]);
    expect(await broker.locate('done')).toBeUndefined();
    expect(await backend.get('done')).toMatchObject({ state: 'SUCCESS', result: { sum: 3 } });
    expect((await broker.queueStats())[0]).toMatchObject({ waiting: 0, active: 0 });
  });

  it('leaves records to the caller when writesRecords is false', async () => {
    const { broker } = useBroker({ writesRecords: false });
    expect(broker.writesRecords).toBe(false);
    const backend = new SqliteResultBackend({ database: broker.database });
    await broker.enqueue([message({ id: 'quiet' })]);
    const [delivery] = (await broker.claim(request())).deliveries;
    await broker.settle([{ kind: 'complete', delivery: delivery!, record: record('quiet') }]);
    expect(await backend.get('quiet')).toBeUndefined();
  });

  it('retry stores the new envelope, waits out the backoff as RETRY, then runs again', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    const first = envelope({ id: 'flaky', priority: 3 });
    await broker.enqueue([{ envelope: first }]);
    const [delivery] = (await broker.claim(request())).deliveries;
    const next = { ...first, attempt: 2 };
    await broker.settle([
      {
        kind: 'retry',
        delivery: delivery!,
        envelope: next,
        dueAt: clock.now() + 5_000,
        record: record('flaky', { state: 'RETRY' }),
      },
    ]);
    expect(await broker.locate('flaky')).toMatchObject({ state: 'RETRY', envelope: next });
    expect((await broker.claim(request())).nextWakeAt).toBe(clock.now() + 5_000);
    clock.advance(5_000);
    const [again] = (await broker.claim(request())).deliveries;
    expect(again).toMatchObject({ id: 'flaky', envelope: next, deliveries: 1 });

    await broker.settle([
      { kind: 'retry', delivery: again!, envelope: { ...next, attempt: 3 }, dueAt: 0, record: undefined },
    ]);
    expect(await broker.locate('flaky')).toMatchObject({ state: 'PENDING' });
  });

  it('dead moves the message to the DLQ with its record', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    const backend = new SqliteResultBackend({ database: broker.database, clock: clock.now });
    const sent = envelope({ id: 'doomed', queue: 'mail' });
    await broker.enqueue([{ envelope: sent }]);
    const [delivery] = (await broker.claim(request({ queues: ['mail'] }))).deliveries;
    const entry = {
      id: 'doomed',
      name: 'add',
      queue: 'mail',
      args: [1, 2],
      error: { name: 'PermanentError', message: 'no' },
      attempts: 1,
      reason: 'permanent error',
      failedAt: clock.now(),
      envelope: sent,
    };
    await broker.settle([
      { kind: 'dead', delivery: delivery!, entry, record: record('doomed', { state: 'FAILURE' }) },
    ]);
    expect(await broker.locate('doomed')).toBeUndefined();
    expect(await broker.dlq.get('doomed')).toEqual(entry);
    expect(await backend.get('doomed')).toMatchObject({ state: 'FAILURE' });
    expect(await broker.queueStats()).toEqual([{ name: 'mail', waiting: 0, delayed: 0, active: 0, dlq: 1 }]);
  });

  it('release puts a message back at the front of its priority level without counting a delivery', async () => {
    const { broker } = useBroker();
    await broker.enqueue([message({ id: 'p1', priority: 5 }), message({ id: 'p2', priority: 5 })]);
    await broker.enqueue([message({ id: 'z1' }), message({ id: 'z2' })]);
    const { deliveries } = await broker.claim(request({ max: 3 }));
    expect(deliveries.map((d) => d.id)).toEqual(['p1', 'p2', 'z1']);
    await broker.settle(deliveries.map((delivery) => ({ kind: 'release' as const, delivery })));
    const again = (await broker.claim(request())).deliveries;
    expect(again.map((d) => d.id)).toEqual(['p2', 'p1', 'z1', 'z2']);
    expect(again.every((d) => d.deliveries === 1)).toBe(true);
  });

  it('drops the STARTED mark of a released message', async () => {
    const { broker } = useBroker();
    await broker.enqueue([message({ id: 's1' })]);
    const [delivery] = (await broker.claim(request())).deliveries;
    await broker.markStarted([{ delivery: delivery!, startedAt: 1_234 }], 'w9');
    expect(await broker.locate('s1')).toMatchObject({ state: 'STARTED', workerId: 'w9' });
    await broker.settle([{ kind: 'release', delivery: delivery! }]);
    expect(await broker.locate('s1')).toMatchObject({ state: 'PENDING' });
  });
});

describe('SqliteBroker locate, queueStats and purge', () => {
  it('locates PENDING, RECEIVED and STARTED messages, and nothing for unknown ids', async () => {
    const { broker } = useBroker();
    const sent = envelope({ id: 'where', queue: 'q1' });
    await broker.enqueue([{ envelope: sent }]);
    expect(await broker.locate('where')).toEqual({ queue: 'q1', state: 'PENDING', envelope: sent });
    const [delivery] = (await broker.claim(request({ queues: ['q1'] }))).deliveries;
    expect(await broker.locate('where', 'q1')).toEqual({ queue: 'q1', state: 'RECEIVED', envelope: sent });
    await broker.markStarted([{ delivery: delivery!, startedAt: 42 }], 'worker-7');
    expect(await broker.locate('where')).toEqual({
      queue: 'q1',
      state: 'STARTED',
      envelope: sent,
      workerId: 'worker-7',
      startedAt: 42,
    });
    expect(await broker.locate('nobody')).toBeUndefined();
  });

  it('counts waiting, delayed, active and DLQ messages per known queue, by name', async () => {
    const { broker } = useBroker();
    await broker.enqueue([
      message({ queue: 'b' }),
      message({ queue: 'b' }),
      message({ queue: 'b' }, Date.now() + 60_000),
    ]);
    await broker.enqueue([message({ queue: 'a' })]);
    await broker.claim(request({ queues: ['b'], max: 1 }));
    await broker.claim(request({ queues: ['empty'] }));
    expect(await broker.queueStats()).toEqual([
      { name: 'a', waiting: 1, delayed: 0, active: 0, dlq: 0 },
      { name: 'b', waiting: 1, delayed: 1, active: 1, dlq: 0 },
      { name: 'empty', waiting: 0, delayed: 0, active: 0, dlq: 0 },
    ]);
  });

  it('purge removes waiting and delayed messages of one queue and leaves running ones', async () => {
    const { broker } = useBroker();
    await broker.enqueue([
      message({ id: 'run' }),
      message(),
      message({}, Date.now() + 60_000),
      message({ queue: 'other' }),
    ]);
    await broker.claim(request({ max: 1 }));
    expect(await broker.purge('default')).toBe(2);
    expect(await broker.locate('run')).toMatchObject({ state: 'RECEIVED' });
    expect(await broker.purge('default')).toBe(0);
    expect((await broker.queueStats()).map((s) => [s.name, s.waiting])).toEqual([
      ['default', 0],
      ['other', 1],
    ]);
  });

  it('is healthy while open; close is idempotent and ends a pending wait', async () => {
    const { broker } = useBroker();
    expect(broker.kind).toBe('sqlite');
    expect(broker.isHealthy()).toBe(true);
    const waiting = broker.waitForWork(['default'], Date.now() + 60_000, new AbortController().signal);
    await broker.close();
    await waiting;
    await broker.close();
    expect(broker.isHealthy()).toBe(false);
  });
});
