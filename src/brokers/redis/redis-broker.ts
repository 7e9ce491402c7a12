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
  Unsubscribe,
  WorkflowEffects,
} from '../broker.js';
import { decodeEnvelope, encodeEnvelope, MalformedMessageError } from '../../protocol/codec.js';
import type { Envelope } from '../../protocol/envelope.js';
import { encodeRecord, type ResultRecord } from '../../protocol/result-record.js';
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
import { StartMarks } from './start-marks.js';

/** Messages per script call when enqueueing in bulk; calls are pipelined, so a list is one round trip. */
const ENQUEUE_CHUNK = 5_000;
const FLAG_MISSING = 1;
const FLAG_REVOKED = 2;
const FLAG_POISONED = 4;
/** How long a revocation is remembered for messages that may still surface. */
const REVOCATION_MEMORY_MS = 24 * 3_600_000;

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
  private readonly startMarks = new StartMarks();
  private startFlush: Promise<void> | undefined;
  private readonly idleBlocking: Redis[] = [];
  private readonly busyBlocking = new Set<Redis>();
  private readonly blockingIds = new Map<Redis, number>();
  private closed = false;
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
                outcomes[index] = { id: String(flat[2 * i]), duplicate: flat[2 * i + 1] === 1 };
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

  async waitForWork(queues: readonly string[], untilMs: number, signal: AbortSignal): Promise<void> {
    const waitMs = untilMs - this.clock();
    if (waitMs <= 0 || signal.aborted) return;
    // A blocked connection serves one waiter at a time, so concurrent waiters (several workers of
    // one app) each take their own from a small pool.
    const blocking = this.idleBlocking.pop() ?? this.connectBlocking();
    this.busyBlocking.add(blocking);
    let usable = true;
    const onAbort = (): void => {
      usable = false;
      blocking.disconnect();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      const clientId = (this.blockingIds.get(blocking) ?? (await this.learnClientId(blocking))) as number;
      // Redis checks blocking timeouts only ~10 times a second; a local timer that unblocks the
      // connection wakes us on time (a delayed task due in 20 ms starts in 20 ms, not 100).
      timer = setTimeout(() => {
        this.redis.client('UNBLOCK', clientId).catch(() => {});
      }, waitMs);
      const markers = queues.map((queue) => queueKeys(queue).marker);
      await blocking.bzpopmin(...markers, (waitMs + 1_000) / 1_000);
    } catch (error) {
      usable = false;
      blocking.disconnect();
      if (!signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      this.busyBlocking.delete(blocking);
      if (usable && !this.closed) this.idleBlocking.push(blocking);
    }
  }

  private async learnClientId(blocking: Redis): Promise<number> {
    const id = Number(await blocking.client('ID'));
    this.blockingIds.set(blocking, id);
    return id;
  }

  private connectBlocking(): Redis {
    const blocking = connectRedis(this.url);
    blocking.on('error', () => {});
    // A reconnected connection has a new client id.
    blocking.on('close', () => this.blockingIds.delete(blocking));
    return blocking;
  }

  markStarted(delivery: Delivery, workerId: string, startedAt: number): Promise<void> {
    this.startMarks.add(delivery.queue, delivery.id, `${workerId}|${startedAt}`);
    this.startFlush ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flushStarts());
    return this.startFlush;
  }

  private async flushStarts(): Promise<void> {
    this.startFlush = undefined;
    const batches = this.startMarks.take();
    await Promise.all(batches.map(([queue, fields]) => this.redis.hset(queueKeys(queue).started, ...fields)));
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
    for (const { delivery } of settlements) this.startMarks.forget(delivery.queue, delivery.id);
    if (this.startMarks.size > 0) await this.flushStarts();
    const byQueue = new Map<
      string,
      { ops: (string | number)[]; effects: (string | number)[]; count: number }
    >();
    for (const settlement of settlements) {
      const queue = settlement.delivery.queue;
      let group = byQueue.get(queue);
      if (!group) byQueue.set(queue, (group = { ops: [], effects: [], count: 0 }));
      group.ops.push(...this.settlementArgs(settlement));
      group.count++;
      if (settlement.kind === 'complete' || settlement.kind === 'dead') {
        if (settlement.effects) group.effects.push(...this.effectArgs(settlement.effects));
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

  private effectArgs(effects: WorkflowEffects): (string | number)[] {
    const args: (string | number)[] = [];
    for (const { envelope, dueAt } of effects.followUps ?? []) {
      args.push('F', envelope.queue, envelope.id, encodeEnvelope(envelope), envelope.priority, dueAt ?? 0);
    }
    const join = effects.chordJoin;
    if (join) {
      const body = join.body;
      args.push('J', join.chordId, join.index, join.size, join.resultJson, Math.max(1, join.ttlMs));
      args.push(
        body.id,
        body.queue,
        body.priority,
        body.dueAt ?? 0,
        body.prefix ?? '',
        body.suffix ?? '',
        body.envelope ?? '',
      );
    }
    const failure = effects.chordFailure;
    if (failure) {
      const { id, queue, entry, record } = failure.body;
      const [encoded, ttlMs] = this.recordArgs(record);
      args.push(
        'X',
        failure.chordId,
        Math.max(1, failure.ttlMs),
        id,
        queue,
        JSON.stringify(entry),
        entry.failedAt,
        encoded,
        ttlMs,
      );
    }
    if (this.writesRecords) {
      for (const record of effects.records ?? []) args.push('C', record.id, ...this.recordArgs(record));
    }
    for (const entry of effects.deadLetters ?? []) {
      args.push('Q', entry.queue, entry.id, JSON.stringify(entry), entry.failedAt);
    }
    return args;
  }

  private recordArgs(record: ResultRecord | undefined): [string, number] {
    return this.writesRecords && record ? [encodeRecord(record), Math.max(1, record.ttlMs)] : ['', 1];
  }

  private settlementArgs(settlement: Settlement): (string | number)[] {
    const { id } = settlement.delivery;
    const record = settlement.kind === 'release' ? undefined : settlement.record;
    const recordArgs = this.recordArgs(record);
    switch (settlement.kind) {
      case 'complete':
        return ['A', id, '', '', '', ...recordArgs];
      case 'retry':
        return [
          'R',
          id,
          encodeEnvelope(settlement.envelope),
          settlement.dueAt,
          settlement.envelope.priority,
          ...recordArgs,
        ];
      case 'dead':
        return ['D', id, JSON.stringify(settlement.entry), settlement.entry.failedAt, '', ...recordArgs];
      case 'release':
        return ['L', id, '', '', settlement.delivery.envelope?.priority ?? 0, ...recordArgs];
    }
  }

  async revoke(id: string, record: ResultRecord | undefined): Promise<void> {
    const location = await this.locate(id);
    const message = JSON.stringify({ kind: 'revoke', id } satisfies ControlMessage);
    const [encoded, ttlMs] =
      this.writesRecords && record ? [encodeRecord(record), Math.max(1, record.ttlMs)] : ['', 1];
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
        return { queue, state: 'STARTED', envelope, workerId: workerId!, startedAt: Number(startedAt) };
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
        return { name, waiting: ready! + prio!, delayed: delayed!, active: active!, dlq: dlq! };
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
    this.closed = true;
    for (const blocking of [...this.idleBlocking.splice(0), ...this.busyBlocking]) blocking.disconnect();
    if (this.startMarks.size > 0) await this.flushStarts().catch(() => {});
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

function toDelivery(queue: string, id: string, raw: string, deliveries: number, flags: number): Delivery {
  const delivery: Delivery = {
    id,
    queue,
    envelope: undefined,
    deliveries,
    poisoned: (flags & FLAG_POISONED) !== 0,
    revoked: (flags & FLAG_REVOKED) !== 0,
  };
  if (flags & FLAG_MISSING) {
    delivery.problem = `no envelope is stored for message id '${printable(id)}'`;
    return delivery;
  }
  try {
    delivery.envelope = decodeEnvelope(raw);
  } catch (error) {
    delivery.raw = raw;
    delivery.problem = error instanceof MalformedMessageError ? error.message : String(error);
  }
  return delivery;
}

function printable(text: string): string {
  return text.slice(0, 60).replace(/[^\x20-\x7e]/g, '?');
}
