/** Summary statistics over benchmark samples; all functions ignore input order. */

/** Sorts a copy ascending, so callers keep their raw sample order. */
function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * The `p`-th percentile (0–100) by linear interpolation between closest ranks, so small
 * sample sets (quick mode) still give a sensible p99 instead of just the maximum.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const rank = (p / 100) * (s.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = s[low] ?? Number.NaN;
  const b = s[high] ?? Number.NaN;
  return a + (b - a) * (rank - low);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

// reduce rather than Math.min(...values): spreading tens of thousands of samples can overflow the stack.
export function min(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => (b < a ? b : a));
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => (b > a ? b : a));
}

/** Median and spread of one metric across repetitions. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  count: number;
}

export function summarize(values: readonly number[]): Summary {
  return { median: median(values), min: min(values), max: max(values), count: values.length };
}

/**
 * Whether two systems' min–max ranges over their repetitions overlap: then the run does not tell
 * them apart, whatever their medians say. Needs two or more repetitions on each side.
 */
export function rangesOverlap(a: Summary | undefined, b: Summary | undefined): boolean {
  if (!a || !b || a.count < 2 || b.count < 2) return false;
  return a.min <= b.max && b.min <= a.max;
}

/**
 * Whether the run tells two systems apart: two or more repetitions on each side, and min–max ranges
 * that do not meet. A single repetition has no spread, so it decides nothing.
 */
export function rangesApart(a: Summary, b: Summary): boolean {
  return a.count >= 2 && b.count >= 2 && !rangesOverlap(a, b);
}
