import { describe, expect, it } from 'vitest';
import type { Broker, ClaimRequest } from '../../src/brokers/broker.js';
import type { DlqEntry } from '../../src/dlq/dlq-entry.js';
import { SqliteResultBackend } from '../../src/backends/sqlite-result-backend.js';
import { envelope, manualClock, record, useBroker } from './sqlite-test-kit.js';

function request(queue: string): ClaimRequest {
  return { queues: [queue], max: 10, workerId: 'w1', leaseMs: 30_000, maxDeliveries: 5 };
}

/** Sends task `id` through a claim into the DLQ at `failedAt`, as a worker would. */
async function bury(broker: Broker, id: string, queue: string, failedAt: number): Promise<DlqEntry> {
  const sent = envelope({ id, queue, attempt: 4 });
  await broker.enqueue([{ envelope: sent }]);
  const delivery = (await broker.claim(request(queue))).deliveries.find((d) => d.id === id)!;
  const entry: DlqEntry = {
    id,
    name: sent.name,
    queue,
    args: sent.args,
    error: { name: 'Error', message: `failed ${id}` },
    attempts: 4,
    reason: 'retries exhausted',
    failedAt,
    envelope: sent,
  };
  await broker.settle([{ kind: 'dead', delivery, entry, record: record(id, { state: 'FAILURE', queue }) }]);
  return entry;
}

describe('SqliteDlqStore', () => {
  it('lists entries oldest first, with offset and limit, of one queue or all', async () => {
    const { broker } = useBroker();
    const c = await bury(broker, 'c', 'mail', 3_000);
    const a = await bury(broker, 'a', 'mail', 1_000);
    const b = await bury(broker, 'b', 'sms', 2_000);
    expect(await broker.dlq.list({ limit: 10, offset: 0 })).toEqual([a, b, c]);
    expect(await broker.dlq.list({ limit: 1, offset: 1 })).toEqual([b]);
    expect(await broker.dlq.list({ queue: 'mail', limit: 10, offset: 0 })).toEqual([a, c]);
    expect(await broker.dlq.list({ queue: 'mail', limit: 10, offset: 2 })).toEqual([]);
    expect(await broker.dlq.get('b')).toEqual(b);
    expect(await broker.dlq.get('nope')).toBeUndefined();
    expect(await broker.dlq.stats()).toEqual({ mail: 2, sms: 1 });
  });

  it('replays atomically: entry gone, message queued with attempts reset, old record deleted', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    const backend = new SqliteResultBackend({ database: broker.database, clock: clock.now });
    const entry = await bury(broker, 'again', 'mail', clock.now());
    expect(await backend.get('again')).toMatchObject({ state: 'FAILURE' });

    const fresh = { ...entry.envelope!, attempt: 1 };
    expect(await broker.dlq.replay('again', { envelope: fresh })).toBe(true);
    expect(await broker.dlq.get('again')).toBeUndefined();
    expect(await backend.get('again')).toBeUndefined();
    expect(await broker.locate('again')).toEqual({ queue: 'mail', state: 'PENDING', envelope: fresh });
    const [delivery] = (await broker.claim(request('mail'))).deliveries;
    expect(delivery).toMatchObject({ id: 'again', envelope: fresh, deliveries: 1 });

    expect(await broker.dlq.replay('again', { envelope: fresh })).toBe(false);
  });

  it('replays to a later time when the message is due later', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    const entry = await bury(broker, 'later', 'mail', clock.now());
    await broker.dlq.replay('later', { envelope: entry.envelope!, dueAt: clock.now() + 1_000 });
    expect((await broker.claim(request('mail'))).nextWakeAt).toBe(clock.now() + 1_000);
    clock.advance(1_000);
    expect((await broker.claim(request('mail'))).deliveries.map((d) => d.id)).toEqual(['later']);
  });

  it('refuses to replay onto another queue and leaves the entry in place', async () => {
    const { broker } = useBroker();
    const entry = await bury(broker, 'stay', 'mail', 1);
    await expect(
      broker.dlq.replay('stay', { envelope: { ...entry.envelope!, queue: 'sms' } }),
    ).rejects.toThrow(/must stay on queue mail/);
    expect(await broker.dlq.get('stay')).toEqual(entry);
  });

  it('removes one entry, and purges one queue or all', async () => {
    const { broker } = useBroker();
    await bury(broker, 'r1', 'mail', 1);
    await bury(broker, 'r2', 'mail', 2);
    await bury(broker, 'r3', 'sms', 3);
    await bury(broker, 'r4', 'push', 4);
    expect(await broker.dlq.remove('r1')).toBe(true);
    expect(await broker.dlq.remove('r1')).toBe(false);
    expect(await broker.dlq.purge('mail')).toBe(1);
    expect(await broker.dlq.stats()).toEqual({ push: 1, sms: 1 });
    expect(await broker.dlq.purge()).toBe(2);
    expect(await broker.dlq.stats()).toEqual({});
  });
});
