import type { ResolvedConfig } from '../config/load-config.js';
import type { ResultBackend } from '../backends/result-backend.js';
import { DeferredResultBackend } from '../backends/deferred-result-backend.js';
import { RedisResultBackend } from '../backends/redis-result-backend.js';
import { ConfigError } from '../errors/config-error.js';
import type { Broker } from './broker.js';
import { DeferredBroker } from './deferred-broker.js';
import { RedisBroker } from './redis/redis-broker.js';
import { sqlitePathFromUrl } from './sqlite/sqlite-path.js';
import type * as SqliteTransport from './sqlite/sqlite-transport.js';

/** A broker and the result backend that goes with it. */
export interface Transport {
  broker: Broker;
  backend: ResultBackend;
}

/** The embedded broker's code, imported by the first app that uses it (the loader keeps it after). */
const loadSqlite = (): Promise<typeof SqliteTransport> => import('./sqlite/sqlite-transport.js');

/**
 * Builds the broker and result backend a configuration names: `redis://` / `rediss://` URLs use
 * Redis; no URL or `sqlite://` uses the embedded SQLite file (`.turbine/turbine.db` by default).
 * When both live in the same store the broker records results itself, atomically with settling
 * the message, over one shared connection. The SQLite code loads as the app starts, and its broker
 * and backend take calls meanwhile (`DeferredBroker`); a bad URL still fails here, at once.
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
    const path = sqlitePathFromUrl(brokerUrl, cwd);
    const backend = shared ? undefined : backendFor(backendUrl, cwd);
    const opened = loadSqlite().then((sqlite) => sqlite.openSqliteTransport(path, shared));
    return {
      broker: new DeferredBroker(
        'sqlite',
        shared,
        opened.then((transport) => transport.broker),
      ),
      backend:
        backend ??
        new DeferredResultBackend(
          'sqlite',
          opened.then((transport) => transport.backend!),
        ),
    };
  }
  throw new ConfigError(`broker.url: unsupported broker ${brokerUrl}; use redis://, rediss:// or sqlite://`);
}

function backendFor(url: string | undefined, cwd: string): ResultBackend {
  if (url?.startsWith('redis')) return new RedisResultBackend({ url });
  if (url === undefined || url.startsWith('sqlite:')) {
    const path = sqlitePathFromUrl(url, cwd);
    return new DeferredResultBackend(
      'sqlite',
      loadSqlite().then((sqlite) => sqlite.openSqliteBackend(path)),
    );
  }
  throw new ConfigError(
    `backend.url: unsupported result backend ${url}; use redis://, rediss:// or sqlite://`,
  );
}
