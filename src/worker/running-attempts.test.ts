import { describe, expect, it } from 'vitest';
import type { Delivery } from '../brokers/broker.js';
import { LazyAbort } from '../util/lazy-abort.js';
import type { Attempt } from './executor.js';
import { RunningAttempts } from './running-attempts.js';

function attempt(id: string): Attempt {
  const delivery: Delivery = {
    id,
    queue: 'default',
    envelope: undefined,
    deliveries: 1,
    poisoned: false,
    revoked: false,
  };
  return { delivery, controller: new LazyAbort() };
}

describe('RunningAttempts', () => {
  it('adds, finds, lists and removes attempts, reusing freed slots', () => {
    const running = new RunningAttempts();
    const [a, b, c] = [attempt('a'), attempt('b'), attempt('c')];
    running.add(a);
    running.add(b);
    expect(running.size).toBe(2);
    expect(running.find('b')).toBe(b);
    expect(running.delete(a)).toBe(true);
    expect(running.find('a')).toBeUndefined();
    running.add(c);
    expect(c.slot).toBe(0); // a's slot, reused
    expect(running.values()).toEqual([c, b]);
    expect(running.size).toBe(2);
  });

  it('removes an attempt once: a second delete, or one never added, changes nothing', () => {
    const running = new RunningAttempts();
    const [a, stranger] = [attempt('a'), attempt('x')];
    running.add(a);
    expect(running.delete(a)).toBe(true);
    expect(running.delete(a)).toBe(false);
    expect(running.delete(stranger)).toBe(false);
    expect(running.size).toBe(0);
    expect(running.values()).toEqual([]);
  });

  it('does not mistake a newer attempt in a reused slot for a removed one', () => {
    const running = new RunningAttempts();
    const first = attempt('same-id');
    running.add(first);
    const slot = first.slot;
    running.delete(first);
    const second = attempt('same-id');
    running.add(second);
    first.slot = slot; // a stale attempt claiming the slot now held by another
    expect(running.delete(first)).toBe(false);
    expect(running.find('same-id')).toBe(second);
  });
});
