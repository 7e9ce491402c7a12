import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';

/**
 * ioredis is loaded on first use, so an app on the embedded SQLite broker never pays its memory
 * (~10 MB of an idle worker's RSS). It is a CommonJS package, so a synchronous require keeps
 * `new Turbine()` synchronous.
 */
let RedisClient: typeof Redis | undefined;
function loadClient(): typeof Redis {
  RedisClient ??= (createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis }).Redis;
  return RedisClient;
}

/**
 * Opens an ioredis client for a `redis://` or `rediss://` URL. Clients reconnect on their own
 * with a capped backoff; `lazyConnect` lets construction stay synchronous.
 */
export function connectRedis(url: string, overrides: RedisOptions = {}): Redis {
  const Client = loadClient();
  return new Client(url, {
    lazyConnect: false,
    disconnectTimeout: 200,
    enableAutoPipelining: false,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    ...overrides,
  });
}
