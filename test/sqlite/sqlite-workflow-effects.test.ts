import { describe, expect, it } from 'vitest';
import type { ChordJoin, Delivery, Settlement, WorkflowEffects } from '../../src/brokers/broker.js';
import type { SqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.js';
import { SqliteResultBackend } from '../../src/backends/sqlite-result-backend.js';
import type { DlqEntry } from '../../src/dlq/dlq-entry.js';
import { decodeEnvelope, encodeEnvelope } from '../../src/protocol/codec.js';
import type { Envelope } from '../../src/protocol/envelope.js';
import { countRows, envelope, manualClock, message, record, useBroker } from './sqlite-test-kit.js';

const TTL_MS = 60_000;
const RESULTS = '"@@results@@"';

/** Enqueues members with these ids on `queue` and claims them, by id. */
async function claimed(broker: SqliteBroker, ids: readonly string[], queue = 'members'): Promise<Delivery[]> {
  await broker.enqueue(ids.map((id) => message({ id, queue })));
  const { deliveries } = await broker.claim({
    queues: [queue],
    max: ids.length,
    workerId: 'w1',
    leaseMs: 60_000,
    maxDeliveries: 5,
  });
  expect(deliveries.map((d) => d.id)).toEqual(ids);
  return deliveries;
}

/** The body's envelope split around its first argument, as a worker would send it. */
function split(body: Envelope): { prefix: string; suffix: string } {
  const text = encodeEnvelope({ ...body, args: ['@@results@@', ...body.args] });
  const at = text.indexOf(RESULTS);
  return { prefix: text.slice(0, at), suffix: text.slice(at + RESULTS.length) };
}

/** A chord of `size` members whose body is `body` (results prepended unless `immutable`). */
function chord(
  chordId: string,
  size: number,
  body: Envelope,
  options: { immutable?: boolean; dueAt?: number } = {},
) {
  const target = { id: body.id, queue: body.queue, priority: body.priority, dueAt: options.dueAt };
  const shape = options.immutable ? { envelope: encodeEnvelope(body) } : split(body);
  return {
    join: (index: number, result: unknown): ChordJoin => ({
      chordId,
      index,
      size,
      resultJson: JSON.stringify(result),
      ttlMs: TTL_MS,
      body: { ...target, ...shape },
    }),
  };
}

function complete(delivery: Delivery, effects: WorkflowEffects, result: unknown = null): Settlement {
  return { kind: 'complete', delivery, record: record(delivery.id, { result }), effects };
}

function deadEntry(id: string, queue: string, message: string, failedAt = 1_700_000_000_000): DlqEntry {
  return {
    id,
    name: 'sum',
    queue,
    args: [],
    error: { name: 'ChordError', message },
    attempts: 0,
    reason: 'chord member failed',
    failedAt,
  };
}

function dead(delivery: Delivery, effects: WorkflowEffects): Settlement {
  return {
    kind: 'dead',
    delivery,
    entry: deadEntry(delivery.id, delivery.queue, 'boom'),
    record: record(delivery.id, { state: 'FAILURE', result: undefined }),
    effects,
  };
}

/** The stored envelope text of message `id`, or undefined when there is none. */
function storedText(broker: SqliteBroker, id: string): string | undefined {
  return broker.database
    .prepare<[string], string>('SELECT envelope FROM messages WHERE id = ?')
    .pluck()
    .get(id);
}

function messageCount(broker: SqliteBroker, id: string): number {
  return broker.database
    .prepare<[string], number>('SELECT count(*) FROM messages WHERE id = ?')
    .pluck()
    .get(id)!;
}

describe('SqliteBroker settle: follow-ups', () => {
  it('enqueues follow-ups with the settlement, ready or delayed, skipping an id already stored', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    const backend = new SqliteResultBackend({ database: broker.database, clock: clock.now });
    await broker.enqueue([message({ id: 'existing', queue: 'next', args: ['original'] })]);
    const [parent] = await claimed(broker, ['parent']);
    const next = envelope({ id: 'next-1', queue: 'next', priority: 4, args: [3, 'x'] });
    const later = envelope({ id: 'later-1', queue: 'later' });
    const copy = envelope({ id: 'existing', queue: 'next', args: ['copy'] });

    await broker.settle([
      complete(
        parent!,
        {
          followUps: [
            { envelope: next },
            { envelope: later, dueAt: clock.now() + 5_000 },
            { envelope: copy },
          ],
        },
        3,
      ),
    ]);

    expect(await broker.locate('parent')).toBeUndefined();
    expect(await backend.get('parent')).toMatchObject({ state: 'SUCCESS', result: 3 });
    expect(await broker.locate('next-1')).toEqual({ queue: 'next', state: 'PENDING', envelope: next });
    expect(await broker.locate('later-1')).toEqual({ queue: 'later', state: 'PENDING', envelope: later });
    expect(decodeEnvelope(storedText(broker, 'existing')!).args).toEqual(['original']);
    expect(messageCount(broker, 'existing')).toBe(1);
    expect(await broker.queueStats()).toEqual([
      { name: 'later', waiting: 0, delayed: 1, active: 0, dlq: 0 },
      { name: 'members', waiting: 0, delayed: 0, active: 0, dlq: 0 },
      { name: 'next', waiting: 2, delayed: 0, active: 0, dlq: 0 },
    ]);

    // The follow-up is ordered by its priority like any enqueued message, and the delayed one waits.
    const first = await broker.claim({
      queues: ['next'],
      max: 5,
      workerId: 'w',
      leaseMs: 1_000,
      maxDeliveries: 5,
    });
    expect(first.deliveries.map((d) => d.id)).toEqual(['next-1', 'existing']);
    expect(
      (await broker.claim({ queues: ['later'], max: 5, workerId: 'w', leaseMs: 1_000, maxDeliveries: 5 }))
        .nextWakeAt,
    ).toBe(clock.now() + 5_000);
    clock.advance(5_000);
    const due = await broker.claim({
      queues: ['later'],
      max: 5,
      workerId: 'w',
      leaseMs: 1_000,
      maxDeliveries: 5,
    });
    expect(due.deliveries.map((d) => d.id)).toEqual(['later-1']);
  });

  it('wakes a local waiter when a settlement enqueues follow-ups', async () => {
    const { broker } = useBroker();
    const [parent] = await claimed(broker, ['parent']);
    await broker.claim({ queues: ['next'], max: 1, workerId: 'w', leaseMs: 1_000, maxDeliveries: 5 });
    const waiting = broker.waitForWork(['next'], Date.now() + 60_000, new AbortController().signal);
    await broker.settle([complete(parent!, { followUps: [message({ id: 'woken', queue: 'next' })] })]);
    await waiting;
    expect(await broker.locate('woken')).toMatchObject({ state: 'PENDING' });
  });

  it('applies nothing of a settlement whose effects fail: one transaction', async () => {
    const { broker } = useBroker();
    const backend = new SqliteResultBackend({ database: broker.database });
    const [parent] = await claimed(broker, ['parent']);
    broker.database.exec(
      `CREATE TEMP TRIGGER refuse_boom BEFORE INSERT ON main.messages WHEN NEW.id = 'boom'
       BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );
    const effects: WorkflowEffects = {
      followUps: [message({ id: 'fine', queue: 'next' }), message({ id: 'boom', queue: 'next' })],
      records: [record('skipped', { state: 'FAILURE' })],
    };
    await expect(broker.settle([complete(parent!, effects)])).rejects.toThrow(/refused/);
    expect(await broker.locate('parent')).toMatchObject({ state: 'RECEIVED' });
    expect(await broker.locate('fine')).toBeUndefined();
    expect(await backend.get('parent')).toBeUndefined();
    expect(await backend.get('skipped')).toBeUndefined();
  });
});

describe('SqliteBroker settle: chords', () => {
  it('enqueues the body once, when the last member joins, with the results in index order first', async () => {
    const { broker } = useBroker();
    const body = envelope({ id: 'body', name: 'sum', queue: 'bodies', priority: 7, args: ['own', 5] });
    const c = chord('c1', 3, body);
    const [m0, m1, m2] = await claimed(broker, ['m0', 'm1', 'm2']);

    await broker.settle([complete(m2!, { chordJoin: c.join(2, [1, 'two']) })]);
    await broker.settle([complete(m0!, { chordJoin: c.join(0, { zero: 0 }) })]);
    expect(storedText(broker, 'body')).toBeUndefined();
    await broker.settle([complete(m1!, { chordJoin: c.join(1, null) })]);

    const decoded = decodeEnvelope(storedText(broker, 'body')!);
    expect(decoded).toEqual({ ...body, args: [[{ zero: 0 }, null, [1, 'two']], 'own', 5] });
    expect(await broker.locate('body')).toMatchObject({ queue: 'bodies', state: 'PENDING' });
    const { deliveries } = await broker.claim({
      queues: ['bodies'],
      max: 5,
      workerId: 'w',
      leaseMs: 1_000,
      maxDeliveries: 5,
    });
    expect(deliveries.map((d) => [d.id, d.envelope?.priority])).toEqual([['body', 7]]);
  });

  it('counts a member that joins twice once, keeping its first result, and never enqueues the body again', async () => {
    const { broker } = useBroker();
    const body = envelope({ id: 'body', queue: 'bodies', args: [] });
    const c = chord('c2', 2, body);
    const [first, again, other, late] = await claimed(broker, ['m0', 'm0-redelivered', 'm1', 'm1-late']);

    await broker.settle([complete(first!, { chordJoin: c.join(0, 'first') })]);
    await broker.settle([complete(again!, { chordJoin: c.join(0, 'second') })]);
    expect(storedText(broker, 'body')).toBeUndefined();
    await broker.settle([complete(other!, { chordJoin: c.join(1, 'one') })]);
    expect(decodeEnvelope(storedText(broker, 'body')!).args).toEqual([['first', 'one']]);

    // The body runs and ends; a member redelivered afterwards still does not bring it back.
    const [ran] = (
      await broker.claim({ queues: ['bodies'], max: 5, workerId: 'w', leaseMs: 1_000, maxDeliveries: 5 })
    ).deliveries;
    await broker.settle([{ kind: 'complete', delivery: ran!, record: undefined }]);
    await broker.settle([complete(late!, { chordJoin: c.join(1, 'one') })]);
    expect(storedText(broker, 'body')).toBeUndefined();
    expect(broker.database.prepare('SELECT size, done, failed FROM chords').all()).toEqual([
      { size: 2, done: 2, failed: 0 },
    ]);
  });

  it('enqueues an immutable body as given, delayed until its due time, once even when its id exists', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    const body = envelope({ id: 'si-body', queue: 'bodies', args: ['only', 'mine'] });
    const c = chord('c3', 2, body, { immutable: true, dueAt: clock.now() + 10_000 });
    const [m0, m1] = await claimed(broker, ['m0', 'm1']);
    await broker.settle([
      complete(m0!, { chordJoin: c.join(0, 1) }),
      complete(m1!, { chordJoin: c.join(1, 2) }),
    ]);

    expect(storedText(broker, 'si-body')).toBe(encodeEnvelope(body));
    expect(await broker.locate('si-body')).toEqual({ queue: 'bodies', state: 'PENDING', envelope: body });
    expect((await broker.queueStats()).find((s) => s.name === 'bodies')).toMatchObject({
      waiting: 0,
      delayed: 1,
    });

    // A body whose id is already stored is not enqueued a second time.
    const taken = envelope({ id: 'taken', queue: 'bodies', args: ['first'] });
    await broker.enqueue([{ envelope: taken }]);
    const d = chord('c4', 1, { ...taken, args: ['second'] }, { immutable: true });
    const [m2] = await claimed(broker, ['m2']);
    await broker.settle([complete(m2!, { chordJoin: d.join(0, 3) })]);
    expect(decodeEnvelope(storedText(broker, 'taken')!).args).toEqual(['first']);
    expect(messageCount(broker, 'taken')).toBe(1);
  });

  it('fails the body once into the DLQ with its record; a second failure and later joins change nothing', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    const backend = new SqliteResultBackend({ database: broker.database, clock: clock.now });
    const body = envelope({ id: 'body', name: 'sum', queue: 'bodies' });
    const c = chord('c5', 3, body);
    const failure = (member: string, failedAt: number) => ({
      chordId: 'c5',
      ttlMs: TTL_MS,
      body: {
        id: 'body',
        queue: 'bodies',
        entry: deadEntry('body', 'bodies', `chord member ${member} failed`, failedAt),
        record: record('body', {
          name: 'sum',
          queue: 'bodies',
          state: 'FAILURE',
          result: undefined,
          error: { name: 'ChordError', message: `chord member ${member} failed` },
        }),
      },
    });
    const [m0, m1, m2, m1Again] = await claimed(broker, ['m0', 'm1', 'm2', 'm1-again']);

    await broker.settle([complete(m0!, { chordJoin: c.join(0, 0) })]);
    await broker.settle([dead(m1!, { chordFailure: failure('m1', clock.now()) })]);
    expect(await broker.dlq.get('m1')).toMatchObject({ id: 'm1' });
    const entry = await broker.dlq.get('body');
    expect(entry).toEqual(failure('m1', clock.now()).body.entry);
    expect(await backend.get('body')).toMatchObject({
      state: 'FAILURE',
      error: { message: 'chord member m1 failed' },
    });
    expect((await broker.queueStats()).find((s) => s.name === 'bodies')).toMatchObject({ dlq: 1 });

    clock.advance(1_000);
    await broker.settle([dead(m2!, { chordFailure: failure('m2', clock.now()) })]);
    expect(await broker.dlq.get('body')).toEqual(entry);
    expect(await backend.get('body')).toMatchObject({ error: { message: 'chord member m1 failed' } });

    await broker.settle([complete(m1Again!, { chordJoin: c.join(1, 1) })]);
    const [m2Again] = await claimed(broker, ['m2-again']);
    await broker.settle([complete(m2Again!, { chordJoin: c.join(2, 2) })]);
    expect(storedText(broker, 'body')).toBeUndefined();
    expect(await broker.dlq.stats()).toEqual({ bodies: 1, members: 2 });
  });

  it('creates the chord on a failure seen first, and ignores a failure once the body was enqueued', async () => {
    const { broker } = useBroker();
    const failure = (chordId: string, bodyId: string) => ({
      chordId,
      ttlMs: TTL_MS,
      body: {
        id: bodyId,
        queue: 'bodies',
        entry: deadEntry(bodyId, 'bodies', 'member failed'),
        record: record(bodyId, { state: 'FAILURE' }),
      },
    });
    const [m0, m1, m2, m3] = await claimed(broker, ['m0', 'm1', 'm2', 'm3']);
    await broker.settle([dead(m0!, { chordFailure: failure('first-fails', 'body-a') })]);
    await broker.settle([
      complete(m1!, { chordJoin: chord('first-fails', 1, envelope({ id: 'body-a' })).join(0, 1) }),
    ]);
    expect(storedText(broker, 'body-a')).toBeUndefined();
    expect(await broker.dlq.get('body-a')).toBeDefined();

    // A duplicate run of a member that already joined cannot fail a body that was enqueued.
    await broker.settle([
      complete(m2!, { chordJoin: chord('done', 1, envelope({ id: 'body-b' })).join(0, 1) }),
    ]);
    await broker.settle([dead(m3!, { chordFailure: failure('done', 'body-b') })]);
    expect(storedText(broker, 'body-b')).toBeDefined();
    expect(await broker.dlq.get('body-b')).toBeUndefined();
  });

  it('forgets a chord ttlMs after its last write: expired rows are invisible, then cleaned up', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    const body = envelope({ id: 'body', queue: 'bodies', args: [] });
    const c = chord('c6', 2, body);
    const [m0, m1, m0Again, other] = await claimed(broker, ['m0', 'm1', 'm0-again', 'other']);
    await broker.settle([complete(m0!, { chordJoin: c.join(0, 'a') })]);

    // Past the TTL the chord starts afresh, as a Redis key would have expired.
    clock.advance(TTL_MS);
    await broker.settle([complete(m1!, { chordJoin: c.join(1, 'b') })]);
    expect(storedText(broker, 'body')).toBeUndefined();
    clock.advance(TTL_MS - 1);
    await broker.settle([complete(m0Again!, { chordJoin: c.join(0, 'c') })]);
    expect(decodeEnvelope(storedText(broker, 'body')!).args).toEqual([['c', 'b']]);

    await broker.settle([complete(other!, { chordJoin: chord('c7', 2, body).join(0, 'x') })]);
    expect(countRows(broker.database, 'chords')).toBe(2);
    clock.advance(TTL_MS);
    await broker.claim({ queues: ['members'], max: 1, workerId: 'w', leaseMs: 1_000, maxDeliveries: 5 });
    expect(countRows(broker.database, 'chords')).toBe(0);
    expect(countRows(broker.database, 'chord_results')).toBe(0);
  });

  it('enqueues the body once when two brokers on one file join the last members concurrently', async () => {
    const { broker, peer } = useBroker();
    const other = peer();
    const chords = 40;
    const body = (n: number) => envelope({ id: `body-${n}`, queue: 'bodies', args: [n] });
    const ids = Array.from({ length: chords }, (_, n) => [`a-${n}`, `b-${n}`, `c-${n}`]).flat();
    const members = await claimed(broker, ids);
    await broker.settle(
      Array.from({ length: chords }, (_, n) =>
        complete(members[3 * n]!, { chordJoin: chord(`k${n}`, 3, body(n)).join(0, 'a') }),
      ),
    );
    await Promise.all(
      Array.from({ length: chords }, (_, n) => {
        const c = chord(`k${n}`, 3, body(n));
        return Promise.all([
          broker.settle([complete(members[3 * n + 1]!, { chordJoin: c.join(1, 'b') })]),
          other.settle([complete(members[3 * n + 2]!, { chordJoin: c.join(2, 'c') })]),
        ]);
      }),
    );
    const { deliveries } = await other.claim({
      queues: ['bodies'],
      max: 2 * chords,
      workerId: 'w',
      leaseMs: 1_000,
      maxDeliveries: 5,
    });
    expect(deliveries.map((d) => d.id).sort()).toEqual(
      Array.from({ length: chords }, (_, n) => `body-${n}`).sort(),
    );
    expect(deliveries.every((d) => JSON.stringify(d.envelope?.args[0]) === '["a","b","c"]')).toBe(true);
  });
});

describe('SqliteBroker settle: cancelled steps', () => {
  it('writes the records of cancelled steps, replacing existing ones', async () => {
    const { broker } = useBroker();
    const backend = new SqliteResultBackend({ database: broker.database });
    await backend.put([record('step-2', { state: 'SUCCESS', result: 'stale' })]);
    const [failed] = await claimed(broker, ['step-1']);
    const cancelled = ['step-2', 'step-3'].map((id) =>
      record(id, {
        state: 'FAILURE',
        result: undefined,
        error: { name: 'ChainError', message: 'step-1 failed' },
      }),
    );
    await broker.settle([dead(failed!, { records: cancelled })]);
    expect(await backend.get('step-1')).toMatchObject({ state: 'FAILURE' });
    for (const id of ['step-2', 'step-3']) {
      const stored = await backend.get(id);
      expect(stored).toMatchObject({ state: 'FAILURE', error: { name: 'ChainError' } });
      expect(stored?.result).toBeUndefined();
    }
  });

  it('leaves cancelled and chord failure records to the caller when writesRecords is false', async () => {
    const { broker } = useBroker({ writesRecords: false });
    const backend = new SqliteResultBackend({ database: broker.database });
    const [m0] = await claimed(broker, ['m0']);
    await broker.settle([
      dead(m0!, {
        records: [record('step-2', { state: 'FAILURE' })],
        chordFailure: {
          chordId: 'quiet',
          ttlMs: TTL_MS,
          body: {
            id: 'body',
            queue: 'bodies',
            entry: deadEntry('body', 'bodies', 'x'),
            record: record('body'),
          },
        },
      }),
    ]);
    expect(await backend.get('step-2')).toBeUndefined();
    expect(await backend.get('body')).toBeUndefined();
    expect(await broker.dlq.get('body')).toBeDefined();
  });

  it('refuses a chord body with neither prefix nor envelope before touching the database', async () => {
    const { broker } = useBroker();
    const [m0] = await claimed(broker, ['m0']);
    const join: ChordJoin = {
      chordId: 'bad',
      index: 0,
      size: 1,
      resultJson: '1',
      ttlMs: TTL_MS,
      body: { id: 'b', queue: 'q', priority: 0 },
    };
    await expect(broker.settle([complete(m0!, { chordJoin: join })])).rejects.toThrow(
      /neither prefix nor envelope/,
    );
    expect(await broker.locate('m0')).toMatchObject({ state: 'RECEIVED' });
  });
});
