import type { Redis } from 'ioredis';
import type {
  Broker,
  ClaimRequest,
  ClaimResult,
  ControlMessage,
  Delivery,
  EnqueueOutcome,
  MessageLocation,
  OutgoingMessage,
  QueueStats,
  Settlement,
  StartMark,
  Unsubscribe,
} from '../broker.js';
import { REVOCATION_MEMORY_MS } from '../broker.js';
import { decodeEnvelope, encodeEnvelope } from '../../protocol/codec.js';
import type { Envelope } from '../../protocol/envelope.js';
import type { ResultRecord } from '../../protocol/result-record.js';
import {
  CONTROL_CHANNEL,
  IDEMPOTENCY_PREFIX,
  KEY_PREFIX,
  QUEUES_KEY,
  queueKeys,
  RESULT_PREFIX,
  resultKey,
  REVOKED_KEY,
  type QueueKeys,
} from './keys.js';
import { connectRedis } from './redis-connection.js';
import { RedisDlqStore } from './redis-dlq-store.js';
import { queuesToSearch } from './redis-locator.js';
import { defineScripts, type ScriptedRedis } from './scripts.js';
import { BlockingWaiter } from './blocking-waiter.js';
import { effectArgs, pushSettlementArgs, recordArgs } from './settle-args.js';
import { toDelivery } from './to-delivery.js';

/** Messages per script call when enqueueing in bulk; calls are pipelined, so a list is one round trip. */
const ENQUEUE_CHUNK = 5_000;

/** Options of {@link RedisBroker}. */
export interface RedisBrokerOptions {
  url: string;
  /** Write result records while settling (the result backend is this same Redis). @defaultValue true */
  writesRecords?: boolean;
  /** Injectable clock for tests. @defaultValue Date.now */
  clock?: () => number;
}

/**
 * The Redis broker: per queue a list (priority 0) and a sorted set (priorities 1–255) of ready ids,
 * a hash of envelopes, a sorted set of delayed ids and one of leases. Every state transition is
 * one Lua script (see `lua/`); docs/protocol.md lists the keys.
 */
export class RedisBroker implements Broker {
  readonly kind = 'redis';
  readonly writesRecords: boolean;
  readonly dlq: RedisDlqStore;
  private readonly redis: ScriptedRedis;
  private readonly url: string;
  private readonly clock: () => number;
  private readonly registeredQueues = new Set<string>();
  private readonly waiter: BlockingWaiter;
  private claimRotation = 0;

  constructor(options: RedisBrokerOptions) {
    this.url = options.url;
    this.writesRecords = options.writesRecords ?? true;
    this.clock = options.clock ?? Date.now;
    this.redis = defineScripts(connectRedis(options.url));
    this.redis.on('error', () => {
      // Connection errors surface through the commands that fail; ioredis reconnects by itself.
    });
    this.dlq = new RedisDlqStore(this.redis);
    this.waiter = new BlockingWaiter(options.url, this.redis);
  }

  /** The underlying client, for the result backend sharing this connection and for tests. */
  get client(): Redis {
    return this.redis;
  }

  async enqueue(messages: readonly OutgoingMessage[]): Promise<EnqueueOutcome[]> {
    const now = this.clock();
    const byQueue = new Map<string, number[]>();
    messages.forEach((message, index) => {
      const list = byQueue.get(message.envelope.queue) ?? [];
      list.push(index);
      byQueue.set(message.envelope.queue, list);
    });
    const outcomes = new Array<EnqueueOutcome>(messages.length);
    const calls: Promise<void>[] = [];
    for (const [queue, indexes] of byQueue) {
      this.register(queue);
      const keys = queueKeys(queue);
      for (let start = 0; start < indexes.length; start += ENQUEUE_CHUNK) {
        const chunk = indexes.slice(start, start + ENQUEUE_CHUNK);
        const args: (string | number)[] = [now, IDEMPOTENCY_PREFIX];
        for (const index of chunk) {
          const { envelope, dueAt } = messages[index]!;
          args.push(envelope.id, encodeEnvelope(envelope), envelope.priority, dueAt ?? 0);
          args.push(envelope.idempotencyKey ?? '', envelope.resultTtlMs ?? REVOCATION_MEMORY_MS);
        }
        calls.push(
          this.redis
            .turbineEnqueue(
              keys.ready,
              keys.prio,
              keys.delayed,
              keys.messages,
              keys.marker,
              keys.seq,
              ...args,
            )
            .then((reply) => {
              const flat = reply as (string | number)[];
              chunk.forEach((index, i) => {
                outcomes[index] = {
                  id: String(flat[2 * i]),
                  duplicate: flat[2 * i + 1] === 1,
                };
              });
            }),
        );
      }
    }
    await Promise.all(calls);
    return outcomes;
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const deliveries: Delivery[] = [];
    let nextWakeAt: number | undefined;
    const queues = request.queues;
    const first = this.claimRotation++ % queues.length;
    for (let i = 0; i < queues.length && deliveries.length < request.max; i++) {
      const queue = queues[(first + i) % queues.length]!;
      this.register(queue);
      const keys = queueKeys(queue);
      const reply = (await this.redis.turbineClaim(
        ...claimKeys(keys),
        this.clock(),
        request.max - deliveries.length,
        request.leaseMs,
        request.maxDeliveries,
      )) as (string | number)[];
      const wakeAt = Number(reply[0]);
      if (wakeAt >= 0 && (nextWakeAt === undefined || wakeAt < nextWakeAt)) nextWakeAt = wakeAt;
      for (let j = 1; j < reply.length; j += 4) {
        deliveries.push(
          toDelivery(
            queue,
            String(reply[j]),
            String(reply[j + 1]),
            Number(reply[j + 2]),
            Number(reply[j + 3]),
          ),
        );
      }
    }
    return { deliveries, nextWakeAt };
  }

  waitForWork(queues: readonly string[], untilMs: number, signal: AbortSignal): Promise<void> {
    return this.waiter.wait(
      queues.map((queue) => queueKeys(queue).marker),
      untilMs - this.clock(),
      signal,
    );
  }

  async markStarted(marks: readonly StartMark[], workerId: string): Promise<void> {
    const byQueue = new Map<string, string[]>();
    for (const { delivery, startedAt } of marks) {
      const fields = byQueue.get(delivery.queue) ?? [];
      fields.push(delivery.id, `${workerId}|${startedAt}`);
      byQueue.set(delivery.queue, fields);
    }
    // Written to the connection now, so a settle sent later removes the marks after they land.
    await Promise.all(
      [...byQueue].map(([queue, fields]) => this.redis.hset(queueKeys(queue).started, ...fields)),
    );
  }

  async extendLeases(deliveries: readonly Delivery[], leaseMs: number): Promise<void> {
    const deadline = this.clock() + leaseMs;
    const byQueue = new Map<string, (string | number)[]>();
    for (const delivery of deliveries) {
      const args = byQueue.get(delivery.queue) ?? [];
      args.push(deadline, delivery.id);
      byQueue.set(delivery.queue, args);
    }
    await Promise.all(
      [...byQueue].map(([queue, args]) => this.redis.zadd(queueKeys(queue).leases, 'XX', ...args)),
    );
  }

  async settle(settlements: readonly Settlement[]): Promise<void> {
    const byQueue = new Map<
      string,
      { ops: (string | number)[]; effects: (string | number)[]; count: number }
    >();
    for (const settlement of settlements) {
      const queue = settlement.delivery.queue;
      let group = byQueue.get(queue);
      if (!group) byQueue.set(queue, (group = { ops: [], effects: [], count: 0 }));
      pushSettlementArgs(group.ops, settlement, this.writesRecords);
      group.count++;
      if (settlement.kind === 'complete' || settlement.kind === 'dead') {
        if (settlement.effects) group.effects.push(...effectArgs(settlement.effects, this.writesRecords));
      }
    }
    const now = this.clock();
    await Promise.all(
      [...byQueue].map(([queue, { ops, effects, count }]) => {
        const keys = queueKeys(queue);
        return this.redis.turbineSettle(
          ...claimKeys(keys).slice(0, 9),
          keys.dlq,
          keys.dlqEntries,
          now,
          RESULT_PREFIX,
          KEY_PREFIX,
          count,
          ...ops,
          ...effects,
        );
      }),
    );
  }

  async revoke(id: string, record: ResultRecord | undefined): Promise<void> {
    // The caller found the queue when it built the record: look there first.
    const location = await this.locate(id, record?.queue || undefined);
    const message = JSON.stringify({
      kind: 'revoke',
      id,
    } satisfies ControlMessage);
    const [encoded, ttlMs] = recordArgs(record, this.writesRecords);
    const rememberUntil = this.clock() + REVOCATION_MEMORY_MS;
    if (!location) {
      // Not (or no longer) in any queue: remember the revocation for a message still in flight,
      // and record it unless a result already exists.
      const tx = this.redis.multi().zadd(REVOKED_KEY, rememberUntil, id).publish(CONTROL_CHANNEL, message);
      if (encoded) tx.set(resultKey(id), encoded, 'PX', ttlMs, 'NX');
      await tx.exec();
      return;
    }
    const keys = queueKeys(location.queue);
    await this.redis.turbineRevoke(
      keys.ready,
      keys.prio,
      keys.delayed,
      keys.messages,
      keys.leases,
      REVOKED_KEY,
      resultKey(id),
      keys.redeliveries,
      id,
      rememberUntil,
      encoded,
      ttlMs,
      CONTROL_CHANNEL,
      message,
    );
  }

  async locate(id: string, queueHint?: string): Promise<MessageLocation | undefined> {
    for (const queue of await queuesToSearch(this.redis, queueHint)) {
      const keys = queueKeys(queue);
      const replies = (await this.redis
        .multi()
        .hget(keys.messages, id)
        .zscore(keys.leases, id)
        .hget(keys.started, id)
        .zscore(keys.delayed, id)
        .exec()) as [unknown, string | null][];
      const [raw, lease, started, due] = replies.map(([, value]) => value);
      if (raw === null || raw === undefined) continue;
      let envelope: Envelope | undefined;
      try {
        envelope = decodeEnvelope(raw);
      } catch {
        envelope = undefined;
      }
      if (lease !== null && lease !== undefined) {
        if (!started) return { queue, state: 'RECEIVED', envelope };
        const [workerId, startedAt] = started.split('|');
        return {
          queue,
          state: 'STARTED',
          envelope,
          workerId: workerId!,
          startedAt: Number(startedAt),
        };
      }
      const retrying = due !== null && due !== undefined && (envelope?.attempt ?? 1) > 1;
      return { queue, state: retrying ? 'RETRY' : 'PENDING', envelope };
    }
    return undefined;
  }

  async subscribeControl(handler: (message: ControlMessage) => void): Promise<Unsubscribe> {
    const subscriber = this.redis.duplicate({ enableAutoPipelining: false });
    subscriber.on('error', () => {});
    subscriber.on('message', (_channel: string, text: string) => {
      try {
        handler(JSON.parse(text) as ControlMessage);
      } catch {
        // A malformed control message is ignored; it carries no task.
      }
    });
    await subscriber.subscribe(CONTROL_CHANNEL);
    return async () => {
      subscriber.disconnect();
    };
  }

  async queueStats(): Promise<QueueStats[]> {
    const queues = await queuesToSearch(this.redis);
    return Promise.all(
      queues.map(async (name) => {
        const keys = queueKeys(name);
        const replies = (await this.redis
          .multi()
          .llen(keys.ready)
          .zcard(keys.prio)
          .zcard(keys.delayed)
          .zcard(keys.leases)
          .zcard(keys.dlq)
          .exec()) as [unknown, number][];
        const [ready, prio, delayed, active, dlq] = replies.map(([, count]) => count) as number[];
        return {
          name,
          waiting: ready! + prio!,
          delayed: delayed!,
          active: active!,
          dlq: dlq!,
        };
      }),
    );
  }

  async purge(queue: string): Promise<number> {
    const keys = queueKeys(queue);
    return Number(await this.redis.turbinePurge(keys.ready, keys.prio, keys.delayed, keys.messages));
  }

  isHealthy(): boolean {
    return this.redis.status === 'ready';
  }

  async close(): Promise<void> {
    this.waiter.close();
    try {
      await Promise.race([this.redis.quit(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    } catch {
      // Already closed or unreachable: nothing left to flush.
    }
    this.redis.disconnect();
  }

  private register(queue: string): void {
    if (this.registeredQueues.has(queue)) return;
    this.registeredQueues.add(queue);
    this.redis.sadd(QUEUES_KEY, queue).catch(() => this.registeredQueues.delete(queue));
  }
}

function claimKeys(keys: QueueKeys): string[] {
  return [
    keys.ready,
    keys.prio,
    keys.delayed,
    keys.messages,
    keys.leases,
    keys.started,
    keys.redeliveries,
    keys.marker,
    keys.seq,
    REVOKED_KEY,
  ];
}
