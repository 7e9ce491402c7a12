/** Parsers of command-line option values shared by the bench's entry points (commander). */
import { InvalidArgumentError } from 'commander';

/** `a, b,,c` → `['a', 'b', 'c']`. */
export const csv = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};
