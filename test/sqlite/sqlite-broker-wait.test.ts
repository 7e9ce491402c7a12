import { describe, expect, it } from 'vitest';
import { defaultClaim, message, useBroker } from './sqlite-test-kit.js';

const never = new AbortController().signal;

describe('SqliteBroker waitForWork', () => {
  it('wakes an idle worker when another connection enqueues', async () => {
    const { broker, peer } = useBroker();
    const producer = peer();
    expect((await broker.claim(defaultClaim)).deliveries).toEqual([]);
    const deadline = Date.now() + 10_000;
    const woken = broker.waitForWork(['default'], deadline, never);
    await producer.enqueue([message({ id: 'new' })]);
    await woken;
    expect(Date.now()).toBeLessThan(deadline);
    expect((await broker.claim(defaultClaim)).deliveries.map((d) => d.id)).toEqual(['new']);
  });

  it('wakes when this connection enqueues, retries or gives back work', async () => {
    const { broker } = useBroker();
    const deadline = Date.now() + 10_000;
    await broker.claim(defaultClaim);
    const woken = broker.waitForWork(['default'], deadline, never);
    await broker.enqueue([message({ id: 'local' })]);
    await woken;
    expect(Date.now()).toBeLessThan(deadline);

    const [delivery] = (await broker.claim(defaultClaim)).deliveries;
    const again = broker.waitForWork(['default'], deadline, never);
    await broker.settle([{ kind: 'release', delivery: delivery! }]);
    await again;
    expect(Date.now()).toBeLessThan(deadline);
  });

  it('returns at once for work committed between the last claim and the wait', async () => {
    const { broker, peer } = useBroker();
    await broker.claim(defaultClaim);
    await peer().enqueue([message()]);
    const deadline = Date.now() + 10_000;
    await broker.waitForWork(['default'], deadline, never);
    expect(Date.now()).toBeLessThan(deadline);
  });

  it('sleeps through commits that bring its queues no work, until untilMs', async () => {
    const { broker, peer } = useBroker();
    const other = peer();
    await broker.claim(defaultClaim);
    const started = Date.now();
    const waiting = broker.waitForWork(['default'], started + 300, never);
    await other.enqueue([message({ queue: 'elsewhere' })]);
    await other.enqueue([message({}, started + 60_000)]);
    await waiting;
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('wakes for a delayed message due before untilMs, and at once on abort', async () => {
    const { broker, peer } = useBroker();
    await broker.claim(defaultClaim);
    const deadline = Date.now() + 10_000;
    const woken = broker.waitForWork(['default'], deadline, never);
    await peer().enqueue([message({}, Date.now() + 1_000)]);
    await woken;
    expect(Date.now()).toBeLessThan(deadline);

    await broker.claim(defaultClaim);
    const controller = new AbortController();
    const aborted = broker.waitForWork(['default'], Date.now() + 10_000, controller.signal);
    controller.abort();
    await aborted;
    await broker.waitForWork(['default'], Date.now() + 10_000, controller.signal);
    await broker.waitForWork(['default'], Date.now() - 1, never);
  });
});
