/**
 * Monotonic time in milliseconds with sub-millisecond precision, comparable across processes.
 *
 * `process.hrtime` reads the system-wide monotonic clock (CLOCK_MONOTONIC on Linux), so a stamp
 * taken in a producer process can be subtracted from one taken in a worker process. Epoch-based
 * `performance.timeOrigin + performance.now()` looks equivalent but its origin is estimated per
 * process and was measured to disagree by up to ~1.5 ms, as much as a whole enqueue→complete
 * latency. Date.now() is kept only where a system schedules by the epoch (delayed tasks).
 */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Resolves after `ms` milliseconds (used only for pacing and settling, never to wait for work). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
