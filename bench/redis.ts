/** The private Redis every run shares: lifecycle, resets between runs, and its own counters. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '../test/helpers/redis-server.js';
import type { RedisTarget } from './systems/types.js';

/** Commands the harness itself sends; left out of "commands per task". */
const HARNESS_COMMANDS = new Set(['info', 'config|resetstat', 'flushall']);

/** One command's counters in `INFO commandstats`. */
export interface CommandStat {
  calls: number;
  /** Time spent running it, in microseconds. */
  usec: number;
}

/** One `INFO` section as key → value. */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

export class BenchRedis {
  private constructor(
    private readonly server: RedisServer,
    private readonly admin: Redis,
    readonly target: RedisTarget,
  ) {}

  /** Starts a fresh `redis-server` on a free port (never the machine's shared 6379). */
  static async start(): Promise<BenchRedis> {
    const server = await startRedisServer();
    const admin = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    await admin.ping();
    return new BenchRedis(server, admin, { host: '127.0.0.1', port: server.port, url: server.url });
  }

  async flushAll(): Promise<void> {
    await this.admin.flushall('SYNC');
  }

  async resetStats(): Promise<void> {
    await this.admin.config('RESETSTAT');
  }

  /** Total calls of every command since the last reset, including those run inside Lua scripts. */
  async commandCalls(): Promise<number> {
    let total = 0;
    for (const { calls } of (await this.commandStats()).values()) total += calls;
    return total;
  }

  /**
   * Calls and time of each command since the last reset, the harness's own left out. A command
   * run inside a Lua script or a `MULTI` counts on its own and in the time of its script or `EXEC`.
   */
  async commandStats(): Promise<Map<string, CommandStat>> {
    const stats = new Map<string, CommandStat>();
    for (const [key, value] of parseInfo(await this.admin.info('commandstats'))) {
      const name = key.replace(/^cmdstat_/, '');
      if (HARNESS_COMMANDS.has(name)) continue;
      const calls = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
      const usec = Number(/usec=(\d+)/.exec(value)?.[1] ?? 0);
      stats.set(name, { calls, usec });
    }
    return stats;
  }

  /** CPU seconds (system + user) the server has used since it started. */
  async cpuSeconds(): Promise<number> {
    const info = parseInfo(await this.admin.info('cpu'));
    return Number(info.get('used_cpu_sys')) + Number(info.get('used_cpu_user'));
  }

  async version(): Promise<string> {
    return parseInfo(await this.admin.info('server')).get('redis_version') ?? 'unknown';
  }

  async stop(): Promise<void> {
    this.admin.disconnect();
    await this.server.stop();
  }
}

export interface CeilingResult {
  command: string;
  requestsPerSec: number;
}

/**
 * Raw Redis throughput on this machine (`redis-benchmark`, pipelined), as a reference line for
 * what any Redis-backed queue could approach. Undefined when the binary is not installed.
 */
export async function redisCeiling(port: number, requests: number): Promise<CeilingResult[] | undefined> {
  const args = ['-p', String(port), '-n', String(requests), '-P', '16', '-q', '-t', 'set,lpush'];
  try {
    const { stdout } = await promisify(execFile)('redis-benchmark', args, { timeout: 120_000 });
    // -q still prints progress lines ending in \r; only the final "X: N requests per second" count.
    return stdout
      .split(/[\r\n]+/)
      .map((line) => /^(\w+): ([\d.]+) requests per second/.exec(line.trim()))
      .filter((match) => match !== null)
      .map((match) => ({ command: match[1] ?? '', requestsPerSec: Number(match[2]) }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
