import { Redis } from 'ioredis';
import { queueKeys } from '../../src/brokers/redis/keys.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../helpers/redis-server.js';
import { injectRaw } from '../sqlite/sqlite-test-kit.js';

/** A running broker for one test file. */
export interface BrokerHandle {
  url: string;
  /** Writes a message straight into a queue, bypassing the SDK; `bytes: null` leaves the envelope out. */
  injectRaw(queue: string, id: string, bytes: string | null): Promise<void>;
  stop(): Promise<void>;
}

/** One broker implementation the conformance suite runs against. */
export interface BrokerTarget {
  name: string;
  start(): Promise<BrokerHandle>;
}

const redisTarget: BrokerTarget = {
  name: 'redis',
  async start() {
    const server = await startRedisServer();
    const client = new Redis(server.url);
    return {
      url: server.url,
      async injectRaw(queue, id, bytes) {
        const keys = queueKeys(queue);
        const tx = client.multi();
        if (bytes !== null) tx.hset(keys.messages, id, bytes);
        await tx.rpush(keys.ready, id).zadd(keys.marker, 0, 'w').exec();
      },
      async stop() {
        client.disconnect();
        await server.stop();
      },
    };
  },
};

const sqliteTarget: BrokerTarget = {
  name: 'sqlite',
  async start() {
    const dir = mkdtempSync(join(tmpdir(), 'turbine-sqlite-'));
    const path = join(dir, 'turbine.db');
    return {
      url: `sqlite://${path}`,
      async injectRaw(queue, id, bytes) {
        injectRaw(path, queue, id, bytes);
      },
      async stop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** Every broker the suite proves; a new broker passes by adding one line here. */
export const brokerTargets: BrokerTarget[] = [redisTarget, sqliteTarget];
