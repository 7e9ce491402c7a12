import type { DlqStore, OutgoingMessage } from '../broker.js';
import type { DlqEntry } from '../../dlq/dlq-entry.js';
import { encodeEnvelope } from '../../protocol/codec.js';
import { queueKeys, resultKey } from './keys.js';
import { queuesToSearch } from './redis-locator.js';
import type { ScriptedRedis } from './scripts.js';

/** The dead-letter queue in Redis: per queue a sorted set of ids by failure time and a hash of entries. */
export class RedisDlqStore implements DlqStore {
  constructor(private readonly redis: ScriptedRedis) {}

  async list(options: { queue?: string; limit: number; offset: number }): Promise<DlqEntry[]> {
    const queues = options.queue ? [options.queue] : await queuesToSearch(this.redis);
    const end = options.offset + options.limit - 1;
    const found: { queue: string; id: string; failedAt: number }[] = [];
    for (const queue of queues) {
      const pairs = await this.redis.zrange(queueKeys(queue).dlq, 0, end, 'WITHSCORES');
      for (let i = 0; i < pairs.length; i += 2)
        found.push({ queue, id: pairs[i]!, failedAt: Number(pairs[i + 1]) });
    }
    found.sort((a, b) => a.failedAt - b.failedAt || a.id.localeCompare(b.id));
    const page = found.slice(options.offset, options.offset + options.limit);
    const entries = await Promise.all(
      page.map(({ queue, id }) => this.redis.hget(queueKeys(queue).dlqEntries, id)),
    );
    return entries.filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw) as DlqEntry);
  }

  async get(id: string): Promise<DlqEntry | undefined> {
    const queue = await this.queueOf(id);
    if (!queue) return undefined;
    const raw = await this.redis.hget(queueKeys(queue).dlqEntries, id);
    return raw ? (JSON.parse(raw) as DlqEntry) : undefined;
  }

  async stats(): Promise<Record<string, number>> {
    const queues = await queuesToSearch(this.redis);
    const counts = await Promise.all(queues.map((queue) => this.redis.zcard(queueKeys(queue).dlq)));
    const stats: Record<string, number> = {};
    queues.forEach((queue, i) => {
      if (counts[i]! > 0) stats[queue] = counts[i]!;
    });
    return stats;
  }

  async replay(id: string, message: OutgoingMessage): Promise<boolean> {
    const queue = await this.queueOf(id);
    if (!queue) return false;
    if (message.envelope.queue !== queue) throw new Error(`replay of ${id} must stay on queue ${queue}`);
    const dlqKeys = queueKeys(queue);
    const replayed = await this.redis.turbineDlqReplay(
      dlqKeys.dlq,
      dlqKeys.dlqEntries,
      dlqKeys.ready,
      dlqKeys.prio,
      dlqKeys.delayed,
      dlqKeys.messages,
      dlqKeys.marker,
      dlqKeys.seq,
      resultKey(id),
      id,
      encodeEnvelope(message.envelope),
      message.envelope.priority,
    );
    return replayed === 1;
  }

  async remove(id: string): Promise<boolean> {
    const queue = await this.queueOf(id);
    if (!queue) return false;
    const keys = queueKeys(queue);
    const [[, removed]] = (await this.redis.multi().hdel(keys.dlqEntries, id).zrem(keys.dlq, id).exec()) as [
      [unknown, number],
    ];
    return removed === 1;
  }

  async purge(queue?: string): Promise<number> {
    const queues = queue ? [queue] : await queuesToSearch(this.redis);
    let total = 0;
    for (const name of queues) {
      const keys = queueKeys(name);
      const [[, count]] = (await this.redis
        .multi()
        .zcard(keys.dlq)
        .del(keys.dlq, keys.dlqEntries)
        .exec()) as [[unknown, number]];
      total += count;
    }
    return total;
  }

  private async queueOf(id: string): Promise<string | undefined> {
    const queues = await queuesToSearch(this.redis);
    const hits = await Promise.all(
      queues.map((queue) => this.redis.hexists(queueKeys(queue).dlqEntries, id)),
    );
    return queues[hits.findIndex((hit) => hit === 1)];
  }
}
