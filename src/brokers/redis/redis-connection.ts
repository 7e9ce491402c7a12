import type { Redis, RedisOptions } from 'ioredis';
import { loadIoredis } from './load-ioredis.js';

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
