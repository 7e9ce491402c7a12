import { describe, expect, it } from 'vitest';
import { earlyTimeout } from './early-timeout.js';

describe('earlyTimeout', () => {
  it('sets a short wait as it is', () => {
    expect(earlyTimeout(0)).toBe(0);
    expect(earlyTimeout(7)).toBe(7);
    expect(earlyTimeout(20)).toBe(20);
  });

  it('ends a longer wait early by at least 20 ms, and by 5 % of a long one', () => {
    expect(earlyTimeout(25)).toBe(5);
    expect(earlyTimeout(300)).toBe(280);
    expect(earlyTimeout(5_000)).toBe(4_750);
  });

  it('reaches the deadline in a few steps, the last of them short', () => {
    let left = 60_000;
    const steps: number[] = [];
    while (left > 0) {
      const step = earlyTimeout(left);
      steps.push(step);
      left -= step;
    }
    expect(steps.length).toBeLessThanOrEqual(6);
    expect(steps.at(-1)).toBeLessThanOrEqual(20);
  });
});
