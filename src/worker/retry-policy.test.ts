import { describe, expect, it } from 'vitest';
import { PermanentError } from '../errors/permanent-error.js';
import { TransientError } from '../errors/transient-error.js';
import { backoffMs, permanentReason } from './retry-policy.js';

const options = { retryDelayMs: 60_000, retryBackoffMaxMs: 3_600_000, retryJitter: false };

describe('backoffMs', () => {
  it('doubles from the base delay: 60, 120, 240, 480, 960 s', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, options) / 1000)).toEqual([60, 120, 240, 480, 960]);
  });

  it('is capped by retryBackoffMax', () => {
    expect(backoffMs(10, { ...options, retryBackoffMaxMs: 300_000 })).toBe(300_000);
  });

  it('draws jitter from half to all of the wait', () => {
    const jittered = { ...options, retryJitter: true };
    expect(backoffMs(2, jittered, () => 0)).toBe(60_000);
    expect(backoffMs(2, jittered, () => 1)).toBe(120_000);
  });
});

describe('permanentReason', () => {
  class ValidationError extends Error {}

  it('never retries PermanentError and dontRetryOn classes', () => {
    expect(permanentReason(new PermanentError('x'), { dontRetryOn: [] })).toBe('permanent error');
    expect(permanentReason(new ValidationError('x'), { dontRetryOn: [ValidationError] })).toBe(
      'dontRetryOn: ValidationError',
    );
  });

  it('retries other errors, and TransientError even when listed', () => {
    expect(permanentReason(new Error('x'), { dontRetryOn: [ValidationError] })).toBeUndefined();
    expect(permanentReason(new TransientError('x'), { dontRetryOn: [TransientError] })).toBeUndefined();
  });
});
