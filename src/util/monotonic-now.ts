/**
 * Milliseconds (with a fraction) on the monotonic clock, for the due times of timers.
 * `performance.now()` reads the same clock, but the first touch of `performance` loads Node's
 * performance-timing modules, ~40 KB of heap in every worker (docs/performance-history.md).
 */
export function monotonicNow(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
