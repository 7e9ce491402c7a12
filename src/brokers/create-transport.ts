import type { ResolvedConfig } from '../config/load-config.js';
import type { ResultBackend } from '../backends/result-backend.js';
import { RedisResultBackend } from '../backends/redis-result-backend.js';
import { SqliteResultBackend } from '../backends/sqlite-result-backend.js';
import { ConfigError } from '../errors/config-error.js';
import type { Broker } from './broker.js';
import { RedisBroker } from './redis/redis-broker.js';
import { SqliteBroker } from './sqlite/sqlite-broker.js';
import { sqlitePathFromUrl } from './sqlite/sqlite-path.js';

/** A broker and the result backend that goes with it. */
export interface Transport {
  broker: Broker;
  backend: ResultBackend;
}

/**
 * Builds the broker and result backend a configuration names: `redis://` / `rediss://` URLs use
 * Redis; no URL or `sqlite://` uses the embedded SQLite file (`.turbine/turbine.db` by default).
 * When both live in the same store the broker records results itself, atomically with settling
 * the message, over one shared connection.
 */
export function createTransport(config: ResolvedConfig, cwd = process.cwd()): Transport {
  const brokerUrl = config.broker.url;
  const backendUrl = config.backend.url ?? brokerUrl;
  const shared = backendUrl === brokerUrl;
  if (brokerUrl?.startsWith('redis')) {
    const broker = new RedisBroker({ url: brokerUrl, writesRecords: shared });
    return {
      broker,
      backend: shared
        ? new RedisResultBackend({ url: brokerUrl, client: broker.client })
        : backendFor(backendUrl, cwd),
    };
  }
  if (brokerUrl === undefined || brokerUrl.startsWith('sqlite:')) {
    const broker = new SqliteBroker({ path: sqlitePathFromUrl(brokerUrl, cwd), writesRecords: shared });
    return {
      broker,
      backend: shared ? new SqliteResultBackend({ database: broker.database }) : backendFor(backendUrl, cwd),
    };
  }
  throw new ConfigError(`broker.url: unsupported broker ${brokerUrl}; use redis://, rediss:// or sqlite://`);
}

function backendFor(url: string | undefined, cwd: string): ResultBackend {
  if (url?.startsWith('redis')) return new RedisResultBackend({ url });
  if (url === undefined || url.startsWith('sqlite:'))
    return new SqliteResultBackend({ path: sqlitePathFromUrl(url, cwd) });
  throw new ConfigError(
    `backend.url: unsupported result backend ${url}; use redis://, rediss:// or sqlite://`,
  );
}
