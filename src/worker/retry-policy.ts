import type { ResolvedTaskOptions } from '../config/task-options.js';
import { PermanentError } from '../errors/permanent-error.js';
import { TransientError } from '../errors/transient-error.js';

/**
 * The wait before retry `retryNumber` (1 for the first retry): `retryDelay × 2^(n−1)`, capped by
 * `retryBackoffMax`; with jitter, a uniform draw from [½w, w].
 */
export function backoffMs(
  retryNumber: number,
  options: Pick<ResolvedTaskOptions, 'retryDelayMs' | 'retryBackoffMaxMs' | 'retryJitter'>,
  random: () => number = Math.random,
): number {
  const wait = Math.min(options.retryDelayMs * 2 ** Math.max(0, retryNumber - 1), options.retryBackoffMaxMs);
  return options.retryJitter ? Math.round(wait / 2 + (random() * wait) / 2) : wait;
}

/** Why an attempt's failure must not be retried, or undefined when it may be. */
export function permanentReason(
  error: unknown,
  options: Pick<ResolvedTaskOptions, 'dontRetryOn'>,
): string | undefined {
  if (error instanceof TransientError) return undefined;
  if (error instanceof PermanentError) return 'permanent error';
  const match = options.dontRetryOn.find((ErrorClass) => error instanceof ErrorClass);
  return match ? `dontRetryOn: ${match.name}` : undefined;
}
