import { describe, expect, it } from 'vitest';
import type { ControlMessage } from '../../src/brokers/broker.js';
import { SqliteResultBackend } from '../../src/backends/sqlite-result-backend.js';
import { waitFor } from '../helpers/wait-for.js';
import { countRows, defaultClaim, manualClock, message, record, useBroker } from './sqlite-test-kit.js';

describe('SqliteBroker revoke', () => {
  it('removes an unstarted task at once and writes its REVOKED record', async () => {
    const { broker } = useBroker();
    const backend = new SqliteResultBackend({ database: broker.database });
    await broker.enqueue([message({ id: 'ready-one' }), message({ id: 'delayed-one' }, Date.now() + 60_000)]);
    await broker.revoke('ready-one', record('ready-one', { state: 'REVOKED', reason: 'revoked' }));
    await broker.revoke('delayed-one', record('delayed-one', { state: 'REVOKED', reason: 'revoked' }));
    expect(await broker.locate('ready-one')).toBeUndefined();
    expect(await broker.locate('delayed-one')).toBeUndefined();
    expect(await backend.get('ready-one')).toMatchObject({ state: 'REVOKED', reason: 'revoked' });
    expect((await broker.claim(defaultClaim)).deliveries).toEqual([]);
  });

  it('leaves a leased task in place, tells subscribers of other connections, and flags it on redelivery', async () => {
    const { broker, peer } = useBroker();
    const worker = peer();
    const received: ControlMessage[] = [];
    const unsubscribe = await worker.subscribeControl((m) => received.push(m));
    await broker.enqueue([message({ id: 'running' })]);
    const [delivery] = (await worker.claim(defaultClaim)).deliveries;
    expect(delivery!.revoked).toBe(false);

    await broker.revoke('running', record('running', { state: 'REVOKED' }));
    expect(await broker.locate('running')).toMatchObject({ state: 'RECEIVED' });
    expect(await new SqliteResultBackend({ database: broker.database }).get('running')).toBeUndefined();
    await waitFor(() => received.length > 0, 'the revoke control message');
    expect(received).toEqual([{ kind: 'revoke', id: 'running' }]);
    await unsubscribe();

    await worker.settle([{ kind: 'release', delivery: delivery! }]);
    const [again] = (await worker.claim(defaultClaim)).deliveries;
    expect(again).toMatchObject({ id: 'running', revoked: true });
  });

  it('records an unknown task as REVOKED unless it already has a result', async () => {
    const { broker } = useBroker();
    const backend = new SqliteResultBackend({ database: broker.database });
    await backend.put([record('finished', { state: 'SUCCESS' })]);
    await broker.revoke('finished', record('finished', { state: 'REVOKED' }));
    await broker.revoke('in-flight', record('in-flight', { state: 'REVOKED' }));
    await broker.revoke('no-record', undefined);
    expect(await backend.get('finished')).toMatchObject({ state: 'SUCCESS' });
    expect(await backend.get('in-flight')).toMatchObject({ state: 'REVOKED' });
    expect(await backend.get('no-record')).toBeUndefined();

    // A message that surfaces later (enqueued before the revoke reached the file) is flagged.
    await broker.enqueue([message({ id: 'in-flight' })]);
    expect((await broker.claim(defaultClaim)).deliveries[0]).toMatchObject({
      id: 'in-flight',
      revoked: true,
    });
  });

  it('forgets revocations after a day', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    await broker.revoke('later', undefined);
    clock.advance(24 * 3_600_000);
    await broker.enqueue([message({ id: 'later' })]);
    expect((await broker.claim(defaultClaim)).deliveries[0]).toMatchObject({ id: 'later', revoked: false });
  });
});

describe('SqliteBroker subscribeControl', () => {
  it('delivers only messages appended after subscribing, until unsubscribed', async () => {
    const { broker, peer } = useBroker();
    const other = peer();
    await broker.revoke('before', undefined);
    const seen: string[] = [];
    const unsubscribe = await other.subscribeControl((m) => seen.push(m.id));
    const local: string[] = [];
    await broker.subscribeControl((m) => local.push(m.id));
    await broker.revoke('after-1', undefined);
    await other.revoke('after-2', undefined);
    await waitFor(() => seen.length === 2 && local.length === 2, 'both control messages on both connections');
    expect(seen).toEqual(['after-1', 'after-2']);
    expect(local).toEqual(['after-1', 'after-2']);

    await unsubscribe();
    await broker.revoke('after-3', undefined);
    await waitFor(() => local.length === 3, 'the third message on the still subscribed connection');
    expect(seen).toEqual(['after-1', 'after-2']);
  });

  it('survives a handler that throws', async () => {
    const { broker } = useBroker();
    const seen: string[] = [];
    await broker.subscribeControl((m) => {
      seen.push(m.id);
      throw new Error('handler bug');
    });
    await broker.revoke('x', undefined);
    await broker.revoke('y', undefined);
    await waitFor(() => seen.length === 2, 'both messages despite the throwing handler');
  });

  it('prunes control messages older than a minute', async () => {
    const clock = manualClock();
    const { broker } = useBroker({ clock: clock.now });
    await broker.revoke('old', undefined);
    clock.advance(30_000);
    await broker.revoke('recent', undefined);
    await broker.claim(defaultClaim);
    expect(countRows(broker.database, 'control')).toBe(2);
    clock.advance(30_000);
    await broker.claim(defaultClaim);
    expect(countRows(broker.database, 'control')).toBe(1);
  });
});
