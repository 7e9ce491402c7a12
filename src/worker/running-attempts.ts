import type { Attempt } from './executor.js';

/**
 * The attempts a worker runs now, in reusable slots. Not a `Map`: a busy worker's running set
 * fills and empties with every batch, and a `Map` rehashes its table each time it grows or
 * shrinks. V8 links every discarded table to its successor, so one old table promoted to the
 * old generation keeps every later table — and every attempt in them — alive until the next full
 * collection; measured on a no-op drain, ~3 MB of finished attempts promoted per scavenge.
 */
export class RunningAttempts {
  private readonly slots: (Attempt | undefined)[] = [];
  private readonly free: number[] = [];
  private count = 0;

  /** Number of attempts running. */
  get size(): number {
    return this.count;
  }

  add(attempt: Attempt): void {
    const slot = this.free.pop() ?? this.slots.length;
    this.slots[slot] = attempt;
    attempt.slot = slot;
    this.count++;
  }

  /** Removes `attempt`; false when it was not running. */
  delete(attempt: Attempt): boolean {
    const slot = attempt.slot;
    if (slot === undefined || this.slots[slot] !== attempt) return false;
    this.slots[slot] = undefined;
    attempt.slot = undefined;
    this.free.push(slot);
    this.count--;
    return true;
  }

  /** The running attempt of message `id` (a scan: revokes are rare). */
  find(id: string): Attempt | undefined {
    return this.slots.find((attempt) => attempt?.delivery.id === id);
  }

  /** The running attempts, in no particular order. */
  values(): Attempt[] {
    return this.slots.filter((attempt): attempt is Attempt => attempt !== undefined);
  }
}
