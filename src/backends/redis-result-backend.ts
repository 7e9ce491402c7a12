import type { Redis } from 'ioredis';
import { resultKey } from '../brokers/redis/keys.js';
import { connectRedis } from '../brokers/redis/redis-connection.js';
import { decodeRecord, encodeRecord, type ResultRecord } from '../protocol/result-record.js';
import type { ResultBackend } from './result-backend.js';

/** Result records in Redis: one string key per task (`turbine:result:<id>`) with a TTL. */
export class RedisResultBackend implements ResultBackend {
  readonly kind = 'redis';
  private readonly redis: Redis;
  private readonly ownsClient: boolean;

  /** Uses `client` when given (shared with the broker), else opens its own connection to `url`. */
  constructor(options: { url: string; client?: Redis }) {
    this.ownsClient = !options.client;
    this.redis = options.client ?? connectRedis(options.url);
    if (this.ownsClient) this.redis.on('error', () => {});
  }

  async get(id: string): Promise<ResultRecord | undefined> {
    const raw = await this.redis.get(resultKey(id));
    return raw === null ? undefined : decodeRecord(raw);
  }

  async getMany(ids: readonly string[]): Promise<(ResultRecord | undefined)[]> {
    if (ids.length === 0) return [];
    const out: (ResultRecord | undefined)[] = [];
    for (let start = 0; start < ids.length; start += 1_000) {
      const raws = await this.redis.mget(ids.slice(start, start + 1_000).map(resultKey));
      for (const raw of raws) out.push(raw === null ? undefined : decodeRecord(raw));
    }
    return out;
  }

  async put(records: readonly ResultRecord[]): Promise<void> {
    if (records.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const record of records)
      pipeline.set(resultKey(record.id), encodeRecord(record), 'PX', Math.max(1, record.ttlMs));
    await pipeline.exec();
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.redis.disconnect();
  }
}
