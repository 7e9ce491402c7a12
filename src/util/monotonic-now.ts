/**
 * Milliseconds, with a fraction, on the monotonic clock that timers keep to: for the due times of
 * timers. `performance.now()` reads the same clock, but Node loads its performance-timing modules
 * on the first touch of `performance`, ~40 KB of heap in every worker (docs/performance-history.md).
 */
export function monotonicNow(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
