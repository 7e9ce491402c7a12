import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteResultBackend } from '../../src/backends/sqlite-result-backend.js';
import { CLEANUP_INTERVAL_MS } from '../../src/brokers/sqlite/cleanup.js';
import { countRows, manualClock, message, record, tempDir, useBroker } from './sqlite-test-kit.js';

describe('SqliteResultBackend', () => {
  it('puts and gets records, many at once in the order asked', async () => {
    const { file, track } = tempDir();
    const backend = track(new SqliteResultBackend({ path: file() }));
    expect(backend.kind).toBe('sqlite');
    const big = 'x'.repeat(5_000);
    await backend.put([
      record('a', { result: big }),
      record('b', { state: 'FAILURE', error: { name: 'E', message: 'm' } }),
    ]);
    await backend.put([]);
    expect(await backend.get('a')).toMatchObject({ id: 'a', result: big, ttlMs: 0 });
    const many = await backend.getMany(['b', 'missing', 'a']);
    expect(many.map((r) => r?.id)).toEqual(['b', undefined, 'a']);
    expect(many[0]).toMatchObject({ state: 'FAILURE', error: { name: 'E', message: 'm' } });
    expect(await backend.getMany([])).toEqual([]);
  });

  it('hides a record the moment its TTL passes and deletes it in a later cleanup', async () => {
    const clock = manualClock();
    const { file, track } = tempDir();
    const backend = track(new SqliteResultBackend({ path: file(), clock: clock.now }));
    await backend.put([record('short', { ttlMs: 1_000 }), record('long', { ttlMs: 60_000 })]);
    clock.advance(999);
    expect(await backend.get('short')).toBeDefined();
    clock.advance(1);
    expect(await backend.get('short')).toBeUndefined();
    expect((await backend.getMany(['short', 'long'])).map((r) => r?.id)).toEqual([undefined, 'long']);

    clock.advance(CLEANUP_INTERVAL_MS);
    await backend.put([record('trigger')]);
    const db = track(new Database(file(), { readonly: true }));
    expect(db.prepare('SELECT id FROM results ORDER BY id').pluck().all()).toEqual(['long', 'trigger']);
  });

  it('shares the broker connection and reads what settle wrote; expired rows go in the claim cleanup', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    const backend = new SqliteResultBackend({ database: broker.database, clock: clock.now });
    await broker.enqueue([message({ id: 't' })]);
    const [delivery] = (
      await broker.claim({ queues: ['default'], max: 1, workerId: 'w', leaseMs: 1_000, maxDeliveries: 5 })
    ).deliveries;
    await broker.settle([{ kind: 'complete', delivery: delivery!, record: record('t', { ttlMs: 2_000 }) }]);
    expect(await backend.get('t')).toMatchObject({ state: 'SUCCESS', result: 3 });

    clock.advance(CLEANUP_INTERVAL_MS);
    expect(await backend.get('t')).toBeUndefined();
    expect(countRows(broker.database, 'results')).toBe(1);
    await broker.claim({ queues: ['default'], max: 1, workerId: 'w', leaseMs: 1_000, maxDeliveries: 5 });
    expect(countRows(broker.database, 'results')).toBe(0);

    await backend.close();
    expect(broker.database.open).toBe(true);
  });

  it('closes a connection it opened itself', async () => {
    const { file } = tempDir();
    const backend = new SqliteResultBackend({ path: file() });
    await backend.close();
    await backend.close();
    await expect(backend.get('x')).rejects.toThrow(/not open/);
  });
});
