import { describe, expect, it, vi } from 'vitest';
import type { Settlement } from '../../src/brokers/broker.js';
import { queueKeys, resultKey } from '../../src/brokers/redis/keys.js';
import { RedisBroker } from '../../src/brokers/redis/redis-broker.js';
import { useRedisBrokers } from '../helpers/redis-brokers.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { message, record } from '../sqlite/sqlite-test-kit.js';

const { client, makeBroker } = useRedisBrokers();

const claimAll = { queues: ['default'], max: 10, workerId: 'w1', leaseMs: 30_000, maxDeliveries: 5 };

describe('Turbine functions in Redis', () => {
  it('loads its function library on first use, and again after the server lost it', async () => {
    const broker = makeBroker();
    await broker.enqueue([message({ id: 'm1' })]);
    const libraries = (await client().function('LIST')) as unknown[][];
    expect(libraries.map((library) => library[1])).toEqual([expect.stringMatching(/^turbine_[0-9a-f]{12}$/)]);

    await client().function('FLUSH');
    await broker.enqueue([message({ id: 'm2' })]);
    const claimed = await broker.claim(claimAll);
    expect(claimed.deliveries.map((delivery) => delivery.id)).toEqual(['m1', 'm2']);
  });

  it("hands a function call's arguments to ioredis as they are, without Array.prototype.flat", async () => {
    // ioredis copies every command's arguments with `flat`, ~170 ns an element (fcall-command.ts).
    const broker = makeBroker();
    await broker.enqueue(Array.from({ length: 40 }, (_, i) => message({ id: `m${i}` })));
    const flat = vi.spyOn(Array.prototype, 'flat');
    try {
      const { deliveries } = await broker.claim({ ...claimAll, max: 40 });
      await broker.settle(
        deliveries.map((delivery) => ({ kind: 'complete', delivery, record: record(delivery.id) })),
      );
      expect(deliveries).toHaveLength(40);
      expect(flat).not.toHaveBeenCalled();
    } finally {
      flat.mockRestore();
    }
    expect(await client().hlen(queueKeys('default').messages)).toBe(0);
  });

  it('names the culprit on a Redis without functions (older than 7.0)', async () => {
    const old = await startRedisServer({ args: ['--rename-command', 'FCALL', ''] });
    const broker = new RedisBroker({ url: old.url });
    try {
      await expect(broker.enqueue([message({ id: 'm1' })])).rejects.toThrow(
        /broker: the Redis at .* needs Redis 7\.0 or newer/,
      );
    } finally {
      await broker.close();
      await old.stop();
    }
  });
});

describe('RedisBroker.settle of completions', () => {
  it('removes every trace of the messages and writes their records', async () => {
    const broker = makeBroker();
    const keys = queueKeys('default');
    await broker.enqueue([message({ id: 'm1' }), message({ id: 'm2' })]);
    const { deliveries } = await broker.claim(claimAll);
    // A start mark and an expired-lease count, which an outcome must clear too.
    await client().hset(keys.started, 'm1', 'w1|1');
    await client().hset(keys.redeliveries, 'm2', '1');
    const settlements: Settlement[] = deliveries.map((delivery) => ({
      kind: 'complete',
      delivery,
      record: record(delivery.id, { ttlMs: 60_000 }),
    }));
    await broker.settle(settlements);

    for (const key of [keys.messages, keys.started, keys.redeliveries])
      expect(await client().hlen(key)).toBe(0);
    expect(await client().zcard(keys.leases)).toBe(0);
    for (const id of ['m1', 'm2']) {
      expect(JSON.parse((await client().get(resultKey(id)))!)).toMatchObject({ id, state: 'SUCCESS' });
      expect(await client().pttl(resultKey(id))).toBeGreaterThan(50_000);
    }
  });

  it('rejects when Redis refuses, so the settler keeps the batch', async () => {
    const broker = makeBroker();
    await broker.enqueue([message({ id: 'm1' })]);
    const [delivery] = (await broker.claim(claimAll)).deliveries;
    await client().del(queueKeys('default').leases);
    await client().set(queueKeys('default').leases, 'not a sorted set');
    const settling = broker.settle([{ kind: 'complete', delivery: delivery!, record: record('m1') }]);
    await expect(settling).rejects.toThrow(/WRONGTYPE/);
  });
});
