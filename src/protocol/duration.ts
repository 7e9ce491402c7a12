/** A duration: milliseconds as a number, or a string such as `'500ms'`, `'60s'`, `'5m'`, `'1h'`, `'7d'`. */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/;

/**
 * Converts a {@link Duration} to milliseconds.
 * @throws RangeError naming `what` when the value is negative, not finite or not a duration string.
 * @example toMs('5m') // 300000
 */
export function toMs(value: Duration, what = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`${what}: expected a non-negative number of milliseconds, got ${value}`);
    }
    return value;
  }
  const match = PATTERN.exec(value);
  if (!match) {
    throw new RangeError(
      `${what}: expected a duration like '500ms', '60s', '5m', '1h' or '7d', got '${value}'`,
    );
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!);
}
