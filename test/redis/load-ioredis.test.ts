import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { runModule } from '../helpers/run-module.js';

const loader = new URL('../../src/brokers/redis/load-ioredis.ts', import.meta.url).href;

/**
 * Runs `body` in a fresh Node process, as what `require.cache` holds is the process's: the test
 * runner's own process has loaded ioredis whole already. `body` sees `loadIoredis`, a `require`
 * and `loadedFile(specifier)`, and prints one line of JSON, which is returned.
 */
async function inFreshProcess(body: string): Promise<Record<string, unknown>> {
  const script = [
    `const { createRequire } = await import('node:module');`,
    `const require = createRequire(process.cwd() + '/');`,
    `const loadedFile = (specifier) => require.resolve(specifier) in require.cache;`,
    `const { loadIoredis } = await import(${JSON.stringify(loader)});`,
    body,
  ].join('\n');
  return JSON.parse(await runModule(script)) as Record<string, unknown>;
}

const CLUSTER = 'ioredis/built/cluster/index.js';
const SENTINEL = 'ioredis/built/connectors/SentinelConnector/index.js';

describe('loadIoredis', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('loads a Redis client that works, without the cluster and Sentinel clients', async () => {
    const seen = await inFreshProcess(`
      const { Redis } = loadIoredis();
      const client = new Redis(${JSON.stringify(redis.url)});
      const pong = await client.ping();
      client.disconnect();
      console.log(JSON.stringify({ pong, cluster: loadedFile('${CLUSTER}'), sentinel: loadedFile('${SENTINEL}') }));
    `);
    expect(seen).toEqual({ pong: 'PONG', cluster: false, sentinel: false });
  });

  it('still builds cluster and Sentinel clients, and leaves the real modules to later requires', async () => {
    const seen = await inFreshProcess(`
      const { Redis } = loadIoredis();
      const cluster = new Redis.Cluster([{ host: '127.0.0.1', port: ${redis.port} }], { lazyConnect: true });
      const sentinel = new Redis({ sentinels: [{ host: '127.0.0.1', port: ${redis.port} }], name: 'main', lazyConnect: true });
      const whole = require('ioredis');
      console.log(JSON.stringify({
        isCluster: cluster.isCluster === true,
        clusterClass: cluster instanceof whole.Cluster,
        connector: sentinel.connector.constructor.name,
        sameRedis: whole.Redis === Redis,
      }));
    `);
    expect(seen).toEqual({
      isCluster: true,
      clusterClass: true,
      connector: 'SentinelConnector',
      sameRedis: true,
    });
  });

  it('takes an ioredis the app loaded first as it is', async () => {
    const seen = await inFreshProcess(`
      const whole = require('ioredis');
      const { Redis } = loadIoredis();
      console.log(JSON.stringify({ sameRedis: whole.Redis === Redis, sameCluster: Redis.Cluster === whole.Cluster }));
    `);
    expect(seen).toEqual({ sameRedis: true, sameCluster: true });
  });
});
