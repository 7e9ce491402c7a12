import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { queueKeys } from '../../src/brokers/redis/keys.js';
import { useRedisBrokers } from '../helpers/redis-brokers.js';
import { message } from '../sqlite/sqlite-test-kit.js';

const { client, makeBroker } = useRedisBrokers();

/** Resolves once a client is blocked in Redis (the wait has reached the server). */
async function waitUntilBlocked(): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!/blocked_clients:[1-9]/.test(await client().info('clients'))) {
    if (Date.now() > deadline) throw new Error('no client blocked within 5 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const claimFor = (max: number) => ({
  queues: ['default'],
  max,
  workerId: 'w1',
  leaseMs: 30_000,
  maxDeliveries: 5,
});

describe('RedisBroker.waitForWork with a claim behind the wait', () => {
  it('claims what woke it in the same round trip, leased by the clock of Redis', async () => {
    const worker = makeBroker();
    const producer = makeBroker();
    const never = new AbortController().signal;
    const waiting = worker.waitForWork(['default'], Date.now() + 10_000, never, claimFor(5));
    await producer.enqueue([message({ id: 'm1' }), message({ id: 'm2' })]);
    const claimed = await waiting;
    expect(claimed?.deliveries.map((delivery) => delivery.id)).toEqual(['m1', 'm2']);
    const [seconds] = await client().time();
    const lease = Number(await client().zscore(queueKeys('default').leases, 'm1'));
    // Leased from Redis's own clock at the moment it ran, not from a time sent before the wait.
    expect(Math.abs(lease - (Number(seconds) * 1000 + 30_000))).toBeLessThan(2_000);
    expect(await client().llen(queueKeys('default').ready)).toBe(0);
  });

  it('claims a delayed message that fell due while it waited, with a worker clock far behind', async () => {
    const stale = Date.now() - 60_000;
    const worker = makeBroker(() => stale);
    const producer = makeBroker();
    await producer.enqueue([message({ id: 'later' }, Date.now() + 50)]);
    // Sleep through to the wait's end rather than wake for the marker at once.
    await client().del(queueKeys('default').marker);
    const never = new AbortController().signal;
    // The worker's clock says a minute ago: a claim carrying it would not see the message as due.
    const claimed = await worker.waitForWork(['default'], stale + 200, never, claimFor(5));
    expect(claimed?.deliveries.map((delivery) => delivery.id)).toEqual(['later']);
  });

  it('claims for several queues behind the wait, from whichever queue woke it', async () => {
    const worker = makeBroker();
    const producer = makeBroker();
    const never = new AbortController().signal;
    const request = { ...claimFor(5), queues: ['default', 'other'] };
    for (const id of ['m1', 'm2']) {
      // Twice: each claim behind a wait starts from another queue, and finds the message either way.
      const waiting = worker.waitForWork(['default', 'other'], Date.now() + 10_000, never, request);
      await waitUntilBlocked();
      await producer.enqueue([message({ id, queue: 'other' })]);
      const claimed = await waiting;
      expect(claimed?.deliveries.map((delivery) => `${delivery.queue}/${delivery.id}`)).toEqual([
        `other/${id}`,
      ]);
    }
    expect(await client().zrange(queueKeys('other').leases, 0, -1)).toEqual(['m1', 'm2']);
  });

  it('waits without claiming when outcomes are still to be stored, leaving the claim to the caller', async () => {
    const worker = makeBroker();
    const producer = makeBroker();
    await producer.enqueue([message({ id: 'done' })]);
    const [delivery] = (await worker.claim(claimFor(1))).deliveries;
    const never = new AbortController().signal;
    const request = {
      ...claimFor(5),
      settle: [{ kind: 'complete' as const, delivery: delivery!, record: undefined }],
    };
    const waiting = worker.waitForWork(['default'], Date.now() + 10_000, never, request);
    await producer.enqueue([message({ id: 'm1' })]);
    expect(await waiting).toBeUndefined();
    expect(await client().lrange(queueKeys('default').ready, 0, -1)).toEqual(['m1']);
  });

  it('claims nothing when stopped while waiting on empty queues, and the queue keeps later messages', async () => {
    const worker = makeBroker();
    const producer = makeBroker();
    const stop = new AbortController();
    const waiting = worker.waitForWork(['default'], Date.now() + 10_000, stop.signal, claimFor(5));
    stop.abort();
    expect((await waiting)?.deliveries ?? []).toEqual([]);
    await producer.enqueue([message({ id: 'm1' })]);
    expect(await client().lrange(queueKeys('default').ready, 0, -1)).toEqual(['m1']);
    expect(await client().zcard(queueKeys('default').leases)).toBe(0);
  });

  it('hands over what its claim took when stopped just as a message woke it', async () => {
    const worker = makeBroker();
    const producer = makeBroker();
    await producer.enqueue([message({ id: 'm1' })]);
    await client().del(queueKeys('default').marker); // m1 waits unannounced
    const stop = new AbortController();
    const waiting = worker.waitForWork(['default'], Date.now() + 10_000, stop.signal, claimFor(5));
    await waitUntilBlocked();
    // Wake the wait, then hold this thread so that Redis runs the claim behind it before the
    // stop, while its answer is still unread: the stop must not cut that answer off (the claimed
    // message would sit leased to nobody until its lease expired). The spin is not a timing
    // assertion: were Redis slower, the claim would run after the stop's unblock instead.
    void client().zadd(queueKeys('default').marker, 0, 'w');
    const until = Date.now() + 50;
    while (Date.now() < until) {
      // Redis works meanwhile.
    }
    stop.abort();
    expect((await waiting)?.deliveries.map((delivery) => delivery.id)).toEqual(['m1']);
  });

  it('reuses one connection and one abort listener across waits, and a stop still ends a wait', async () => {
    const worker = makeBroker();
    const producer = makeBroker();
    const stop = new AbortController();
    const blockedClients = async (): Promise<string[]> =>
      ((await client().client('LIST')) as string).split('\n').filter((line) => / cmd=bzpopmin /.test(line));
    const seen = new Set<string>();
    for (const id of ['m1', 'm2', 'm3']) {
      const waiting = worker.waitForWork(['default'], Date.now() + 10_000, stop.signal, claimFor(5));
      await waitUntilBlocked();
      for (const line of await blockedClients()) seen.add(/id=(\d+)/.exec(line)![1]!);
      await producer.enqueue([message({ id })]);
      expect((await waiting)?.deliveries.map((delivery) => delivery.id)).toEqual([id]);
    }
    expect(seen.size).toBe(1);
    // One listener for the signal's whole life, not one added and removed per wait.
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    const waiting = worker.waitForWork(['default'], Date.now() + 10_000, stop.signal, claimFor(5));
    await waitUntilBlocked();
    stop.abort();
    expect((await waiting)?.deliveries ?? []).toEqual([]);
  });
});

describe('RedisBroker.waitForWork on its timer', () => {
  // Redis would end these waits itself a second after their time (it is told `waitMs + 1 s`): a
  // wait ending well before that was ended by the connection's own timer.
  const REDIS_TIMEOUT_SLACK_MS = 1_000;
  const never = new AbortController().signal;

  /** A worker's wait of `waitMs` that a new message `id` ends at once, leaving its timer armed. */
  async function waitEndedByMessage(waitMs: number, id: string) {
    const worker = makeBroker();
    const producer = makeBroker();
    const waiting = worker.waitForWork(['default'], Date.now() + waitMs, never, claimFor(5));
    await waitUntilBlocked();
    await producer.enqueue([message({ id })]);
    expect((await waiting)?.deliveries.map((delivery) => delivery.id)).toEqual([id]);
    return { worker, producer };
  }

  it('ends a short wait on time after a long one ended early and left its timer armed', async () => {
    const { worker } = await waitEndedByMessage(10_000, 'm1');
    const started = performance.now();
    const short = await worker.waitForWork(['default'], Date.now() + 300, never, claimFor(5));
    expect(short?.deliveries).toEqual([]);
    expect(performance.now() - started).toBeLessThan(300 + REDIS_TIMEOUT_SLACK_MS - 200);
  });

  it('does not end a wait when the timer of an earlier, shorter wait goes off', async () => {
    const { worker, producer } = await waitEndedByMessage(200, 'm1');
    const long = worker.waitForWork(['default'], Date.now() + 10_000, never, claimFor(5));
    await waitUntilBlocked();
    // Past the short wait's time: its timer has gone off while the long wait was under way.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await producer.enqueue([message({ id: 'm2' })]);
    expect((await long)?.deliveries.map((delivery) => delivery.id)).toEqual(['m2']);
  });
});
