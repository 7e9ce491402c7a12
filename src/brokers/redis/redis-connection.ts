import type { Command, Redis, RedisOptions } from 'ioredis';
import { lazyRequire } from '../../util/lazy-require.js';

/**
 * ioredis is loaded on first use, so an app on the embedded SQLite broker never pays its memory
 * (~10 MB of an idle worker's RSS). It is a CommonJS package, so a synchronous require keeps
 * `new Turbine()` synchronous.
 */
export const loadIoredis = lazyRequire<{ Redis: typeof Redis; Command: typeof Command }>('ioredis');

/**
 * Opens an ioredis client for a `redis://` or `rediss://` URL. Clients reconnect on their own
 * with a capped backoff; `lazyConnect` lets construction stay synchronous.
 */
export function connectRedis(url: string, overrides: RedisOptions = {}): Redis {
  const Client = loadIoredis().Redis;
  return new Client(url, {
    lazyConnect: false,
    disconnectTimeout: 200,
    enableAutoPipelining: false,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    ...overrides,
  });
}
