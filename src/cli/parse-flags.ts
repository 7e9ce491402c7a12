import { InvalidArgumentError } from 'commander';

/**
 * Option-argument parsers for commander: they throw InvalidArgumentError, which commander turns
 * into one line naming the flag and the rejected value.
 */

/** A whole number ≥ 1 (`--concurrency`, `--limit`). */
export function positiveInteger(value: string): number {
  return integerAtLeast(value, 1, 'a positive integer');
}

/** A whole number ≥ 0 (`--prefetch`, `--offset`). */
export function nonNegativeInteger(value: string): number {
  return integerAtLeast(value, 0, 'a non-negative integer');
}

/** A comma-separated list of queue names (`--queues a,b`); blanks around commas are ignored. */
export function queueList(value: string): string[] {
  const queues = value
    .split(',')
    .map((queue) => queue.trim())
    .filter((queue) => queue !== '');
  if (queues.length === 0) throw new InvalidArgumentError('expected comma-separated queue names, e.g. a,b');
  return queues;
}

function integerAtLeast(value: string, min: number, expected: string): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^[+-]?\d+$/.test(trimmed) || !Number.isSafeInteger(number) || number < min) {
    throw new InvalidArgumentError(`expected ${expected}`);
  }
  return number;
}
