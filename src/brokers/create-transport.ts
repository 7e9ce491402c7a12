import type { ResolvedConfig } from '../config/load-config.js';
import type { ResultBackend } from '../backends/result-backend.js';
import { RedisResultBackend } from '../backends/redis-result-backend.js';
import { ConfigError } from '../errors/config-error.js';
import type { Broker } from './broker.js';
import { RedisBroker } from './redis/redis-broker.js';

/** A broker and the result backend that goes with it. */
export interface Transport {
  broker: Broker;
  backend: ResultBackend;
}

/**
 * Builds the broker and result backend a configuration names: `redis://` / `rediss://` URLs use
 * Redis; no URL or `sqlite://` uses the embedded SQLite file. When both live in the same store the
 * broker records results itself, atomically with settling the message.
 */
export function createTransport(config: ResolvedConfig, cwd = process.cwd()): Transport {
  const brokerUrl = config.broker.url;
  const backendUrl = config.backend.url ?? brokerUrl;
  const shared = backendUrl === brokerUrl;
  if (brokerUrl?.startsWith('redis')) {
    const broker = new RedisBroker({ url: brokerUrl, writesRecords: shared });
    const backend = shared
      ? new RedisResultBackend({ url: brokerUrl, client: broker.client })
      : backendFor(backendUrl!, cwd);
    return { broker, backend };
  }
  throw new ConfigError(
    `broker.url: the embedded SQLite broker is not available in this build (got ${String(brokerUrl)})`,
  );
}

function backendFor(url: string, _cwd: string): ResultBackend {
  if (url.startsWith('redis')) return new RedisResultBackend({ url });
  throw new ConfigError(`backend.url: unsupported result backend ${url}`);
}
