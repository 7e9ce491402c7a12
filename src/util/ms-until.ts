import { monotonicNow } from './monotonic-now.js';

/**
 * Whole milliseconds from now until `at` (on the {@link monotonicNow} clock), at least 1: what to
 * give `setTimeout`. Node runs a timer of 12.9 ms after 12, a millisecond before its time.
 */
export function msUntil(at: number): number {
  return Math.max(1, Math.ceil(at - monotonicNow()));
}
