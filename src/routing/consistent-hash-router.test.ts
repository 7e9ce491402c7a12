import { describe, expect, it } from 'vitest';
import type { Task } from '../app/task.js';
import { ConfigError } from '../errors/config-error.js';
import { consistentHashRouter, MAX_PARTITION_QUEUES } from './consistent-hash-router.js';
import { jumpConsistentHash, stableKeyHash64 } from './jump-consistent-hash.js';

// The router reads only the task's name (for error messages), so a pure unit test needs no app.
const sendEmail = { name: 'send-email' } as unknown as Task<[string], void>;

const KEYS = Array.from({ length: 10_000 }, (_, i) => `user:${i}`);

function route(partitionKey: string, numQueues: number): string {
  return consistentHashRouter(sendEmail, { partitionKey, numQueues });
}

function partitionOf(queue: string): number {
  const match = /^partition-(\d+)$/.exec(queue);
  if (!match) throw new Error(`not a partition queue: ${queue}`);
  return Number(match[1]);
}

describe('jumpConsistentHash', () => {
  it('matches the reference C++ implementation', () => {
    // Known answers of the paper's code, as published in ClickHouse's jumpConsistentHash tests.
    expect(jumpConsistentHash(1n, 1)).toBe(0);
    expect(jumpConsistentHash(42n, 57)).toBe(43);
    expect(jumpConsistentHash(256n, 1024)).toBe(520);
    expect(jumpConsistentHash(3735883980n, 1)).toBe(0);
    expect(jumpConsistentHash(3735883980n, 666)).toBe(361);
    expect(jumpConsistentHash(16045690984833335023n, 255)).toBe(237);
  });
});

describe('stableKeyHash64', () => {
  it('is the first 8 bytes of the SHA-1 of the key, big-endian', () => {
    // sha1('abc') = a9993e364706816aba3e25717850c26c9cd0d89d
    expect(stableKeyHash64('abc')).toBe(0xa9993e364706816an);
  });
});

describe('consistentHashRouter', () => {
  it('sends the same key to the same queue, independent of process state', () => {
    expect(route('user:42', 16)).toBe(route('user:42', 16));
    // Pinned so a change of hash or algorithm, which would reshuffle every deployment, fails here.
    const pinned = ['user:0', 'user:1', 'user:2', 'tenant:acme'].map((key) => route(key, 16));
    // Cross-checked against an independent Python implementation (hashlib.sha1 + the paper's loop).
    expect(pinned).toEqual(['partition-12', 'partition-3', 'partition-4', 'partition-14']);
  });

  it('returns partition-0 … partition-(numQueues − 1)', () => {
    for (const numQueues of [1, 2, 7, 16, 100]) {
      for (const key of KEYS.slice(0, 500)) {
        const n = partitionOf(route(key, numQueues));
        expect(n).toBeGreaterThanOrEqual(0);
        expect(n).toBeLessThan(numQueues);
      }
    }
    expect(route('anything', 1)).toBe('partition-0');
    const big = partitionOf(route('user:7', MAX_PARTITION_QUEUES));
    expect(big).toBeLessThan(MAX_PARTITION_QUEUES);
  });

  it('uses the prefix when given', () => {
    const plain = route('user:42', 16);
    const prefixed = consistentHashRouter(sendEmail, {
      partitionKey: 'user:42',
      numQueues: 16,
      prefix: 'emails',
    });
    expect(prefixed).toBe(plain.replace('partition-', 'emails-'));
  });

  it('spreads 10,000 keys evenly over 16 queues (each within ±25 % of the mean)', () => {
    const counts = new Array<number>(16).fill(0);
    for (const key of KEYS) counts[partitionOf(route(key, 16))]! += 1;
    const mean = KEYS.length / 16;
    for (const count of counts) {
      expect(count).toBeGreaterThanOrEqual(mean * 0.75);
      expect(count).toBeLessThanOrEqual(mean * 1.25);
    }
  });

  it('moves about 1/17 of the keys, all to the new queue, when growing from 16 to 17', () => {
    const moved = KEYS.filter((key) => route(key, 16) !== route(key, 17));
    const share = moved.length / KEYS.length;
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.09);
    for (const key of moved) expect(route(key, 17)).toBe('partition-16');
  });

  it('moves only the keys of the removed queue when shrinking from 10 to 9', () => {
    let moved = 0;
    for (const key of KEYS) {
      const before = route(key, 10);
      const after = route(key, 9);
      if (before === 'partition-9') {
        moved += 1;
        expect(partitionOf(after)).toBeLessThan(9);
      } else {
        expect(after).toBe(before);
      }
    }
    expect(moved).toBeGreaterThan(0);
  });

  describe('rejects bad input with a ConfigError naming the culprit and the task', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['an empty partitionKey', { partitionKey: '', numQueues: 4 }, /partitionKey .*got ""/],
      ['a missing partitionKey', { numQueues: 4 }, /partitionKey .*got undefined/],
      ['a numeric partitionKey', { partitionKey: 42, numQueues: 4 }, /partitionKey .*got 42/],
      ['numQueues 0', { partitionKey: 'k', numQueues: 0 }, /numQueues .*got 0/],
      ['a negative numQueues', { partitionKey: 'k', numQueues: -3 }, /numQueues .*got -3/],
      ['a fractional numQueues', { partitionKey: 'k', numQueues: 2.5 }, /numQueues .*got 2\.5/],
      ['a NaN numQueues', { partitionKey: 'k', numQueues: Number.NaN }, /numQueues .*got NaN/],
      ['numQueues as a string', { partitionKey: 'k', numQueues: '16' }, /numQueues .*got "16"/],
      ['numQueues past 65536', { partitionKey: 'k', numQueues: 65_537 }, /numQueues .*65536.*got 65537/],
      ['an empty prefix', { partitionKey: 'k', numQueues: 4, prefix: '' }, /prefix .*got ""/],
      ['a prefix with braces', { partitionKey: 'k', numQueues: 4, prefix: 'a{b}' }, /prefix .*got "a\{b\}"/],
      ['a prefix with a comma', { partitionKey: 'k', numQueues: 4, prefix: 'a,b' }, /prefix .*got "a,b"/],
    ];
    it.each(cases)('%s', (_label, options, message) => {
      const call = (): string =>
        consistentHashRouter(sendEmail, options as unknown as Parameters<typeof consistentHashRouter>[1]);
      expect(call).toThrow(ConfigError);
      expect(call).toThrow(message);
      expect(call).toThrow(/task "send-email"/);
    });
  });
});
