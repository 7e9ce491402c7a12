import { describe, expect, it } from 'vitest';
import { WORK_POLL_MS, WorkWatcher } from '../../src/brokers/sqlite/work-watcher.js';
import { defaultClaim, message, useBroker } from './sqlite-test-kit.js';

const never = new AbortController().signal;
/** Longer than any test may take: a wait that ends sooner was ended by what the test checks. */
const HOUR_MS = 3_600_000;

/** A write watch the test drives: `report()` stands for a write to the WAL file. */
function manualWatch() {
  const watch = {
    starts: 0,
    stops: 0,
    report: (): void => {},
    watchWrites: (onWrite: () => void): (() => void) => {
      watch.starts++;
      watch.report = onWrite;
      return () => {
        watch.stops++;
      };
    },
  };
  return watch;
}

/** A watcher on a fresh file whose write reports the test drives, and a producer on that file. */
function watchedByHand(pollMs = HOUR_MS) {
  const { broker, peer } = useBroker();
  const watch = manualWatch();
  const watcher = new WorkWatcher(broker.database, Date.now, { pollMs, watchWrites: watch.watchWrites });
  return { broker, producer: peer(), watch, watcher };
}

describe('WorkWatcher', () => {
  it("ends a wait on another connection's commit through the WAL file, without polling", async () => {
    const { broker, peer } = useBroker();
    const producer = peer();
    const watcher = new WorkWatcher(broker.database, Date.now, { pollMs: HOUR_MS });
    const woken = watcher.wait(['default'], Date.now() + HOUR_MS, never);
    await producer.enqueue([message({ id: 'seen-by-watch' })]);
    await woken;
    expect((await broker.claim(defaultClaim)).deliveries.map((d) => d.id)).toEqual(['seen-by-watch']);
  });

  it('looks once more soon after a write whose commit it did not see yet', async () => {
    const { broker, producer, watch, watcher } = watchedByHand();
    const woken = watcher.wait(['default'], Date.now() + HOUR_MS, never);
    // The write is reported before its commit is published (SQLite writes the WAL, then its
    // index), and no report follows: only the follow-up look can find the work.
    watch.report();
    await producer.enqueue([message({ id: 'published-late' })]);
    await woken;
    expect((await broker.claim(defaultClaim)).deliveries.map((d) => d.id)).toEqual(['published-late']);
  });

  it('still ends the wait by polling where writes go unreported', async () => {
    const { broker, producer, watch, watcher } = watchedByHand(WORK_POLL_MS);
    const woken = watcher.wait(['default'], Date.now() + HOUR_MS, never);
    await producer.enqueue([message({ id: 'seen-by-poll' })]);
    await woken;
    expect(watch.starts).toBe(1);
    expect((await broker.claim(defaultClaim)).deliveries.map((d) => d.id)).toEqual(['seen-by-poll']);
  });

  it('keeps waiting through writes that bring its queues nothing, one report per look', async () => {
    const { producer: other, watch, watcher } = watchedByHand();
    const controller = new AbortController();
    let ended = false;
    const waiting = watcher.wait(['default'], Date.now() + HOUR_MS, controller.signal).then(() => {
      ended = true;
    });
    expect(watch.starts).toBe(1);
    await other.enqueue([message({ queue: 'elsewhere' })]);
    watch.report();
    // The watch stops at its first report; the look it brings forward finds nothing and watches again.
    expect(watch.stops).toBe(1);
    await expect.poll(() => watch.starts, { timeout: 2_000, interval: 1 }).toBe(2);
    expect(ended).toBe(false);
    controller.abort();
    await waiting;
    expect(watch.stops).toBe(2);
  });
});
