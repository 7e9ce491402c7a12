/**
 * Wall-clock time in milliseconds with sub-millisecond precision.
 *
 * `Date.now()` only has 1 ms resolution, too coarse for enqueue→complete latencies that sit
 * around a millisecond. `performance.timeOrigin + performance.now()` is epoch-based too, so
 * stamps taken in different processes on the same machine can be subtracted from each other.
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms` milliseconds (used only for pacing and settling, never to wait for work). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
