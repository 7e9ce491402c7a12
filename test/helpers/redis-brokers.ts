import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { RedisBroker } from '../../src/brokers/redis/redis-broker.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

/**
 * For a test file of RedisBroker tests: a private `redis-server`, a raw client to look into it,
 * and brokers made for a test closed after it, the server flushed.
 */
export function useRedisBrokers(): {
  client: () => Redis;
  makeBroker: (clock?: () => number) => RedisBroker;
} {
  let redis: RedisServer;
  let client: Redis;
  const brokers: RedisBroker[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    client = new Redis(redis.url);
  });
  afterEach(async () => {
    await Promise.all(brokers.splice(0).map((broker) => broker.close()));
    await client.flushall();
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  return {
    client: () => client,
    makeBroker(clock) {
      const broker = new RedisBroker(clock ? { url: redis.url, clock } : { url: redis.url });
      brokers.push(broker);
      return broker;
    },
  };
}
