import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchRedis } from '../../bench/redis.js';
import { rotation } from '../../bench/runner.js';

describe("the bench's private Redis counters", () => {
  let bench: BenchRedis;
  let client: Redis;

  beforeAll(async () => {
    bench = await BenchRedis.start();
    client = new Redis(bench.target.port, bench.target.host);
  });
  afterAll(async () => {
    client.disconnect();
    await bench.stop();
  });

  it('reports the calls and time of each command since the reset, and not its own', async () => {
    await bench.resetStats();
    for (let i = 0; i < 5; i++) await client.set(`k${i}`, 'v');
    await client.eval("return redis.call('GET', KEYS[1])", 1, 'k0');
    const stats = await bench.commandStats();
    expect(stats.get('set')?.calls).toBe(5);
    // A command run inside a script counts on its own as well.
    expect(stats.get('get')?.calls).toBe(1);
    expect(stats.get('eval')?.calls).toBe(1);
    expect(stats.get('eval')!.usec).toBeGreaterThanOrEqual(stats.get('get')!.usec);
    expect(stats.has('info')).toBe(false);
    expect(stats.has('config|resetstat')).toBe(false);
    expect(await bench.commandCalls()).toBe(7);
  });
});

describe('the order systems take turns in', () => {
  it('rotates by one with each repetition, the first repetition as given', () => {
    const names = ['a', 'b', 'c'];
    expect([1, 2, 3, 4].map((rep) => rotation(names, rep).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
  });
});
