import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanCommand, leanSignalCommand } from '../../src/brokers/redis/lean-command.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

// Two functions of a library of the test's own: one hands back its arguments, one keeps the server
// busy for ~100 ms before it answers.
const LIBRARY = `#!lua name=lean_command_test
redis.register_function('echo_args', function(keys, args) return args end)
redis.register_function('busy', function(keys, args)
  local function now()
    local time = redis.call('TIME')
    return tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
  end
  local until_ms = now() + 100
  while now() < until_ms do end
  return 'done'
end)`;

describe('leanCommand', () => {
  let redis: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedisServer();
    client = new Redis(redis.url);
    await client.function('LOAD', LIBRARY);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('answers with the reply as text, through functions every command shares', async () => {
    const first = leanCommand('fcall', ['echo_args', 0, 'a', 1]);
    const second = leanCommand('fcall', ['echo_args', 0, 'b']);
    await expect(client.sendCommand(first)).resolves.toEqual(['a', '1']);
    await expect(client.sendCommand(second)).resolves.toEqual(['b']);
    // ioredis's own commands each hold closures over themselves; these hold none (lean-command.ts).
    expect(first.resolve).toBe(second.resolve);
    expect(first.reject).toBe(second.reject);
    expect(first.isResolved).toBe(true);
  });

  it("rejects with Redis's error", async () => {
    await expect(client.sendCommand(leanCommand('fcall', ['no_such_function', 0]))).rejects.toThrow(
      /Function not found/,
    );
  });

  it("rejects on ioredis's command timeout, and the connection serves the next command", async () => {
    const impatient = new Redis(redis.url, { commandTimeout: 20 });
    try {
      await expect(impatient.sendCommand(leanCommand('fcall', ['busy', 0]))).rejects.toThrow(
        /Command timed out/,
      );
      await client.ping(); // Answered once the busy function has returned.
      await expect(impatient.sendCommand(leanCommand('fcall', ['echo_args', 0, 'next']))).resolves.toEqual([
        'next',
      ]);
    } finally {
      impatient.disconnect();
    }
  });

  it('sends a blocking wait as a signal: it resolves, its reply unread, once its key is written', async () => {
    const blocked = new Redis(redis.url);
    try {
      const waiting = blocked.sendCommand(leanSignalCommand('bzpopmin', ['lean:marker', 5]));
      // Written once the wait is in Redis: a connected client reports it as blocked.
      await expect.poll(() => client.call('CLIENT', 'LIST'), { timeout: 5_000 }).toMatch(/cmd=bzpopmin/);
      await client.zadd('lean:marker', 1, 'due');
      await expect(waiting).resolves.toBeUndefined();
      await expect(client.zcard('lean:marker')).resolves.toBe(0); // The wait took the member.
    } finally {
      blocked.disconnect();
    }
  });
});
