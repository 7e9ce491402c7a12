import { describe, expect, it } from 'vitest';
import { DeadlineTimer } from './deadline-timer.js';

/** A promise that `fire` resolves, with what it was called with. */
function firing<T>(): { fire: (arg: T) => void; fired: Promise<T>; calls: T[] } {
  const calls: T[] = [];
  let resolve!: (arg: T) => void;
  const fired = new Promise<T>((r) => (resolve = r));
  return {
    fire: (arg) => {
      calls.push(arg);
      resolve(arg);
    },
    fired,
    calls,
  };
}

describe('DeadlineTimer', () => {
  it('fires each deadline once with its argument, earliest first across durations', async () => {
    const timer = new DeadlineTimer();
    const order: string[] = [];
    const last = firing<string>();
    timer.set(40, (name: string) => (order.push(name), last.fire(name)), 'long');
    timer.set(5, (name: string) => order.push(name), 'short');
    timer.set(5, (name: string) => order.push(name), 'short, set later');
    expect(await last.fired).toBe('long');
    expect(order).toEqual(['short', 'short, set later', 'long']);
  });

  it('fires overdue deadlines in due order when the event loop was held up past all of them', async () => {
    const timer = new DeadlineTimer();
    const order: number[] = [];
    const last = firing<number>();
    timer.set(20, (ms: number) => (order.push(ms), last.fire(ms)), 20);
    timer.set(10, (ms: number) => order.push(ms), 10);
    timer.set(1, (ms: number) => order.push(ms), 1);
    const heldUntil = performance.now() + 30;
    while (performance.now() < heldUntil); // every deadline is due by the time the timer runs
    await last.fired;
    expect(order).toEqual([1, 10, 20]);
  });

  it('re-arms for a shorter deadline set after a longer one', async () => {
    const timer = new DeadlineTimer();
    const long = firing<number>();
    const short = firing<number>();
    const pending = timer.set(60_000, long.fire, 1);
    timer.set(5, short.fire, 2);
    expect(await short.fired).toBe(2);
    expect(long.calls).toEqual([]);
    timer.cancel(pending);
  });

  it('never fires a cancelled deadline, and still fires the ones after it', async () => {
    const timer = new DeadlineTimer();
    const cancelled = firing<number>();
    const kept = firing<number>();
    const first = timer.set(5, cancelled.fire, 1);
    const middle = timer.set(5, cancelled.fire, 2);
    timer.set(10, kept.fire, 3);
    timer.cancel(first);
    timer.cancel(middle);
    timer.cancel(middle);
    expect(await kept.fired).toBe(3);
    expect(cancelled.calls).toEqual([]);
  });

  it('drops the lanes of durations no longer in use when the timer fires', async () => {
    const timer = new DeadlineTimer();
    for (let ms = 100; ms < 110; ms++) timer.cancel(timer.set(ms, () => undefined, ms));
    const last = firing<number>();
    timer.set(1, last.fire, 1);
    expect(timer.laneCount).toBe(11);
    await last.fired;
    expect(timer.laneCount).toBe(0);
  });

  it('takes a cancel after firing as a no-op', async () => {
    const timer = new DeadlineTimer();
    const once = firing<number>();
    const deadline = timer.set(1, once.fire, 7);
    await once.fired;
    timer.cancel(deadline);
    const next = firing<number>();
    timer.set(1, next.fire, 8);
    expect(await next.fired).toBe(8);
    expect(once.calls).toEqual([7]);
  });
});
