import { earlyTimeout } from './early-timeout.js';
import { monotonicNow } from './monotonic-now.js';
import { msUntil } from './ms-until.js';

/** A deadline waiting in a {@link DeadlineTimer}; pass it to `cancel`. */
export interface Deadline {
  /** When it is due, on the {@link monotonicNow} clock. */
  readonly at: number;
}

interface Entry extends Deadline {
  /** Called with `arg`, which it was set with (so no closure is needed per deadline). */
  fire: (arg: never) => void;
  arg: unknown;
  /** The lane it waits in; none once it fired or was cancelled. */
  lane: Lane | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

/** The pending deadlines of one duration, oldest first (so each lane is sorted by `at`). */
interface Lane {
  head: Entry | undefined;
  tail: Entry | undefined;
}

/**
 * Many deadlines on one timer, as Node keeps its own timers: deadlines of the same duration sit
 * in one lane in the order they were set, so a lane's first entry is its earliest, and a single
 * timer waits for the earliest of those. Setting and cancelling are O(1) and allocate one small
 * entry, instead of a `Timeout` per deadline (a task's hard timeout is set and cleared for every
 * task; a `Timeout` is a larger object, and under AsyncLocalStorage each one runs an async hook).
 *
 * The timer is unref'd and stays armed when its deadline is cancelled: it wakes once at the stale
 * time and re-arms for the earliest deadline still pending.
 */
export class DeadlineTimer {
  private readonly lanes = new Map<number, Lane>();
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  /** Calls `fire(arg)` once `ms` have passed, unless cancelled first. */
  set<T>(ms: number, fire: (arg: T) => void, arg: T): Deadline {
    let lane = this.lanes.get(ms);
    if (!lane) {
      lane = { head: undefined, tail: undefined };
      this.lanes.set(ms, lane);
    }
    const entry: Entry = { at: monotonicNow() + ms, fire, arg, lane, prev: lane.tail, next: undefined };
    if (lane.tail) lane.tail.next = entry;
    else lane.head = entry;
    lane.tail = entry;
    if (entry.at < this.armedAt) this.arm(entry.at);
    return entry;
  }

  /** Stops a deadline from firing; a no-op once it fired or was cancelled. */
  cancel(deadline: Deadline): void {
    const entry = deadline as Entry;
    const lane = entry.lane;
    if (!lane) return;
    if (entry.prev) entry.prev.next = entry.next;
    else lane.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else lane.tail = entry.prev;
    entry.lane = entry.prev = entry.next = undefined;
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = at;
    // Ends a long wait a little early (see earlyTimeout): `expire` re-arms for what is not yet due.
    this.timer = setTimeout(() => this.expire(), earlyTimeout(msUntil(at)));
    this.timer.unref();
  }

  /** Fires every due deadline, earliest first, then waits for the earliest one left. */
  private expire(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = monotonicNow();
    let failure: { error: unknown } | undefined;
    for (let entry = this.earliest(); entry; entry = this.earliest()) {
      if (entry.at > now) {
        if (entry.at < this.armedAt) this.arm(entry.at);
        break;
      }
      this.cancel(entry);
      try {
        entry.fire(entry.arg as never);
      } catch (error) {
        failure ??= { error };
      }
    }
    // Lanes of durations no longer in use go (kept while in use: a lane per set would churn the map).
    for (const [ms, lane] of this.lanes) if (!lane.head) this.lanes.delete(ms);
    // As from a timer callback of its own: the other deadlines still fired and the timer is armed.
    if (failure) throw failure.error;
  }

  /** Durations with a lane (for tests: lanes of durations no longer in use are dropped). */
  get laneCount(): number {
    return this.lanes.size;
  }

  /** The earliest pending deadline: the earliest of the lanes' first entries. */
  private earliest(): Entry | undefined {
    let earliest: Entry | undefined;
    for (const lane of this.lanes.values()) {
      if (lane.head && (!earliest || lane.head.at < earliest.at)) earliest = lane.head;
    }
    return earliest;
  }
}
